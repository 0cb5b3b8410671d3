package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.error.BusFailures;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.ids.Ids;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.discs.platform.sessions.SessionState;
import io.discs.platform.sessions.SessionTarget;
import io.discs.platform.targets.Chap;
import io.discs.platform.targets.Connection;
import io.discs.platform.targets.DeviceType;
import io.discs.platform.targets.IscsiNameRules;
import io.discs.platform.targets.Target;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.discs.sessions.SessionRepository.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mount sessions: each asks target-service for a target of its own, lives while its lease is
 * renewed, and takes its target with it when it ends or expires.
 */
final class SessionServiceImpl implements SessionService {
  private static final Logger LOG = LoggerFactory.getLogger(SessionServiceImpl.class);

  /**
   * The longest a target node may take to bring an image onto itself for a session started with
   * {@code Prefer: respond-async} (a DVD image over a slow link); the person sees the progress. A
   * session still preparing a lease after this is failed by the reaper (whoever prepared it is
   * gone).
   */
  static final Duration PREPARATION_LIMIT = Duration.ofMinutes(30);

  /**
   * How long a session started with {@code Prefer: respond-async} waits for its target before it
   * answers PREPARING: enough for a node that holds the image, well within the second promised.
   */
  static final Duration QUICK_ANSWER = Duration.ofMillis(400);

  private final SessionRepository repository;
  private final Leases leases;
  private final TargetService targets;
  private final TargetPlacement placement;
  private final ImageService images;
  private final EventPublisher events;
  private final SessionSettings settings;
  private final CallerProofs callers;

  SessionServiceImpl(
      SessionRepository repository,
      Leases leases,
      TargetService targets,
      TargetPlacement placement,
      ImageService images,
      EventPublisher events,
      SessionSettings settings,
      CallerProofs callers) {
    this.repository = repository;
    this.leases = leases;
    this.targets = targets;
    this.placement = placement;
    this.images = images;
    this.events = events;
    this.settings = settings;
    this.callers = callers;
  }

