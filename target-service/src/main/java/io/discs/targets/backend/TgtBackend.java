package io.discs.targets.backend;

import io.discs.platform.error.DomainErrors;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.command.Arg;
import io.discs.targets.command.Command;
import io.discs.targets.command.CommandResult;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.command.SerialQueue;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives tgtd through {@code tgtadm}. Every change runs in one ordered queue; the tid is looked up
 * by IQN inside the queue just before use (tgt hands out max + 1, so a cached tid is a race); the
 * ACL is bound last and removed first; state is read back after each create; "can't find" and
 * "already exists" are treated as the idempotent answers they are.
 */
public final class TgtBackend implements IscsiService {
  private static final int LUN = 1;

  private final CommandRunner runner;
  private final SerialQueue queue = new SerialQueue();
  private final Integer controlPort;
  private final Path storeRoot;

  /**
   * @param controlPort tgtd's management port ({@code tgtd -C}), or null for the default
   * @param storeRoot backing files must be inside it
   */
  public TgtBackend(CommandRunner runner, Integer controlPort, Path storeRoot) {
    this.runner = runner;
    this.controlPort = controlPort;
    this.storeRoot = storeRoot;
  }

  @Override
  public String name() {
    return "tgt";
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    return queue.submit(
        () ->
            show()
                .compose(
                    targets -> {
                      Optional<TgtShow.Target> existing = TgtShow.find(targets, spec.iqn());
                      if (existing.isPresent() && matches(existing.get(), spec)) {
                        return Future.succeededFuture();
                      }
                      Future<Void> clean =
                          existing.map(t -> teardown(t)).orElse(Future.succeededFuture());
                      int tid = targets.stream().mapToInt(TgtShow.Target::tid).max().orElse(0) + 1;
                      return clean
                          .compose(v -> build(tid, spec))
                          .compose(v -> show())
                          .compose(
                              after ->
                                  TgtShow.find(after, spec.iqn())
                                          .filter(t -> matches(t, spec))
                                          .isPresent()
                                      ? Future.<Void>succeededFuture()
                                      : Future.<Void>failedFuture(
                                          DomainErrors.unavailable(
                                              "tgtd did not keep target "
                                                  + spec.iqn()
                                                  + " as configured")))
                          .recover(
                              failure ->
                                  show()
                                      .compose(
                                          after ->
                                              TgtShow.find(after, spec.iqn())
                                                  .map(this::teardown)
                                                  .orElse(Future.succeededFuture()))
                                      .transform(cleaned -> Future.failedFuture(failure)));
                    }));
  }

  @Override
  public Future<Void> delete(String iqn) {
    return queue.submit(
        () ->
            show()
                .compose(
                    targets ->
                        TgtShow.find(targets, iqn)
                            .map(this::teardown)
                            .orElse(Future.succeededFuture())));
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return show().map(targets -> targets.stream().map(TgtBackend::toBackendTarget).toList());
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return show()
        .map(targets -> TgtShow.find(targets, iqn).map(TgtShow.Target::nexuses).orElse(List.of()));
  }

  private Future<Void> build(int tid, TargetSpec spec) {
    Arg.Number t = new Arg.Number(tid);
    List<Command> steps = new ArrayList<>();
    steps.add(
        tgtadm()
            .option("--mode", "target")
            .option("--op", "new")
            .option("--tid", t)
            .option("--targetname", new Arg.Iqn(spec.iqn()))
            .build());
    Command.Builder lun =
        tgtadm()
            .option("--mode", "logicalunit")
            .option("--op", "new")
            .option("--tid", t)
            .option("--lun", new Arg.Number(LUN))
            .option("--backing-store", new Arg.StorePath(storeRoot, spec.backingFile()));
    if (spec.deviceType() == DeviceType.CDROM) {
      lun.option("--device-type", "cd");
    }
    steps.add(lun.build());
    steps.add(
        tgtadm()
            .option("--mode", "logicalunit")
            .option("--op", "update")
            .option("--tid", t)
            .option("--lun", new Arg.Number(LUN))
            .option("--params", "readonly=1")
            .build());
    steps.addAll(account(t, spec.chap(), false));
    if (spec.mutualChap() != null) {
      steps.addAll(account(t, spec.mutualChap(), true));
    }
    // The ACL last: until it exists nobody can log in to a half-made target.
    steps.add(
        tgtadm()
            .option("--mode", "target")
            .option("--op", "bind")
            .option("--tid", t)
            .option("--initiator-name", new Arg.Iqn(spec.initiatorIqn()))
            .build());
    return runAll(steps);
  }

