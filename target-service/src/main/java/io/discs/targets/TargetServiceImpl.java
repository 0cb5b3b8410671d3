package io.discs.targets;

import io.discs.platform.Caller;
import io.discs.platform.error.BusFailures;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.ids.Ids;
import io.discs.platform.images.ImageDeletions;
import io.discs.platform.images.ImageService;
import io.discs.platform.targets.Chap;
import io.discs.platform.targets.Connection;
import io.discs.platform.targets.DeviceType;
import io.discs.platform.targets.FetchProgress;
import io.discs.platform.targets.Target;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.discs.targets.TargetRows.StoredTarget;
import io.discs.targets.backend.BackendTarget;
import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.chap.ChapSecrets;
import io.discs.targets.names.IscsiNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targets: the row (desired state) first, then the backend; if the backend fails, the row goes
 * again, so nothing half-made is left behind.
 */
final class TargetServiceImpl implements TargetService {
  private static final Logger LOG = LoggerFactory.getLogger(TargetServiceImpl.class);

  private final Vertx vertx;
  private final TargetRows repository;
  private final IscsiService backend;
  private final ImageService images;
  private final IscsiNames names;
  private final ChapSecrets secrets = new ChapSecrets();
  private final EventPublisher events;
  private final ImageCache blobs;
  private final NodeIdentity node;
  private final Function<String, TargetService> otherNodes;
  private final TargetNodes nodes;
  private final TargetsInFlight inFlight;
  private final Duration creationLimit;

  /** When discs first saw each connection; backends report who is connected, not since when. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  TargetServiceImpl(
      Vertx vertx,
      TargetRows repository,
      IscsiService backend,
      ImageService images,
      IscsiNames names,
      EventPublisher events,
      ImageCache blobs,
      NodeIdentity node,
      Function<String, TargetService> otherNodes,
      TargetNodes nodes,
      TargetsInFlight inFlight,
      Duration creationLimit) {
    this.vertx = vertx;
    this.repository = repository;
    this.backend = backend;
    this.images = images;
    this.names = names;
    this.events = events;
    this.blobs = blobs;
    this.node = node;
    this.otherNodes = otherNodes;
    this.nodes = nodes;
    this.inFlight = inFlight;
    this.creationLimit = creationLimit;
  }

  @Override
  public Future<Target> create(TargetRequest request, Caller caller) {
    String initiator;
    String imageIdText;
    DeviceType deviceType;
    boolean wantsMutualChap;
    try {
      imageIdText = request.getImageId();
      initiator = IscsiNames.initiator(request.getInitiatorIqn());
      deviceType = DeviceType.fromWire(request.getDeviceType());
      wantsMutualChap = request.isMutualChap();
      if (!backend.deviceTypes().contains(deviceType)) {
        return Future.failedFuture(
            DomainErrors.unprocessable(
                "this target node's "
                    + backend.name()
                    + " backend cannot present a "
                    + deviceType.wireName()
                    + " (it serves "
                    + backend.deviceTypes().stream().map(DeviceType::wireName).toList()
                    + "): ask for deviceType \"disk\""));
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(DomainErrors.badRequest(e.getMessage()));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    // No lock: the row is written, then a deletion of the image under way is looked for (see
    // ImageDeletions), so targets of one image are made side by side.
    return Ids.parse(imageIdText, "image")
        .compose(
            imageId ->
                images
                    .get(imageId.toString())
                    .compose(
                        image -> {
                          UUID id = UUID.randomUUID();
                          ChapCredentials chap = secrets.initiatorChap();
                          ChapCredentials mutual =
                              wantsMutualChap ? secrets.mutualChap(chap) : null;
                          StoredTarget row =
                              new StoredTarget(
                                  id,
                                  names.targetIqn(imageId, id),
                                  imageId,
                                  image.getSha256(),
                                  initiator,
                                  deviceType,
                                  chap,
                                  mutual,
                                  Instant.now(),
                                  caller.getUsername(),
                                  node);
                          return inFlight.during(
                              row.iqn(),
                              () ->
                                  repository
                                      .insert(row)
                                      .map(row)
                                      .compose(this::unlessImageIsBeingDeleted)
                                      .compose(this::madeInTime));
                        })
                    .map(
                        stored -> {
                          events.publish(event("target.created", caller, stored, Outcome.SUCCESS));
                          return toTarget(stored, true);
                        }))
        .onFailure(
            failure ->
                events.publish(
                    DomainEvent.of(
                        "target.created",
                        caller.getUsername(),
                        "target/new",
                        Outcome.FAILURE,
                        caller.getSourceIp(),
                        new JsonObject()
                            .put("imageId", imageIdText)
                            .put("reason", failure.getMessage()))));
  }

  /**
   * {@link #made} within this node's limit ({@link
   * io.discs.platform.config.CallDeadlines#targetCreation}), which is shorter than what every
   * caller above waits: past it the row goes at once (session-service fails the session with the
   * reason) and a target the backend finishes later is removed.
   */
  private Future<StoredTarget> madeInTime(StoredTarget stored) {
    return WithinDeadline.of(
        vertx,
        creationLimit,
        "making target " + stored.iqn(),
        made(stored),
        () -> repository.delete(stored.id()),
        late ->
            backend
                .delete(late.iqn())
                .onFailure(
                    e ->
                        LOG.warn(
                            "could not remove late target {}: {}", late.iqn(), e.getMessage())));
  }

