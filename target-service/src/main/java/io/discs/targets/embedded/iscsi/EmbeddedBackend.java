package io.discs.targets.embedded.iscsi;

import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.Image;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.BackendTarget;
import io.discs.targets.backend.DiscChanger;
import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.embedded.backing.BlockSource;
import io.discs.targets.embedded.backing.SharedBlockSources;
import io.discs.targets.embedded.scsi.Drive;
import io.discs.targets.embedded.scsi.ScsiDevice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The iSCSI target inside the JVM, the default backend: a Vert.x TCP server speaking RFC 7143 to
 * initiators, serving each target's image read-only (the file is opened read-only; every write
 * command answers DATA PROTECT). Targets come and go at runtime; deleting one ends its sessions.
 */
public final class EmbeddedBackend implements IscsiService, DiscChanger {
  private static final long MIN_IMAGE_BYTES = Image.MIN_BYTES;
  static final int MAX_LOGGING_IN = 128;
  static final int MAX_LOGGING_IN_PER_ADDRESS = 16;

  private final Vertx vertx;
  private final WorkerExecutor io;
  private final SharedBlockSources sources;
  private final HostPort listen;
  private final String portal;
  private final MeterRegistry metrics;
  private final Map<String, EmbeddedTarget> targets = new ConcurrentHashMap<>();
  private final java.util.List<java.util.function.Consumer<String>> reloadedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<java.util.function.Consumer<String>> emptiedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<IscsiConnection, Boolean> connections = new ConcurrentHashMap<>();
  private final DataInBudget budget = DataInBudget.forHeap(Runtime.getRuntime().maxMemory());
  private final LoginRefusals refusals =
      new LoginRefusals(org.slf4j.LoggerFactory.getLogger(IscsiConnection.class));
  private String listenerDeployment;

  public EmbeddedBackend(Vertx vertx, HostPort listen, HostPort portal, MeterRegistry metrics) {
    this.vertx = vertx;
    this.io = vertx.createSharedWorkerExecutor("discs-embedded-io", 8);
    this.sources = new SharedBlockSources(io);
    this.listen = listen;
    this.portal = portal.toString();
    this.metrics = metrics;
    Gauge.builder("discs.embedded.sessions", connections, Map::size).register(metrics);
    Gauge.builder("discs.embedded.datain.queued", budget, DataInBudget::taken)
        .description("Data-In bytes read for initiators and not yet taken by their sockets")
        .baseUnit("bytes")
        .register(metrics);
    Gauge.builder("discs.embedded.images.open", sources, SharedBlockSources::openFiles)
        .description("stored images the embedded target has open, one file per image")
        .register(metrics);
  }

  /**
   * Listens from a verticle of its own, so that iSCSI connections are served on that verticle's
   * event loop and not on target-service's: a busy initiator then delays other initiators, never
   * the creation and removal of targets that session starts wait for.
   */
  public Future<Void> start() {
    return vertx
        .deployVerticle(new Listener())
        .map(
            id -> {
              listenerDeployment = id;
              return null;
            });
  }

  public Future<Void> stop() {
    List<Future<Void>> retired = targets.values().stream().map(this::retire).toList();
    targets.clear();
    // When target-service itself is undeployed, Vert.x has undeployed the listener (its child)
    // already: "unknown deployment" then means done.
    Future<Void> closed =
        listenerDeployment == null
            ? Future.succeededFuture()
            : vertx.undeploy(listenerDeployment).otherwiseEmpty();
    return Future.join(retired).transform(v -> closed).compose(v -> io.close());
  }

  /** The iSCSI portal's listening socket and the connections it accepts. */
  private final class Listener extends VerticleBase {
    @Override
    public Future<?> start() {
      NetServerOptions options =
          new NetServerOptions()
              .setHost(listen.host())
              .setPort(listen.port())
              .setTcpNoDelay(true)
              .setIdleTimeout(300)
              .setIdleTimeoutUnit(TimeUnit.SECONDS);
      return vertx.createNetServer(options).connectHandler(this::accept).listen();
    }

