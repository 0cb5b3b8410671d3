package io.discs.targets;

import io.discs.platform.Caller;
import io.discs.platform.error.BusFailures;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.ids.Ids;
import io.discs.platform.images.Image;
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
import io.discs.targets.backend.DiscChanger;
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

  private final EjectRequests ejectRequests;

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
    this.ejectRequests = new EjectRequests(vertx, EJECT_REQUEST_PATIENCE);
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
    if (request.isDrive()) {
      return createDrive(imageIdText, initiator, wantsMutualChap, caller);
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
                                  node,
                                  false);
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

  /**
   * A drive, empty or with a disc in (made like a target: the row first, then the backend, within
   * the node's limit). Only a backend that changes discs makes one: elsewhere a clear 409.
   */
  private Future<Target> createDrive(
      String imageIdText, String initiator, boolean wantsMutualChap, Caller caller) {
    if (backend.discChanger().isEmpty()) {
      return Future.failedFuture(DomainErrors.conflict(noDrives()));
    }
    Future<Image> disc =
        imageIdText == null
            ? Future.succeededFuture(null)
            : Ids.parse(imageIdText, "image").compose(id -> images.get(id.toString()));
    return disc.compose(
            image -> {
              UUID id = UUID.randomUUID();
              ChapCredentials chap = secrets.initiatorChap();
              StoredTarget row =
                  new StoredTarget(
                      id,
                      names.driveIqn(id),
                      image == null ? null : UUID.fromString(image.getId()),
                      image == null ? null : image.getSha256(),
                      initiator,
                      DeviceType.CDROM,
                      chap,
                      wantsMutualChap ? secrets.mutualChap(chap) : null,
                      Instant.now(),
                      caller.getUsername(),
                      node,
                      true);
              return inFlight.during(
                  row.iqn(),
                  () ->
                      repository
                          .insert(row)
                          .map(row)
                          .compose(
                              r ->
                                  r.imageId() == null
                                      ? Future.succeededFuture(r)
                                      : unlessImageIsBeingDeleted(r))
                          .compose(this::madeInTime));
            })
        .map(
            stored -> {
              events.publish(event("target.created", caller, stored, Outcome.SUCCESS));
              return toTarget(stored, true);
            });
  }

  private String noDrives() {
    return "the "
        + backend.name()
        + " backend cannot change a drive's disc (tgt swaps a LUN's file only offline, LIO has no"
        + " CD emulation): drives need a target node on the embedded backend";
  }

  /**
   * A row's target on the backend: a drive with the disc the row names in it, or a target of its
   * image. Also what reconciliation calls for a target the backend lost.
   */
  Future<Void> recreate(StoredTarget stored) {
    if (!stored.drive()) {
      return spec(stored).compose(backend::create);
    }
    DiscChanger changer = backend.discChanger().orElse(null);
    if (changer == null) {
      return Future.failedFuture(DomainErrors.conflict(noDrives()));
    }
    Future<Void> made =
        changer.createDrive(
            new TargetSpec(
                stored.iqn(),
                null,
                stored.deviceType(),
                stored.initiatorIqn(),
                stored.chap(),
                stored.mutualChap()));
    return stored.imageId() == null
        ? made
        : made.compose(v -> blobs.blob(stored.imageId().toString(), stored.sha256()))
            .compose(blob -> changer.insert(stored.iqn(), blob));
  }

  /** The backend's target for a row just written; the row goes again if the backend fails. */
  private Future<StoredTarget> made(StoredTarget stored) {
    return recreate(stored)
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
  public Future<Target> insert(String id, String imageId, Caller caller) {
    return onDrivesNode(
        id,
        stored -> insertHere(stored, imageId, caller),
        there -> there.insert(id, imageId, caller));
  }

  @Override
  public Future<Target> eject(String id, boolean force, Caller caller) {
    return onDrivesNode(
        id, stored -> ejectHere(stored, force, caller), there -> there.eject(id, force, caller));
  }

  /** Runs {@code here} on the node that serves the drive: this one, or its live node is asked. */
  private Future<Target> onDrivesNode(
      String id,
      Function<StoredTarget, Future<Target>> here,
      Function<TargetService, Future<Target>> there) {
    return driveServedHere(id)
        .compose(
            found ->
                found.here()
                    ? here.apply(found.stored())
                    : there.apply(otherNodes.apply(found.stored().node().name())));
  }

  /** A drive's row, and whether this node serves it (else its live node is asked). */
  private record FoundDrive(StoredTarget stored, boolean here) {}

  private Future<FoundDrive> driveServedHere(String id) {
    return find(id)
        .compose(
            stored -> {
              if (!stored.drive()) {
                return Future.failedFuture(
                    DomainErrors.conflict(
                        "target " + id + " is not a drive: its disc cannot change"));
              }
              if (stored.servedBy(node)) {
                return Future.succeededFuture(new FoundDrive(stored, true));
              }
              if (stored.node() == null
                  || stored.node().name().equals(node.name())
                  || nodes.standing(stored.node().name(), stored.node().incarnation().toString())
                      != TargetNodes.Standing.SERVING) {
                return Future.failedFuture(
                    DomainErrors.gone("drive " + id + "'s target node is gone"));
              }
              return Future.succeededFuture(new FoundDrive(stored, false));
            });
  }

  /**
   * The row names the new disc before its bytes go in: a deletion of the image under way then sees
   * it, or this sees the deletion and puts the row back. The row is put back too when the disc
   * cannot be fetched or opened; the drive then still has its old disc.
   */
  private Future<Target> insertHere(StoredTarget stored, String imageIdText, Caller caller) {
    DiscChanger changer = backend.discChanger().orElse(null);
    if (changer == null) {
      return Future.failedFuture(DomainErrors.conflict(noDrives()));
    }
    return Ids.parse(imageIdText, "image")
        .compose(imageId -> images.get(imageId.toString()))
        .compose(
            image -> {
              StoredTarget next =
                  stored.withDisc(UUID.fromString(image.getId()), image.getSha256());
              // Only when needed: made now, it would race the change it undoes.
              java.util.function.Supplier<Future<Void>> putBack =
                  () ->
                      repository
                          .changeDisc(
                              stored.id(), next.imageId(), stored.imageId(), stored.sha256())
                          .mapEmpty();
              return repository
                  .changeDisc(stored.id(), stored.imageId(), next.imageId(), next.sha256())
                  .compose(
                      changed ->
                          changed
                              ? Future.<Void>succeededFuture()
                              : Future.failedFuture(
                                  DomainErrors.conflict(
                                      "the drive's disc changed meanwhile; look again")))
                  .compose(
                      v ->
                          ImageDeletions.underway(vertx, image.getId())
                              .compose(
                                  deleting ->
                                      deleting
                                          ? putBack
                                              .get()
                                              .transform(
                                                  x ->
                                                      Future.<Void>failedFuture(
                                                          DomainErrors.conflict(
                                                              "image "
                                                                  + image.getId()
                                                                  + " is being deleted")))
                                          : blobs
                                              .blob(image.getId(), image.getSha256())
                                              .compose(blob -> changer.insert(stored.iqn(), blob))
                                              .recover(
                                                  failure ->
                                                      putBack
                                                          .get()
                                                          .transform(
                                                              x ->
                                                                  Future.<Void>failedFuture(
                                                                      failure)))))
                  .map(
                      v -> {
                        publishDrive(
                            "drive.inserted",
                            caller.getUsername(),
                            caller,
                            next,
                            new JsonObject().put("previousImageId", idOf(stored)));
                        return toTarget(next, false);
                      });
            });
  }

  /**
   * How long an eject refused by an initiator's lock waits for the initiator to answer the
   * EjectRequest by ejecting (Linux polls its CD drives every few seconds where they are watched).
   */
  static final Duration EJECT_REQUEST_PATIENCE = Duration.ofSeconds(10);

  /** Drives being ejected through discs: their emptying is not an initiator's doing. */
  private final Set<String> ejecting = ConcurrentHashMap.newKeySet();

  private Future<Target> ejectHere(StoredTarget stored, boolean force, Caller caller) {
    DiscChanger changer = backend.discChanger().orElse(null);
    if (changer == null) {
      return Future.failedFuture(DomainErrors.conflict(noDrives()));
    }
    ejecting.add(stored.iqn());
    return changer
        .eject(stored.iqn(), force)
        .compose(
            ejection ->
                ejection != DiscChanger.Ejection.REFUSED_LOCKED
                    ? Future.succeededFuture(ejection)
                    : ejectRequests
                        .awaitLetGo(stored.iqn(), () -> changer.hasDisc(stored.iqn()))
                        .compose(
                            letGo ->
                                letGo
                                    // Out of the tray it was ejected into, for good.
                                    ? changer
                                        .eject(stored.iqn(), false)
                                        .map(DiscChanger.Ejection.EJECTED)
                                    : Future.failedFuture(
                                        DomainErrors.conflict(
                                            "the initiator has locked the disc in (PREVENT MEDIUM"
                                                + " REMOVAL) and did not let go within "
                                                + EJECT_REQUEST_PATIENCE.toSeconds()
                                                + " s of being asked; eject again once it has, or"
                                                + " force the eject"))))
        .compose(
            ejection ->
                switch (ejection) {
                  case REFUSED_LOCKED -> throw new IllegalStateException("answered above");
                  case EJECTED, ALREADY_EMPTY ->
                      repository
                          .changeDisc(stored.id(), stored.imageId(), null, null)
                          .map(
                              changed -> {
                                if (changed && stored.imageId() != null) {
                                  publishDrive(
                                      "drive.ejected",
                                      caller.getUsername(),
                                      caller,
                                      stored,
                                      new JsonObject().put("forced", force));
                                }
                                return toTarget(stored.withDisc(null, null), false);
                              });
                })
        .andThen(done -> ejecting.remove(stored.iqn()));
  }

  /**
   * A drive became empty without discs asking (an initiator's START STOP UNIT): its row follows, so
   * what is inserted and what may be deleted stay true.
   */
  void emptied(String iqn) {
    ejectRequests.emptied(iqn);
    if (ejecting.contains(iqn)) {
      return;
    }
    repository
        .on(node)
        .compose(
            rows ->
                rows.stream()
                    .filter(row -> row.iqn().equals(iqn) && row.drive() && row.imageId() != null)
                    .findFirst()
                    .map(
                        row ->
                            repository
                                .changeDisc(row.id(), row.imageId(), null, null)
                                .onSuccess(
                                    changed -> {
                                      if (changed) {
                                        inTrays.put(iqn, row);
                                        publishDrive(
                                            "drive.ejected",
                                            "initiator " + row.initiatorIqn(),
                                            null,
                                            row,
                                            new JsonObject().put("byInitiator", true));
                                      }
                                    })
                                .<Void>mapEmpty())
                    .orElse(Future.succeededFuture()))
        .onFailure(
            e -> LOG.warn("drive {} emptied; its row could not follow: {}", iqn, e.getMessage()));
  }

  /** Drives an initiator ejected, with their row as it was: the disc waits in the open tray. */
  private final Map<String, StoredTarget> inTrays = new ConcurrentHashMap<>();

  /**
   * An initiator closed a drive's tray with the disc it had ejected: the row names it again, unless
   * the image went (or is going) meanwhile, when the disc is taken out for good.
   */
  void reloaded(String iqn) {
    StoredTarget before = inTrays.remove(iqn);
    DiscChanger changer = backend.discChanger().orElse(null);
    if (before == null || changer == null) {
      return;
    }
    images
        .get(before.imageId().toString())
        .compose(image -> ImageDeletions.underway(vertx, image.getId()))
        .compose(
            deleting ->
                deleting
                    ? Future.<Boolean>failedFuture("the image is being deleted")
                    : repository.changeDisc(before.id(), null, before.imageId(), before.sha256()))
        .compose(
            changed ->
                changed
                    ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture("the drive changed meanwhile"))
        .onSuccess(
            v ->
                publishDrive(
                    "drive.inserted",
                    "initiator " + before.initiatorIqn(),
                    null,
                    before,
                    new JsonObject().put("byInitiator", true).put("reloaded", true)))
        .onFailure(
            why -> {
              LOG.info("drive {} reloaded a disc it cannot keep ({}): out it goes", iqn, why);
              changer.eject(iqn, true);
            });
  }

  private static String idOf(StoredTarget stored) {
    return stored.imageId() == null ? null : stored.imageId().toString();
  }

  /** A drive's change in the audit log: which drive, which disc, whose initiator. */
  private void publishDrive(
      String type, String actor, Caller caller, StoredTarget stored, JsonObject extra) {
    events.publish(
        DomainEvent.of(
            type,
            actor,
            "target/" + stored.id(),
            Outcome.SUCCESS,
            caller == null ? null : caller.getSourceIp(),
            new JsonObject()
                .put("iqn", stored.iqn())
                .put("imageId", idOf(stored))
                .put("initiatorIqn", stored.initiatorIqn())
                .mergeIn(extra)));
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

  /**
   * Only targets someone is logged in to are looked up, by name: with a fleet of idle targets (most
   * mounted discs between reads) this costs one pass over the backend's list and no query.
   */
  @Override
  public Future<List<Connection>> connections() {
    return backend
        .list()
        .compose(
            actual -> {
              List<BackendTarget> connected =
                  actual.stream().filter(t -> !t.sessions().isEmpty()).toList();
              if (connected.isEmpty()) {
                firstSeen.clear();
                return Future.succeededFuture(List.<Connection>of());
              }
              return repository
                  .sealedOn(node)
                  .map(
                      wanted -> {
                        Map<String, StoredTarget> byIqn = new java.util.HashMap<>();
                        wanted.forEach(stored -> byIqn.put(stored.iqn(), stored));
                        List<Connection> connections = new ArrayList<>();
                        Instant now = Instant.now();
                        Set<String> seen = new HashSet<>();
                        for (BackendTarget target : connected) {
                          StoredTarget stored = byIqn.get(target.iqn());
                          if (stored == null) {
                            continue;
                          }
                          for (InitiatorSession session : target.sessions()) {
                            connections.add(
                                new Connection()
                                    .setTargetId(stored.id().toString())
                                    .setInitiatorIqn(session.initiatorIqn())
                                    .setAddress(session.address())
                                    .setConnectedSince(
                                        firstSeen.computeIfAbsent(
                                            seenAs(seen, stored, session), key -> now)));
                          }
                        }
                        // Connections that are gone are forgotten, so the map holds only who is
                        // connected.
                        firstSeen.keySet().retainAll(seen);
                        return connections;
                      });
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
        .setImageId(idOf(stored))
        .setDrive(stored.drive())
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
            .put("imageId", idOf(stored))
            .put("initiatorIqn", stored.initiatorIqn())
            .put("deviceType", stored.deviceType().wireName())
            .put("drive", stored.drive()));
  }
}
