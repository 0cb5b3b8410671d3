package io.discs.targets.embedded.iscsi;

import io.discs.platform.text.UnsafeCharacters;
import io.discs.targets.embedded.backing.BlockSource;
import io.discs.targets.embedded.backing.FileRange;
import io.discs.targets.embedded.scsi.Drive;
import io.discs.targets.embedded.scsi.ScsiDevice;
import io.discs.targets.embedded.scsi.ScsiResult;
import io.discs.targets.embedded.scsi.Sense;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSCSI connection (and session: MaxConnections=1): the login (decided by {@link LoginEngine}),
 * then full feature phase: SCSI commands to the target's device, Data-In, NOP, Text, task
 * management, Logout, Reject. Runs on its socket's event loop ({@link PduTransport} owns the
 * socket); only reads of the medium that miss the page cache leave it.
 */
final class IscsiConnection {
  private static final Logger LOG = LoggerFactory.getLogger(IscsiConnection.class);
  static final int OUR_MAX_RECV = OperationalKeys.OUR_MAX_RECV;
  private static final int WINDOW = CommandWindow.SIZE;
  private static final int NO_TAG = Pdu.NO_TAG;

  /**
   * Data-In PDUs carrying at least this much go from the page cache to the socket by sendfile;
   * below it, opening the file for each send costs more than copying the bytes.
   */
  static final int SEND_FROM_FILE_MIN_BYTES = 64 << 10;

  /** SCSI status: the task table is full (immediate commands beyond the window). */
  private enum Phase {
    LOGIN,
    FULL_FEATURE,
    CLOSED
  }

  /** RFC 7143 leaves it to the target; tgt and LIO give a login 15 s. */
  static final long LOGIN_TIMEOUT_MS = 15_000;

  /** Login text is a few hundred bytes; more before authentication is somebody's probe. */
  static final int LOGIN_MAX_DATA = 8192;

  private final Context context;
  private final PduTransport transport;
  private final java.util.function.Consumer<IscsiConnection> onClosed;
  private final Function<String, Optional<EmbeddedTarget>> targets;
  private final Function<String, java.util.List<String>> visibleTo;
  private final String portal;
  private final MeterRegistry metrics;
  private final DataInBudget budget;
  private final LoginRefusals refusals;
  // Left with the budget when it had no room; tries again on this connection's event loop.
  private final Runnable wake;

  // Read from target-service's event loop too (listings), written only on this connection's.
  private volatile Phase phase = Phase.LOGIN;
  private final LoginEngine loginEngine;
  // Set from the login engine: the name as soon as it is known, the rest in full feature phase.
  private String initiatorName;
  private boolean discovery;
  private EmbeddedTarget target;
  private final CommandWindow window = new CommandWindow();
  private int tsih;
  private byte[] isid = new byte[6];

  /** This session's I_T nexus within its target (one initiator per target): its ISID, in hex. */
  private String nexus = "";

  private final TaskTable tasks;
  private final ScsiAnswers answers;

  IscsiConnection(
      Vertx vertx,
      NetSocket socket,
      java.util.function.Consumer<IscsiConnection> onClosed,
      Function<String, Optional<EmbeddedTarget>> targets,
      Function<String, java.util.List<String>> visibleTo,
      String portal,
      MeterRegistry metrics,
      DataInBudget budget,
      LoginRefusals refusals) {
    this.refusals = refusals;

    this.context = vertx.getOrCreateContext();
    this.budget = budget;
    this.tasks = new TaskTable(WINDOW, budget.perConnection());
    this.wake =
        () ->
            context.runOnContext(
                v -> {
                  if (phase == Phase.FULL_FEATURE) {
                    startReads();
                    updateReading();
                  }
                });
    this.onClosed = onClosed;
    this.targets = targets;
    this.visibleTo = visibleTo;
    this.portal = portal;
    this.metrics = metrics;
    this.loginEngine = new LoginEngine(targets, visibleTo);
    this.transport =
        new PduTransport(
            socket,
            new PduFramer(
                LOGIN_MAX_DATA,
                this::receive,
                this::protocolViolation,
                pdu -> reject(pdu, RejectReason.DATA_DIGEST_ERROR)),
            v -> closed(),
            e -> close());
    this.answers =
        new ScsiAnswers(transport, window, loginEngine::operational, this::updateReading);
    vertx.setTimer(
        LOGIN_TIMEOUT_MS,
        id -> {
          if (phase == Phase.LOGIN) {
            metrics.counter("discs.embedded.login.failures", "reason", "timeout").increment();
            refusals.log(remoteAddress(), initiatorName, "no login within 15 s");
            close();
          }
        });
  }