  private List<Command> account(Arg.Number tid, ChapCredentials chap, boolean outgoing) {
    Arg.ChapUser user = new Arg.ChapUser(chap.user());
    Command.Builder bind =
        tgtadm()
            .option("--mode", "account")
            .option("--op", "bind")
            .option("--tid", tid)
            .option("--user", user);
    if (outgoing) {
      bind.option("--outgoing");
    }
    return List.of(
        tgtadm()
            .option("--mode", "account")
            .option("--op", "delete")
            .option("--user", user)
            .build(),
        tgtadm()
            .option("--mode", "account")
            .option("--op", "new")
            .option("--user", user)
            .option("--password", new Arg.ChapSecret(chap.secret()))
            .build(),
        bind.build());
  }

  /** ACLs first (re-login fails at once), then the target, then its accounts. */
  private Future<Void> teardown(TgtShow.Target target) {
    Arg.Number tid = new Arg.Number(target.tid());
    List<Command> unbind = new ArrayList<>();
    for (String acl : target.acls()) {
      if (Arg.IQN.matcher(acl).matches()) {
        unbind.add(
            tgtadm()
                .option("--mode", "target")
                .option("--op", "unbind")
                .option("--tid", tid)
                .option("--initiator-name", new Arg.Iqn(acl))
                .build());
      }
    }
    List<Command> steps = new ArrayList<>();
    steps.add(
        tgtadm()
            .option("--mode", "target")
            .option("--op", "delete")
            .option("--force")
            .option("--tid", tid)
            .build());
    List<String> users = new ArrayList<>(target.accounts());
    users.addAll(target.outgoingAccounts());
    for (String user : users) {
      steps.add(
          tgtadm()
              .option("--mode", "account")
              .option("--op", "delete")
              .option("--user", new Arg.ChapUser(user))
              .build());
    }
    // tgtadm deletes by number: the number is read again right before, so that a tid given to
    // another target since the first look is never deleted in this one's name.
    return runAll(unbind)
        .compose(v -> show())
        .compose(
            now ->
                now.stream().anyMatch(t -> t.tid() == target.tid() && t.iqn().equals(target.iqn()))
                    ? runAll(steps)
                    : Future.failedFuture(
                        DomainErrors.unavailable(
                            "tgtd's target "
                                + target.tid()
                                + " is no longer "
                                + target.iqn()
                                + ": not deleted")));
  }

  private Future<Void> runAll(List<Command> steps) {
    return runner.runInOrder(steps, TgtBackend::checked);
  }

  private Future<List<TgtShow.Target>> show() {
    return runner
        .run(tgtadm().option("--mode", "target").option("--op", "show").build())
        .compose(TgtBackend::checked)
        .map(result -> TgtShow.parse(result.stdout()));
  }

  private Command.Builder tgtadm() {
    Command.Builder builder = Command.of("tgtadm");
    if (controlPort != null) {
      builder.option("-C", new Arg.Number(controlPort));
    }
    return builder.option("--lld", "iscsi");
  }

  /**
   * tgtadm exits 22 for every daemon-side error: only its message tells the harmless ones apart.
   */
  private static Future<CommandResult> checked(CommandResult result) {
    String stderr = result.stderr();
    if (result.succeeded() || stderr.contains("can't find") || stderr.contains("already exists")) {
      return Future.succeededFuture(result);
    }
    String reason = stderr.isBlank() ? "exit code " + result.exitCode() : stderr.strip();
    return Future.failedFuture(
        DomainErrors.unavailable("the tgt backend refused (" + result.command() + "): " + reason));
  }

  private boolean matches(TgtShow.Target target, TargetSpec spec) {
    Optional<TgtShow.Lun> lun = target.luns().stream().filter(l -> l.number() == LUN).findFirst();
    boolean lunRight =
        lun.isPresent()
            && lun.get().backingPath().equals(spec.backingFile().toString())
            && (spec.deviceType() == DeviceType.CDROM || lun.get().readOnly());
    boolean chapRight =
        target.accounts().equals(List.of(spec.chap().user()))
            && (spec.mutualChap() == null
                ? target.outgoingAccounts().isEmpty()
                : target.outgoingAccounts().equals(List.of(spec.mutualChap().user())));
    return lunRight && chapRight && target.acls().equals(List.of(spec.initiatorIqn()));
  }

  private static BackendTarget toBackendTarget(TgtShow.Target target) {
    boolean readOnly =
        target.luns().stream().filter(l -> l.number() == LUN).allMatch(TgtShow.Lun::readOnly);
    List<String> users = new ArrayList<>(target.accounts());
    users.addAll(target.outgoingAccounts());
    return new BackendTarget(target.iqn(), target.acls(), users, readOnly, target.nexuses());
  }
}