  @Override
  public Future<Session> start(SessionStartRequest request, Caller caller) {
    String imageId = request.getImageId();
    String initiatorIqn = request.getInitiatorIqn();
    String device;
    try {
      // A drive is an optical drive, whatever it holds.
      device =
          request.isDrive()
              ? DeviceType.CDROM.wireName()
              : DeviceType.fromWire(request.getDeviceType()).wireName();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(DomainErrors.badRequest(e.getMessage()));
    }
    if (!IscsiNameRules.isValid(initiatorIqn)) {
      return Future.failedFuture(
          DomainErrors.badRequest("initiatorIqn must be " + IscsiNameRules.RULE));
    }
    try {
      placement.check(request.getNode(), caller);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    UUID id = UUID.randomUUID();
    boolean empty = request.isDrive() && imageId == null;
    Future<Void> stored =
        (empty ? Future.<UUID>succeededFuture(null) : Ids.parse(imageId, "image"))
            .compose(
                image ->
                    withinQuota(caller)
                        // Asked of image-service, not enforced by a foreign key: services own
                        // their tables.
                        .compose(
                            v ->
                                image == null
                                    ? Future.succeededFuture()
                                    : images.get(image.toString()).mapEmpty())
                        .compose(
                            found ->
                                repository.insert(
                                    id,
                                    image,
                                    initiatorIqn,
                                    device,
                                    caller.getUsername(),
                                    leases.now().plusMillis(leases.leaseMs()),
                                    request.isDrive())));
    if (!request.isRespondAsync()) {
      return stored
          .compose(v -> makeTarget(id, request, device, caller, false))
          .compose(target -> activate(id, request, device, target, caller));
    }
    return stored
        .compose(v -> leases.extend(id.toString(), caller.getUsername()))
        .compose(
            expires -> {
              Future<Session> activation =
                  makeTarget(id, request, device, caller, true)
                      .compose(target -> activate(id, request, device, target, caller))
                      .onFailure(
                          failure ->
                              LOG.info(
                                  "session {} did not become active: {}",
                                  id,
                                  failure.getMessage()));
              Session preparing =
                  session(
                          id.toString(),
                          SessionState.PREPARING,
                          imageId,
                          initiatorIqn,
                          caller.getUsername(),
                          device,
                          null)
                      .setLeaseExpiresAt(expires);
              // A node that has the image makes the target at once: then the answer is the active
              // session, as without the preference; else PREPARING, and the work goes on.
              return activation
                  .timeout(QUICK_ANSWER.toMillis(), TimeUnit.MILLISECONDS)
                  .recover(
                      late ->
                          activation.failed()
                              ? Future.failedFuture(activation.cause())
                              : Future.succeededFuture(preparing));
            });
  }

  /**
   * The session has its target: it is ACTIVE, unless it ended while the target was made (the person
   * gave up, or its lease lapsed): then the target goes again.
   */
  private Future<Session> activate(
      UUID id, SessionStartRequest request, String device, Target target, Caller caller) {
    return repository
        .attachTarget(id, target)
        .compose(
            attached ->
                attached
                    ? leases.extend(id.toString(), caller.getUsername())
                    : targets
                        .delete(target.getId(), callers.seal(caller))
                        .transform(
                            v ->
                                Future.failedFuture(
                                    DomainErrors.gone(
                                        "session "
                                            + id
                                            + " ended while its target was being made"))))
        .map(
            expires -> {
              events.publish(
                  event(
                      "session.started",
                      caller,
                      id,
                      Outcome.SUCCESS,
                      new JsonObject()
                          .put("imageId", request.getImageId())
                          .put("initiatorIqn", request.getInitiatorIqn())
                          .put("targetIqn", target.getIqn())
                          .put("drive", request.isDrive())));
              return session(
                      id.toString(),
                      SessionState.ACTIVE,
                      request.getImageId(),
                      request.getInitiatorIqn(),
                      caller.getUsername(),
                      device,
                      target(target.getIqn(), target.getPortal(), target.getLun()))
                  .setChap(
                      new Chap()
                          .setUsername(target.getChap().getUsername())
                          .setSecret(target.getChap().getSecret()))
                  .setLeaseExpiresAt(expires)
                  .setDrive(request.isDrive());
            });
  }

  /**
   * The session's target, on the node placement picks (only now, so that a refused request does not
   * count toward a node); if it cannot be made, the session's row says FAILED and why.
   *
   * @param fetchFirst whether the node brings the image onto itself first, under a deadline of its
   *     own (a session that answered at once), so that making the target is quick
   */
  private Future<Target> makeTarget(
      UUID id, SessionStartRequest request, String device, Caller caller, boolean fetchFirst) {
    return placement
        .place(request.getNode())
        .compose(
            node ->
                (fetchFirst && request.getImageId() != null
                        ? prepareOn(id, node, request, caller)
                        : Future.<Void>succeededFuture())
                    .compose(
                        fetched ->
                            node.targets()
                                .create(
                                    TargetRequest.of(
                                            request.getImageId(),
                                            request.getInitiatorIqn(),
                                            device,
                                            false)
                                        .setDrive(request.isDrive()),
                                    callers.seal(caller))))
        .recover(
            cause -> {
              // A node that never answered is unavailable, not an internal error.
              Throwable failure =
                  BusFailures.unreachable(cause)
                      ? DomainErrors.unavailable(
                          "the target node did not answer in time; try again")
                      : cause;
              return repository
                  .finish(id, SessionState.FAILED, failure.getMessage())
                  .onComplete(
                      done ->
                          events.publish(
                              event(
                                  "session.failed",
                                  caller,
                                  id,
                                  Outcome.FAILURE,
                                  new JsonObject().put("reason", failure.getMessage()))))
                  .transform(done -> Future.failedFuture(failure));
            });
  }

  /** The node brings the image onto itself; the row says which node first (its loss fails it). */
  private Future<Void> prepareOn(
      UUID id, TargetPlacement.Placed node, SessionStartRequest request, Caller caller) {
    Future<Void> placed =
        node.node() == null
            ? Future.succeededFuture()
            : repository.placeOn(id, node.node().node(), node.node().incarnation());
    return placed.compose(v -> node.fetches().prepare(request.getImageId(), callers.seal(caller)));
  }

  private Future<Void> withinQuota(Caller caller) {
    return repository
        .countActive(caller.getUsername())
        .compose(
            active ->
                active < settings.maxSessionsPerUser()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new io.vertx.serviceproxy.ServiceException(
                            DomainErrors.TOO_MANY,
                            "you have "
                                + active
                                + " active sessions, the most allowed; end one first")));
  }