    private void accept(NetSocket socket) {
      String address = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
      if (tooManyLoggingIn(address)) {
        metrics.counter("discs.embedded.login.failures", "reason", "too.many").increment();
        refusals.log(address, null, "too many connections logging in or in discovery");
        socket.close();
        return;
      }
      IscsiConnection connection =
          new IscsiConnection(
              vertx,
              socket,
              connections::remove,
              EmbeddedBackend.this::find,
              EmbeddedBackend.this::visibleTo,
              portal,
              metrics,
              budget,
              refusals);
      connections.put(connection, Boolean.TRUE);
    }
  }

  @Override
  public String name() {
    return "embedded";
  }

  @Override
  public int lun() {
    return 0;
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    EmbeddedTarget existing = targets.get(spec.iqn());
    if (existing != null && existing.spec().equals(spec)) {
      return Future.succeededFuture();
    }
    return io.executeBlocking(() -> sources.open(spec.backingFile()), false)
        .compose(
            source -> {
              if (source.size() < MIN_IMAGE_BYTES) {
                source.close();
                return Future.failedFuture(
                    DomainErrors.badRequest("the image is too small to serve"));
              }
              ScsiDevice.Kind kind =
                  spec.deviceType() == DeviceType.CDROM
                      ? ScsiDevice.Kind.CDROM
                      : ScsiDevice.Kind.DISK;
              byte[] id = sha256(spec.iqn());
              String serial = java.util.HexFormat.of().formatHex(id, 0, 8);
              long naa = java.nio.ByteBuffer.wrap(id, 8, 8).getLong();
              EmbeddedTarget created =
                  new EmbeddedTarget(
                      spec, source, new ScsiDevice(kind, source.size(), serial, naa));
              EmbeddedTarget replaced = targets.put(spec.iqn(), created);
              if (replaced != null) {
                retire(replaced);
              }
              return Future.<Void>succeededFuture();
            })
        .recover(
            failure ->
                failure instanceof io.vertx.serviceproxy.ServiceException
                    ? Future.failedFuture(failure)
                    : Future.failedFuture(
                        DomainErrors.unavailable(
                            "the embedded target cannot open the image: " + failure.getMessage())));
  }

  @Override
  public Future<Void> delete(String iqn) {
    EmbeddedTarget removed = targets.remove(iqn);
    return removed == null ? Future.succeededFuture() : retire(removed);
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return Future.succeededFuture(
        targets.values().stream()
            .map(
                t ->
                    new BackendTarget(
                        t.spec().iqn(),
                        List.of(t.spec().initiatorIqn()),
                        List.of(t.spec().chap().user()),
                        true,
                        t.sessions()))
            .toList());
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return Future.succeededFuture(
        Optional.ofNullable(targets.get(iqn)).map(EmbeddedTarget::sessions).orElse(List.of()));
  }

  /** Ends the target's sessions now; closes its file on a worker. */
  private Future<Void> retire(EmbeddedTarget target) {
    target.endSessions();
    if (target.drive() != null) {
      return Future.join(target.drive().releaseAll().stream().map(this::close).toList()).mapEmpty();
    }
    return close(target.source());
  }

  private Future<Void> close(BlockSource source) {
    if (source == null) {
      return Future.succeededFuture();
    }
    return io.executeBlocking(
        () -> {
          source.close();
          return null;
        },
        false);
  }

  /**
   * A drive: a target whose CD/DVD LUN stays while its disc changes ({@link Drive}), empty until
   * {@link #insert}. {@code spec}'s image is not opened.
   */
  @Override
  public Future<Void> createDrive(TargetSpec spec) {
    byte[] id = sha256(spec.iqn());
    Drive<BlockSource> drive =
        new Drive<>(
            java.util.HexFormat.of().formatHex(id, 0, 8),
            java.nio.ByteBuffer.wrap(id, 8, 8).getLong(),
            this::close,
            new Drive.InitiatorChanges() {
              // Told once the drive's lock is let go: how the drive stands then says what to do.
              @Override
              public void ejected() {
                vertx.runOnContext(v -> toldEmptied(spec.iqn()));
              }

              @Override
              public void reloaded() {
                vertx.runOnContext(v -> toldReloaded(spec.iqn()));
              }
            });
    EmbeddedTarget replaced = targets.put(spec.iqn(), new EmbeddedTarget(spec, drive));
    return replaced == null ? Future.succeededFuture() : retire(replaced);
  }