  /** The backend's target for a row just written; the row goes again if the backend fails. */
  private Future<StoredTarget> made(StoredTarget stored) {
    return spec(stored)
        .compose(backend::create)
        .map(stored)
        .recover(
            failure ->
                repository.delete(stored.id()).transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * A target is removed by the node that serves it: another node passes the call on. Where that
   * node is gone (silent for a lease, unreachable, or a later start of this one), only the row
   * goes; the node's reconciliation removes the rest when it comes back.
   */
  @Override
  public Future<Void> delete(String id, Caller caller) {
    return find(id)
        .compose(
            stored -> {
              if (stored.servedBy(node)) {
                return deleteHere(stored, caller);
              }
              if (stored.node() == null
                  || stored.node().name().equals(node.name())
                  || nodes.standing(stored.node().name(), stored.node().incarnation().toString())
                      != TargetNodes.Standing.SERVING) {
                return forget(stored, caller);
              }
              return otherNodes
                  .apply(stored.node().name())
                  .delete(id, caller)
                  .recover(
                      failure ->
                          BusFailures.unreachable(failure)
                              ? forget(stored, caller)
                              : Future.failedFuture(failure));
            });
  }

  @Override
  public Future<Void> prepare(String imageId, Caller caller) {
    return Ids.parse(imageId, "image")
        .compose(id -> images.get(id.toString()))
        .compose(image -> blobs.blob(image.getId(), image.getSha256()))
        .mapEmpty();
  }

  @Override
  public Future<FetchProgress> fetchProgress(String imageId) {
    return blobs.progress(imageId);
  }

  /**
   * Only to the one who made the target; another node's target is asked of that node, the only one
   * whose key opens its secrets.
   */
  @Override
  public Future<Chap> chapOf(String id, Caller caller) {
    return find(id)
        .compose(
            stored -> {
              if (!stored.createdBy().equals(caller.getUsername())) {
                return Future.failedFuture(DomainErrors.notFound("no target " + id));
              }
              if (!stored.servedBy(node)) {
                return stored.node() == null
                    ? Future.failedFuture(DomainErrors.notFound("no target " + id))
                    : otherNodes.apply(stored.node().name()).chapOf(id, caller);
              }
              return repository
                  .on(node)
                  .map(
                      rows ->
                          rows.stream()
                              .filter(row -> row.id().equals(stored.id()))
                              .findFirst()
                              .map(row -> toTarget(row, true).getChap())
                              .orElseThrow(() -> DomainErrors.notFound("no target " + id)));
            });
  }

  /**
   * The row goes first: the database is the truth, so a reconciliation pass running meanwhile
   * removes the target rather than bringing it back. If the backend then fails, the next pass
   * finishes the removal.
   */
  private Future<Void> deleteHere(StoredTarget stored, Caller caller) {
    return forget(stored, caller).compose(v -> backend.delete(stored.iqn()));
  }

  private Future<Void> forget(StoredTarget stored, Caller caller) {
    return repository
        .delete(stored.id())
        .map(
            removed -> {
              if (removed) {
                events.publish(event("target.deleted", caller, stored, Outcome.SUCCESS));
              }
              return null;
            });
  }

  @Override
  public Future<Boolean> servesImage(String imageId) {
    return Ids.parse(imageId, "image").compose(repository::servesImage);
  }

  @Override
  public Future<List<Target>> list() {
    return repository.list().map(all -> all.stream().map(t -> toTarget(t, false)).toList());
  }

  @Override
  public Future<Target> get(String id) {
    return find(id).map(stored -> toTarget(stored, false));
  }

  @Override
  public Future<List<Connection>> connections() {
    return Future.all(repository.on(node), backend.list())
        .map(
            both -> {
              List<StoredTarget> wanted = both.resultAt(0);
              List<BackendTarget> actual = both.resultAt(1);
              List<Connection> connections = new ArrayList<>();
              Instant now = Instant.now();
              Set<String> seen = new HashSet<>();
              for (StoredTarget stored : wanted) {
                actual.stream()
                    .filter(t -> t.iqn().equals(stored.iqn()))
                    .flatMap(t -> t.sessions().stream())
                    .forEach(
                        session ->
                            connections.add(
                                new Connection()
                                    .setTargetId(stored.id().toString())
                                    .setInitiatorIqn(session.initiatorIqn())
                                    .setAddress(session.address())
                                    .setConnectedSince(
                                        firstSeen.computeIfAbsent(
                                            seenAs(seen, stored, session), key -> now))));
              }
              // Connections that are gone are forgotten, so the map holds only who is connected.
              firstSeen.keySet().retainAll(seen);
              return connections;
            });
  }

  private static String seenAs(Set<String> seen, StoredTarget stored, InitiatorSession session) {
    String key = stored.iqn() + " " + session.initiatorIqn() + " " + session.address();
    seen.add(key);
    return key;
  }

  /** What the backend needs, the image's bytes on this node included (fetched if need be). */
  Future<TargetSpec> spec(StoredTarget stored) {
    return blobs
        .blob(stored.imageId().toString(), stored.sha256())
        .map(
            blob ->
                new TargetSpec(
                    stored.iqn(),
                    blob,
                    stored.deviceType(),
                    stored.initiatorIqn(),
                    stored.chap(),
                    stored.mutualChap()));
  }

  /**
   * The second half of {@link ImageDeletions}: a row written while its image goes is taken back.
   */
  private Future<StoredTarget> unlessImageIsBeingDeleted(StoredTarget row) {
    return ImageDeletions.underway(vertx, row.imageId().toString())
        .compose(
            deleting ->
                deleting
                    ? repository
                        .delete(row.id())
                        .transform(
                            removed ->
                                Future.<StoredTarget>failedFuture(
                                    DomainErrors.conflict(
                                        "image " + row.imageId() + " is being deleted")))
                    : Future.succeededFuture(row));
  }

  private Future<StoredTarget> find(String id) {
    return Ids.parse(id, "target")
        .compose(repository::get)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(DomainErrors.notFound("no target " + id))));
  }