  @Override
  public Future<Session> heartbeat(String id, Caller caller) {
    return Ids.parse(id, "session")
        .compose(
            sessionId ->
                leases
                    .find(id)
                    .compose(
                        lease ->
                            lease.isPresent()
                                ? beatWithLease(id, lease.get(), caller)
                                : beatFromRow(sessionId, caller)));
  }

  /** The usual beat: the lease in shared data says whose it is and whether it is still on. */
  private Future<Session> beatWithLease(String id, Leases.Lease lease, Caller caller) {
    if (!mayUse(caller, lease.owner())) {
      return Future.failedFuture(DomainErrors.notFound("no session " + id));
    }
    if (leases.expiry(lease).isBefore(leases.now())) {
      return Future.failedFuture(DomainErrors.gone("session " + id + " has expired"));
    }
    return renew(id, lease.owner());
  }

  /** No lease in shared data: the session ended, or this cluster restarted since its last beat. */
  private Future<Session> beatFromRow(UUID sessionId, Caller caller) {
    return find(sessionId, caller)
        .compose(
            stored ->
                stored.state() == SessionState.ACTIVE
                    ? renew(sessionId.toString(), stored.owner())
                    : Future.failedFuture(over(sessionId, stored)));
  }

  /** A beat for a session that is over: 410, with how it ended and why. */
  private static ServiceException over(UUID sessionId, StoredSession stored) {
    return DomainErrors.gone(
        "session "
            + sessionId
            + " is "
            + stored.state().name().toLowerCase(Locale.ROOT)
            + (stored.reason() == null ? "" : ": " + stored.reason()));
  }

  @Override
  public Future<Void> end(String id, Caller caller) {
    return Ids.parse(id, "session")
        .compose(sessionId -> find(sessionId, caller, true))
        .compose(
            stored -> {
              if (stored.state() != SessionState.ACTIVE) {
                return Future.succeededFuture();
              }
              String reason =
                  stored.owner().equals(caller.getUsername())
                      ? null
                      : "ended by " + caller.getUsername();
              return finish(stored, SessionState.ENDED, caller, "session.ended", reason).mapEmpty();
            });
  }

  @Override
  public Future<Session> get(String id, Caller caller) {
    return Ids.parse(id, "session")
        .compose(sessionId -> find(sessionId, caller, true))
        .compose(
            stored -> withLease(stored, Map.of()).compose(view -> detailed(view, stored, caller)));
  }

  /**
   * What only a single session's view says: how far a preparing one's fetch got, and to its owner,
   * an active one's CHAP credentials (kept by its target node).
   */
  private Future<Session> detailed(Session view, StoredSession stored, Caller caller) {
    if (view.getState() == SessionState.PREPARING) {
      return stored.imageId() == null
          ? Future.succeededFuture(view)
          : placement.fetchProgress(stored.imageId().toString()).map(view::setPreparing);
    }
    if (view.getState() != SessionState.ACTIVE || stored.targetId() == null) {
      return withChap(view, stored, caller);
    }
    String targetId = stored.targetId().toString();
    Future<Session> connected =
        placement
            .connections()
            .map(
                all ->
                    view.setConnections(
                        all.stream().filter(c -> targetId.equals(c.getTargetId())).toList()));
    if (stored.drive()) {
      // What is in a drive is its target's to say: an initiator may have ejected the disc.
      connected =
          connected.compose(
              v -> targets.get(targetId).map(target -> view.setImageId(target.getImageId())));
    }
    return connected.compose(v -> withChap(view, stored, caller));
  }

  /** An active session's CHAP credentials, to its owner only (kept by its target node). */
  private Future<Session> withChap(Session view, StoredSession stored, Caller caller) {
    if (view.getState() == SessionState.ACTIVE
        && stored.targetId() != null
        && stored.owner().equals(caller.getUsername())) {
      return targets
          .chapOf(stored.targetId().toString(), callers.seal(caller))
          .map(
              chap ->
                  view.setChap(
                      new Chap().setUsername(chap.getUsername()).setSecret(chap.getSecret())));
    }
    return Future.succeededFuture(view);
  }

  @Override
  public Future<Boolean> hasActiveForImage(String imageId) {
    return Ids.parse(imageId, "image").compose(repository::activeForImage);
  }

  @Override
  public Future<List<Session>> list(Caller caller) {
    return page(null, 0, MAX_PAGE, caller);
  }