  /**
   * Puts the image in {@code file} into the drive {@code iqn}, in place of its disc: every session
   * of it hears of the change, none is logged out.
   */
  @Override
  public Future<Void> insert(String iqn, Path file) {
    Drive<BlockSource> drive = driveOf(iqn);
    if (drive == null) {
      return Future.failedFuture(DomainErrors.notFound("no drive " + iqn));
    }
    return io.executeBlocking(() -> sources.open(file), false)
        .compose(
            source -> {
              if (source.size() < MIN_IMAGE_BYTES) {
                source.close();
                return Future.failedFuture(
                    DomainErrors.badRequest("the image is too small to serve"));
              }
              drive.insert(new Drive.Disc<>(source.size(), source));
              return Future.<Void>succeededFuture();
            });
  }

  /** Takes the disc out of the drive {@code iqn}, unless an initiator locks it and not forced. */
  @Override
  public Future<Ejection> eject(String iqn, boolean force) {
    Drive<BlockSource> drive = driveOf(iqn);
    if (drive == null) {
      return Future.failedFuture(DomainErrors.notFound("no drive " + iqn));
    }
    return Future.succeededFuture(
        switch (drive.eject(force)) {
          case EJECTED -> Ejection.EJECTED;
          case ALREADY_EMPTY -> Ejection.ALREADY_EMPTY;
          case REFUSED_LOCKED -> Ejection.REFUSED_LOCKED;
        });
  }

  @Override
  public boolean hasDisc(String iqn) {
    Drive<BlockSource> drive = driveOf(iqn);
    return drive != null && drive.disc() != null;
  }

  @Override
  public void onEmptied(java.util.function.Consumer<String> listener) {
    emptiedListeners.add(listener);
  }

  @Override
  public java.util.Optional<DiscChanger> discChanger() {
    return java.util.Optional.of(this);
  }

  private void toldEmptied(String iqn) {
    Drive<BlockSource> drive = driveOf(iqn);
    if (drive != null && drive.disc() == null) {
      emptiedListeners.forEach(listener -> listener.accept(iqn));
    }
  }

  private void toldReloaded(String iqn) {
    Drive<BlockSource> drive = driveOf(iqn);
    if (drive != null && drive.disc() != null) {
      reloadedListeners.forEach(listener -> listener.accept(iqn));
    }
  }

  @Override
  public void onReloaded(java.util.function.Consumer<String> listener) {
    reloadedListeners.add(listener);
  }

  private Drive<BlockSource> driveOf(String iqn) {
    EmbeddedTarget target = targets.get(iqn);
    return target == null ? null : target.drive();
  }

  /**
   * Connections that have not logged in, and discovery sessions (which need no CHAP), cost memory
   * and prove nothing: beyond a few per address and a bound in all, new ones are closed at once.
   * Sessions of targets are counted and capped by their target.
   */
  private boolean tooManyLoggingIn(String address) {
    int total = 0;
    int fromAddress = 0;
    for (IscsiConnection connection : connections.keySet()) {
      if (!connection.sessionOfTarget()) {
        total++;
        if (address.equals(connection.remoteAddress())) {
          fromAddress++;
        }
      }
    }
    return total >= MAX_LOGGING_IN || fromAddress >= MAX_LOGGING_IN_PER_ADDRESS;
  }

  private Optional<EmbeddedTarget> find(String iqn) {
    return Optional.ofNullable(targets.get(iqn));
  }

  private List<String> visibleTo(String initiator) {
    return targets.values().stream()
        .filter(t -> t.admits(initiator))
        .map(t -> t.spec().iqn())
        .sorted()
        .toList();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