  /** CHAP secrets leave only in the answer to create. */
  private Target toTarget(StoredTarget stored, boolean withSecrets) {
    Chap chap = null;
    if (withSecrets) {
      chap = new Chap().setUsername(stored.chap().user()).setSecret(stored.chap().secret());
      if (stored.mutualChap() != null) {
        chap.setMutualUsername(stored.mutualChap().user())
            .setMutualSecret(stored.mutualChap().secret());
      }
    }
    return new Target()
        .setId(stored.id().toString())
        .setIqn(stored.iqn())
        .setPortal(stored.node() == null ? node.name() : stored.node().name())
        .setNode(stored.node() == null ? null : stored.node().name())
        .setIncarnation(stored.node() == null ? null : stored.node().incarnation().toString())
        .setLun(backend.lun())
        .setImageId(stored.imageId().toString())
        .setInitiatorIqn(stored.initiatorIqn())
        .setDeviceType(stored.deviceType().wireName())
        .setChap(chap)
        .setCreatedAt(stored.createdAt());
  }

  private static DomainEvent event(
      String type, Caller caller, StoredTarget stored, Outcome outcome) {
    return DomainEvent.of(
        type,
        caller.getUsername(),
        "target/" + stored.id(),
        outcome,
        caller.getSourceIp(),
        new JsonObject()
            .put("iqn", stored.iqn())
            .put("imageId", stored.imageId().toString())
            .put("initiatorIqn", stored.initiatorIqn())
            .put("deviceType", stored.deviceType().wireName()));
  }
}