  @Override
  public Future<List<Session>> drives(Caller caller) {
    return described(
        repository.list(oversees(caller) ? null : caller.getUsername(), null, true, 0, MAX_PAGE));
  }

  @Override
  public Future<Session> insert(String id, String imageId, Caller caller) {
    return changeDisc(id, caller, (targetId, proven) -> targets.insert(targetId, imageId, proven));
  }

  @Override
  public Future<Session> eject(String id, boolean force, Caller caller) {
    return changeDisc(id, caller, (targetId, proven) -> targets.eject(targetId, force, proven));
  }

  /** A change of an active drive's disc, made by its target; the row keeps the disc it names. */
  private Future<Session> changeDisc(
      String id,
      Caller caller,
      java.util.function.BiFunction<String, Caller, Future<Target>> change) {
    return activeDrive(id, caller)
        .compose(
            stored ->
                change
                    .apply(stored.targetId().toString(), callers.seal(caller))
                    .compose(target -> repository.setDisc(stored.id(), discOf(target))))
        .compose(v -> get(id, caller));
  }

  private static UUID discOf(Target target) {
    return target.getImageId() == null ? null : UUID.fromString(target.getImageId());
  }

  /** One of the caller's drives that is active and has its target (its owner's, or an admin's). */
  private Future<StoredSession> activeDrive(String id, Caller caller) {
    return Ids.parse(id, "drive")
        .compose(sessionId -> find(sessionId, caller))
        .compose(
            stored -> {
              if (!stored.drive()) {
                return Future.failedFuture(DomainErrors.notFound("no drive " + id));
              }
              if (stored.state() != SessionState.ACTIVE) {
                return Future.failedFuture(over(stored.id(), stored));
              }
              if (stored.targetId() == null) {
                return Future.failedFuture(
                    DomainErrors.conflict("drive " + id + " is still being prepared"));
              }
              return Future.succeededFuture(stored);
            });
  }