  /** Logged in (full feature phase), as opposed to still logging in or gone. */
  boolean loggedIn() {
    return phase == Phase.FULL_FEATURE;
  }

  /**
   * A session of a target, which the target counts and caps; a connection still logging in or a
   * discovery session is not (the listener caps those per address).
   */
  boolean sessionOfTarget() {
    return phase == Phase.FULL_FEATURE && !discovery;
  }

  String initiatorName() {
    return initiatorName;
  }

  String remoteAddress() {
    return transport.remoteAddress();
  }

  int tsih() {
    return tsih;
  }

  /**
   * Ends the connection; callable from any thread (target-service retires a target from its own
   * event loop), the work happens on the connection's.
   */
  void close() {
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> close());
      return;
    }
    if (phase != Phase.CLOSED) {
      phase = Phase.CLOSED;
      transport.close();
    }
  }

  private void closed() {
    phase = Phase.CLOSED;
    if (target != null) {
      target.detach(this);
    }
    tasks.abortAll();
    budget.forget(wake);
    onClosed.accept(this);
  }

  private void receive(Pdu pdu) {
    try {
      if (phase == Phase.LOGIN) {
        if (pdu.opcode() == Opcode.LOGIN_REQUEST) {
          login(pdu);
        } else {
          protocolViolation("opcode " + pdu.opcodeCode() + " before login completed");
        }
        return;
      }
      if (phase != Phase.FULL_FEATURE) {
        return;
      }
      if (!window.accept(pdu)) {
        return; // outside the command window: silently dropped, as RFC 7143 section 3.2.2.1 asks
      }
      switch (pdu.opcode()) {
        case NOP_OUT -> nopOut(pdu);
        case SCSI_COMMAND -> scsiCommand(pdu);
        case TASK_MANAGEMENT_REQUEST -> taskManagement(pdu);
        case TEXT_REQUEST -> text(pdu);
        case DATA_OUT -> {} // nothing is ever written here, the data is dropped
        case LOGOUT_REQUEST -> logout(pdu);
        case LOGIN_REQUEST -> {
          // A Login PDU in full feature phase is a protocol error (RFC 7143 section 6.2): say so
          // and end the connection, as tgt and LIO do.
          reject(pdu, RejectReason.PROTOCOL_ERROR);
          transport.end().onComplete(v -> close());
        }
        default -> reject(pdu, RejectReason.COMMAND_NOT_SUPPORTED);
      }
    } catch (RuntimeException e) {
      LOG.debug("rejecting a malformed PDU from {}: {}", remoteAddress(), e.getMessage());
      reject(pdu, RejectReason.INVALID_PDU_FIELD);
    }
  }

  // ---- Login ---------------------------------------------------------------------------------

  private void login(Pdu pdu) {
    isid = pdu.isid();
    nexus = HexFormat.of().formatHex(isid);
    window.restart(pdu.cmdSn(), pdu.expStatSn());
    LoginEngine.Step step = loginEngine.next(pdu);
    initiatorName = loginEngine.initiatorName();
    if (step instanceof LoginEngine.Refusal refusal) {
      if (refusal.counted()) {
        metrics.counter("discs.embedded.login.failures", "reason", refusal.reason()).increment();
      }
      loginReject(pdu, refusal.status(), refusal.reason());
      return;
    }
    LoginEngine.Answer answer = (LoginEngine.Answer) step;
    if (answer.fullFeature()) {
      tsih = 1 + (int) (Math.random() * 0xfffe);
      EmbeddedTarget.Admission admission =
          loginEngine.target() == null
              ? EmbeddedTarget.Admission.ADMITTED
              : loginEngine.target().admit(this, isid);
      if (admission == EmbeddedTarget.Admission.FULL) {
        metrics.counter("discs.embedded.login.failures", "reason", "too.many.sessions").increment();
        loginReject(pdu, LoginStatus.TOO_MANY_CONNECTIONS, "too many sessions on the target");
        return;
      }
      if (admission == EmbeddedTarget.Admission.REINSTATED) {
        metrics.counter("discs.embedded.reinstatements").increment();
      }
    }
    ResponseHeader header =
        window.stamp(
            ResponseHeader.of(Opcode.LOGIN_RESPONSE, answer.flags())
                .session(isid, tsih)
                .itt(pdu.itt()),
            true);
    transport.sendLogin(header, TextKeys.encode(answer.keys()));
    if (answer.fullFeature()) {
      enterFullFeaturePhase();
    }
  }

  private void enterFullFeaturePhase() {
    OperationalKeys negotiated = loginEngine.operational();
    discovery = loginEngine.discovery();
    target = loginEngine.target();
    boolean headerDigest = negotiated.headerDigest();
    boolean dataDigest = negotiated.dataDigest();
    phase = Phase.FULL_FEATURE;
    transport.enterFullFeaturePhase(headerDigest, dataDigest, OUR_MAX_RECV);
    LOG.info(
        "iSCSI login: initiator {} from {} to {} ({})",
        UnsafeCharacters.escaped(initiatorName),
        remoteAddress(),
        target == null ? "discovery" : target.spec().iqn(),
        loginEngine.chapUsed() ? "CHAP" : "no authentication");
    metrics
        .counter(
            "discs.embedded.logins",
            "type",
            discovery ? "discovery" : "normal",
            "header_digest",
            headerDigest ? "crc32c" : "none",
            "data_digest",
            dataDigest ? "crc32c" : "none")
        .increment();
  }

  private void loginReject(Pdu pdu, LoginStatus status, String reason) {
    refusals.log(remoteAddress(), initiatorName, reason);
    ResponseHeader header =
        window.stamp(
            ResponseHeader.of(Opcode.LOGIN_RESPONSE, 0)
                .session(pdu.isid(), 0)
                .itt(pdu.itt())
                .loginStatus(status.statusClass, status.detail),
            false);
    transport.sendLogin(header, null).onComplete(v -> close());
  }

  // ---- Full feature phase ---------------------------------------------------------------------

  private void nopOut(Pdu pdu) {
    if (pdu.itt() == NO_TAG) {
      return; // the answer to our ping; we do not ping
    }
    send(
        stamped(
            ResponseHeader.of(Opcode.NOP_IN, ResponseHeader.FINAL)
                .lun(pdu.lun())
                .itt(pdu.itt())
                .ttt(NO_TAG),
            true),
        pdu.data());
  }

  private void scsiCommand(Pdu pdu) {
    byte[] cdb = pdu.cdb();
    long lun = pdu.lun();
    int expected = pdu.expectedDataLength();
    metrics
        .counter("discs.embedded.commands", "opcode", String.format("0x%02x", cdb[0] & 0xff))
        .increment();
    Drive.Executed<BlockSource> executed =
        (lun >>> 48) == 0
            ? target.execute(nexus, cdb)
            : new Drive.Executed<>(ScsiDevice.absentLun(cdb), null);
    ScsiResult result = executed.result();
    if (result instanceof ScsiResult.MediumRead read) {
      if (!tasks.add(new TaskTable.Task(pdu, read, expected, executed.disc()))) {
        answers.status(pdu, ScsiStatus.TASK_SET_FULL, null, 0, 0);
        return;
      }
      startReads();
      updateReading();
    } else if (result instanceof ScsiResult.Data data) {
      answers.data(pdu, Buffer.buffer(data.bytes()), expected);
    } else if (result instanceof ScsiResult.CheckCondition check) {
      answers.status(pdu, ScsiStatus.CHECK_CONDITION, check.sense(), 0, 0);
    } else {
      answers.status(pdu, ScsiStatus.GOOD, null, expected > 0 ? DataInPlan.UNDERFLOW : 0, expected);
    }
  }

  /**
   * Starts waiting reads while the task table has room for their bytes: an initiator that asks much
   * and reads nothing holds a bounded amount of memory, whatever the command window or immediate
   * commands.
   */
  private void startReads() {
    for (Optional<TaskTable.Task> next = tasks.nextToStart(this::takeBudget);
        next.isPresent();
        next = tasks.nextToStart(this::takeBudget)) {
      start(next.get());
    }
  }

  private boolean takeBudget(TaskTable.Task task) {
    return budget.take(task.length(), wake);
  }

  private void start(TaskTable.Task task) {
    long offset = task.read().offset();
    int length = task.length();
    Future<Void> answered;
    try {
      answered = answer(task, offset, length);
    } catch (RuntimeException e) {
      // A read the block source cannot even begin: the task still answers and gives its room back.
      LOG.warn("a read at {} of {} bytes failed at once: {}", offset, length, e.toString());
      answered =
          answerIfOwed(
              task,
              () ->
                  answers.status(task.pdu(), ScsiStatus.CHECK_CONDITION, Sense.MEDIUM_ERROR, 0, 0));
    }
    answered.onComplete(
        written -> {
          tasks.finished(task);
          budget.give(length);
          if (phase == Phase.FULL_FEATURE) {
            startReads();
            updateReading();
          }
        });
  }

  private Future<Void> answer(TaskTable.Task task, long offset, int length) {
    // Each Data-In PDU is one sendfile (and one open of the file): worth it only for large PDUs.
    int pduData = Math.min(length, loginEngine.operational().theirMaxRecv());
    Optional<FileRange> range =
        pduData < SEND_FROM_FILE_MIN_BYTES || transport.dataDigest()
            ? Optional.empty()
            : task.source().residentRange(offset, length);
    return range.isPresent()
        ? answerFromFile(task, range.get())
        : task.source()
            .read(offset, length)
            .compose(
                bytes ->
                    answerIfOwed(
                        task,
                        () -> {
                          countRead(length, "copy");
                          return answers.data(task.pdu(), bytes, task.expected());
                        }),
                failure ->
                    answerIfOwed(
                        task,
                        () ->
                            answers.status(
                                task.pdu(), ScsiStatus.CHECK_CONDITION, Sense.MEDIUM_ERROR, 0, 0)));
  }

  /** Data-In straight from the page cache: the kernel sends the file's pages, nothing is copied. */
  private Future<Void> answerFromFile(TaskTable.Task task, FileRange range) {
    return answerIfOwed(
        task,
        () -> {
          countRead(range.length(), "sendfile");
          return answers.fromFile(task.pdu(), range, task.expected());
        });
  }

  /** Bytes read for initiators, and how each read left: copied through the heap or by sendfile. */
  private void countRead(int length, String path) {
    metrics.counter("discs.embedded.bytes.read").increment(length);
    metrics.counter("discs.embedded.reads", "path", path).increment();
  }

  /** Closed or aborted meanwhile: nothing is sent. */
  private Future<Void> answerIfOwed(TaskTable.Task task, Supplier<Future<Void>> answer) {
    if (phase != Phase.FULL_FEATURE || !tasks.owesAnswer(task)) {
      return Future.succeededFuture();
    }
    return answer.get();
  }

  /**
   * Reads from the initiator only while it is worth it: not while the socket's write queue is full
   * (it does not read what we send) nor while a window's worth of reads waits.
   */
  private void updateReading() {
    if (phase == Phase.CLOSED) {
      return;
    }
    transport.hold(transport.backedUp() || tasks.waitingCount() >= WINDOW, v -> updateReading());
  }

  /**
   * ABORT TASK takes the one task out of the table, ABORT TASK SET, CLEAR TASK SET and LUN RESET
   * all of them (the only LUN); an aborted task never answers. Other functions: not supported.
   */
  private void taskManagement(Pdu pdu) {
    TaskManagement.Response response =
        switch (TaskManagement.Function.of(pdu.taskFunction())) {
          case ABORT_TASK -> {
            tasks.abort(pdu.referencedTaskTag());
            // complete whether the task was still running or had answered
            yield TaskManagement.Response.FUNCTION_COMPLETE;
          }
          case ABORT_TASK_SET, CLEAR_TASK_SET, LOGICAL_UNIT_RESET -> {
            tasks.abortAll();
            yield TaskManagement.Response.FUNCTION_COMPLETE;
          }
          default -> TaskManagement.Response.FUNCTION_NOT_SUPPORTED;
        };
    send(
        stamped(
            ResponseHeader.of(Opcode.TASK_MANAGEMENT_RESPONSE, ResponseHeader.FINAL)
                .response(response.code)
                .itt(pdu.itt()),
            true),
        null);
    startReads();
    updateReading();
  }

  /** SendTargets in a discovery session: only the targets this initiator may log in to. */
  private void text(Pdu pdu) {
    Map<String, String> keys = TextKeys.parse(pdu.data());
    StringBuilder text = new StringBuilder();
    keys.forEach(
        (key, value) -> {
          if (key.equals("SendTargets") && (discovery || "All".equals(value) || value.isEmpty())) {
            for (String iqn : visibleTo.apply(initiatorName)) {
              if (!discovery && target != null && !iqn.equals(target.spec().iqn())) {
                continue;
              }
              text.append("TargetName=").append(iqn).append('\0');
              text.append("TargetAddress=").append(portal).append(",1").append('\0');
            }
          } else {
            text.append(key).append("=NotUnderstood").append('\0');
          }
        });
    send(
        stamped(
            ResponseHeader.of(Opcode.TEXT_RESPONSE, ResponseHeader.FINAL)
                .lun(pdu.lun())
                .itt(pdu.itt())
                .ttt(NO_TAG),
            true),
        Buffer.buffer(text.toString()));
  }

  private void logout(Pdu pdu) {
    send(
        stamped(
            ResponseHeader.of(Opcode.LOGOUT_RESPONSE, ResponseHeader.FINAL).itt(pdu.itt()), true),
        null);
    phase = Phase.CLOSED;
    transport.end(); // flushes the response, then closes
  }

  private void reject(Pdu pdu, RejectReason reason) {
    send(
        stamped(
            ResponseHeader.of(Opcode.REJECT, ResponseHeader.FINAL)
                .response(reason.code)
                .itt(NO_TAG),
            true),
        pdu.bhs());
  }

  private void protocolViolation(String why) {
    LOG.debug("closing iSCSI connection from {}: {}", remoteAddress(), why);
    metrics.counter("discs.embedded.protocol.errors").increment();
    close();
  }

  private ResponseHeader stamped(ResponseHeader header, boolean carriesStatus) {
    return window.stamp(header, carriesStatus);
  }

  /** One PDU out; reading pauses while the socket cannot take more. */
  private Future<Void> send(ResponseHeader response, Buffer data) {
    if (phase == Phase.CLOSED) {
      return Future.succeededFuture();
    }
    Future<Void> written = transport.send(response, data);
    updateReading();
    return written;
  }
}