  @Override
  public Future<List<Session>> page(SessionState state, int offset, int limit, Caller caller) {
    if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(
          DomainErrors.badRequest("offset must be 0 or more and limit between 1 and " + MAX_PAGE));
    }
    SessionState stored = state == SessionState.PREPARING ? SessionState.ACTIVE : state;
    return described(
        repository.list(
            oversees(caller) ? null : caller.getUsername(), stored, false, offset, limit));
  }

  /** Rows as people see them: with their leases and who is connected to their targets. */
  private Future<List<Session>> described(Future<List<StoredSession>> rows) {
    Future<Map<String, List<Connection>>> connections =
        placement
            .connections()
            .map(all -> all.stream().collect(Collectors.groupingBy(Connection::getTargetId)));
    return rows.compose(
        found ->
            connections.compose(
                byTarget -> {
                  List<Future<Session>> described =
                      found.stream().map(row -> withLease(row, byTarget)).toList();
                  return Future.all(described)
                      .map(all -> described.stream().map(Future::result).toList());
                }));
  }

  /**
   * Ends a session: its target goes first, so nothing can log in to a session that is over. Answers
   * whether this call ended it: false when someone else (the owner, the reaper) already had. A
   * session FAILED because its node is lost ends even when no target-service answers: the node
   * removes the target itself when it comes back.
   *
   * @param reason why, when the owner did not end it; shown with the session
   */
  Future<Boolean> finish(
      StoredSession stored, SessionState state, Caller caller, String eventType, String reason) {
    Future<Void> targetGone =
        stored.targetId() == null
            ? Future.succeededFuture()
            : targets
                .delete(stored.targetId().toString(), callers.seal(caller))
                .recover(
                    failure ->
                        notFound(failure)
                                || (state == SessionState.FAILED
                                    && BusFailures.unreachable(failure))
                            ? Future.succeededFuture()
                            : Future.failedFuture(failure));
    return targetGone
        .compose(v -> repository.finish(stored.id(), state, reason))
        .compose(changed -> leases.drop(stored.id().toString()).map(changed))
        .map(
            changed -> {
              if (changed) {
                events.publish(
                    event(
                        eventType,
                        caller,
                        stored.id(),
                        Outcome.SUCCESS,
                        new JsonObject()
                            .put("targetIqn", stored.targetIqn())
                            .put("owner", stored.owner())
                            .put("reason", reason)));
              }
              return changed;
            });
  }

  private static boolean notFound(Throwable failure) {
    return failure instanceof io.vertx.serviceproxy.ServiceException e
        && e.failureCode() == DomainErrors.NOT_FOUND;
  }

  private Future<Session> renew(String id, String owner) {
    return leases
        .extend(id, owner)
        .map(
            expires ->
                new Session().setId(id).setState(SessionState.ACTIVE).setLeaseExpiresAt(expires));
  }

  private Future<StoredSession> find(UUID id, Caller caller) {
    return find(id, caller, false);
  }

  /**
   * @param overseen whether operators may act on it too (see and end; not heartbeat)
   */
  private Future<StoredSession> find(UUID id, Caller caller, boolean overseen) {
    return repository
        .get(id)
        .compose(
            found ->
                found
                    .filter(s -> mayUse(caller, s.owner()) || (overseen && oversees(caller)))
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(DomainErrors.notFound("no session " + id))));
  }

  /** The row, its live lease, and who the backend says is connected to its target. */
  private Future<Session> withLease(
      StoredSession row, Map<String, List<Connection>> connectionsByTarget) {
    Future<Optional<Leases.Lease>> lease =
        row.state() != SessionState.ACTIVE
            ? Future.succeededFuture(Optional.empty())
            : leases.find(row.id().toString());
    List<Connection> connections =
        row.targetId() == null || row.state() != SessionState.ACTIVE
            ? List.of()
            : connectionsByTarget.getOrDefault(row.targetId().toString(), List.of());
    return lease.map(
        live ->
            session(
                    row.id().toString(),
                    row.state() == SessionState.ACTIVE && row.targetId() == null
                        ? SessionState.PREPARING
                        : row.state(),
                    row.imageId() == null ? null : row.imageId().toString(),
                    row.initiatorIqn(),
                    row.owner(),
                    row.deviceType(),
                    row.targetIqn() == null
                        ? null
                        : target(
                            row.targetIqn(),
                            row.targetPortal() == null ? settings.portal() : row.targetPortal(),
                            row.targetLun()))
                .setCreatedAt(row.createdAt())
                .setReason(row.reason())
                .setLeaseExpiresAt(live.map(Leases.Lease::expiresAt).orElse(row.leaseExpiresAt()))
                .setLastHeartbeatAt(live.map(leases::renewedAt).orElse(null))
                .setConnections(connections)
                .setDrive(row.drive()));
  }

  /** Every view of a session starts here, so the answer to start and a listing agree. */
  private Session session(
      String id,
      SessionState state,
      String imageId,
      String initiatorIqn,
      String owner,
      String deviceType,
      SessionTarget target) {
    return new Session()
        .setId(id)
        .setState(state)
        .setImageId(imageId)
        .setInitiatorIqn(initiatorIqn)
        .setOwner(owner)
        .setDeviceType(deviceType)
        .setTarget(target)
        .setHeartbeatIntervalSeconds(settings.heartbeatSeconds());
  }

  /** Where a session's disc is served, with the LUN the backend serves. */
  private static SessionTarget target(String iqn, String portal, Integer lun) {
    return new SessionTarget().setIqn(iqn).setPortal(portal).setLun(lun);
  }

  private static boolean mayUse(Caller caller, String owner) {
    return caller.getUsername().equals(owner) || caller.hasRole(Role.ADMIN);
  }

  /** Operators and admins see every session and may end any (heartbeats stay the owner's). */
  private static boolean oversees(Caller caller) {
    return caller.hasRole(Role.ADMIN) || caller.hasRole(Role.OPERATOR);
  }

  @Override
  public Future<JsonObject> activeCounts(List<String> imageIds, Caller caller) {
    List<UUID> ids = new java.util.ArrayList<>();
    for (String id : imageIds) {
      try {
        ids.add(UUID.fromString(id));
      } catch (IllegalArgumentException notAnId) {
        // An id no image can have is used by no session.
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject());
    }
    return repository
        .activeCounts(ids)
        .map(
            counts -> {
              JsonObject json = new JsonObject();
              counts.forEach((id, count) -> json.put(id.toString(), count));
              return json;
            });
  }

  private static DomainEvent event(
      String type, Caller caller, UUID id, Outcome outcome, JsonObject details) {
    return DomainEvent.of(
        type, caller.getUsername(), "session/" + id, outcome, caller.getSourceIp(), details);
  }
}
