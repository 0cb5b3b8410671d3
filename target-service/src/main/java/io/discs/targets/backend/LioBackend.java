package io.discs.targets.backend;

import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.discs.targets.command.Arg;
import io.discs.targets.command.Command;
import io.discs.targets.command.CommandResult;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.command.SerialQueue;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the kernel's LIO target through {@code targetcli}, one ordered queue per host (parallel
 * targetcli runs corrupt its state). A fileio backstore cannot be read-only, so read-only comes
 * from the mapped LUN ({@code write_protect=1}, the digit: rtslib reads {@code true} as writable)
 * and the TPG's write-protect attributes, and is read back as {@code ro} after every create.
 */
public final class LioBackend implements IscsiService {
  private static final Pattern TARGET_LINE =
      Pattern.compile("o- ((?:iqn|eui|naa)\\.[a-z0-9.:_-]+) ");

  private final CommandRunner runner;
  private final SerialQueue queue = new SerialQueue();
  private final Path storeRoot;
  private final HostPort portal;

  public LioBackend(CommandRunner runner, Path storeRoot, HostPort portal) {
    this.runner = runner;
    this.storeRoot = storeRoot;
    this.portal = portal;
  }

  @Override
  public String name() {
    return "lio";
  }

  /**
   * The disc is mapped as LUN 0 of the initiator's ACL ({@code mapped_lun=0}); LIO answers REPORT
   * LUNS itself and needs no controller LUN, unlike tgt. (Answering tgt's LUN 1 here sent the
   * companion looking for a device that never came: seen with real LIO in the Debian guest.)
   */
  @Override
  public int lun() {
    return 0;
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    Arg.Iqn iqn = new Arg.Iqn(spec.iqn());
    Arg.Iqn initiator = new Arg.Iqn(spec.initiatorIqn());
    Arg tpg = Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"));
    Arg acl =
        Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"), Arg.keyword("acls"), initiator);
    Arg backstore = backstoreName(spec.iqn());
    List<Command> steps = new ArrayList<>();
    steps.add(
        targetcli()
            .keyword("set")
            .keyword("global")
            .keyword("auto_add_mapped_luns=false")
            .keyword("auto_add_default_portal=false")
            .build());
    steps.add(
        targetcli()
            .arg(Arg.path(Arg.keyword("backstores"), Arg.keyword("fileio")))
            .keyword("create")
            .arg(Arg.param("name", backstore))
            .arg(Arg.param("file_or_dev", new Arg.StorePath(storeRoot, spec.backingFile())))
            .build());
    steps.add(targetcli().arg(Arg.path(Arg.keyword("iscsi"))).keyword("create").arg(iqn).build());
    steps.add(
        targetcli()
            .arg(tpg)
            .keyword("set")
            .keyword("attribute")
            .keyword("authentication=1")
            .keyword("generate_node_acls=0")
            .keyword("cache_dynamic_acls=0")
            .keyword("demo_mode_write_protect=1")
            .keyword("prod_mode_write_protect=1")
            .build());
    steps.add(
        targetcli()
            .arg(Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"), Arg.keyword("luns")))
            .keyword("create")
            .arg(Arg.path(Arg.keyword("backstores"), Arg.keyword("fileio"), backstore))
            .build());
    steps.add(
        targetcli()
            .arg(Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"), Arg.keyword("portals")))
            .keyword("create")
            .arg(Arg.keyword(portal.host()))
            .arg(new Arg.Number(portal.port()))
            .build());
    steps.add(
        targetcli()
            .arg(Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"), Arg.keyword("acls")))
            .keyword("create")
            .arg(initiator)
            .keyword("add_mapped_luns=false")
            .build());
    steps.add(
        targetcli()
            .arg(acl)
            .keyword("create")
            .keyword("mapped_lun=0")
            .keyword("tpg_lun_or_backstore=lun0")
            .keyword("write_protect=1")
            .build());
    // The secrets go to targetcli on its standard input: on its command line, any local user
    // could read them in /proc while it runs.
    Command.Builder auth =
        targetcli()
            .onStdin()
            .arg(acl)
            .keyword("set")
            .keyword("auth")
            .arg(Arg.param("userid", new Arg.ChapUser(spec.chap().user())))
            .arg(Arg.param("password", new Arg.ChapSecret(spec.chap().secret())));
    if (spec.mutualChap() != null) {
      auth.arg(Arg.param("mutual_userid", new Arg.ChapUser(spec.mutualChap().user())))
          .arg(Arg.param("mutual_password", new Arg.ChapSecret(spec.mutualChap().secret())));
    }
    steps.add(auth.build());
    steps.add(saveconfig());
    Command readBack = targetcli().keyword("ls").arg(acl).build();
    return queue.submit(
        () ->
            runAll(steps)
                .compose(v -> runner.run(readBack))
                .compose(LioBackend::checked)
                .compose(
                    result ->
                        result.stdout().contains("[lun0 fileio/" + backstore.value() + " (ro)]")
                            ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture(
                                DomainErrors.unavailable(
                                    "LIO did not map " + spec.iqn() + " read-only")))
                .recover(
                    failure ->
                        teardown(spec.iqn(), spec.initiatorIqn())
                            .transform(ignored -> Future.failedFuture(failure))));
  }

  @Override
  public Future<Void> delete(String iqn) {
    Arg acls =
        Arg.path(Arg.keyword("iscsi"), new Arg.Iqn(iqn), Arg.keyword("tpg1"), Arg.keyword("acls"));
    return queue.submit(
        () ->
            runner
                .run(targetcli().keyword("ls").arg(acls).build())
                .compose(LioBackend::checked)
                .compose(
                    result -> {
                      List<String> initiators = names(result.stdout());
                      return teardown(iqn, initiators.isEmpty() ? null : initiators.get(0));
                    }));
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return runner
        .run(targetcli().keyword("ls").arg(Arg.path(Arg.keyword("iscsi"))).keyword("1").build())
        .compose(LioBackend::checked)
        .map(
            result -> {
              List<BackendTarget> targets = new ArrayList<>();
              for (String iqn : names(result.stdout())) {
                targets.add(new BackendTarget(iqn, List.of(), List.of(), true, List.of()));
              }
              return targets;
            });
  }

  /** The iSCSI names in a {@code targetcli ls} tree, in order. */
  private static List<String> names(String tree) {
    List<String> names = new ArrayList<>();
    Matcher matcher = TARGET_LINE.matcher(tree);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** targetcli reports sessions only in free text; discs does not parse it yet. */
  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return Future.succeededFuture(List.of());
  }

  /** The ACL first (so re-login fails fast), then the target, then the backstore; then save. */
  private Future<Void> teardown(String iqn, String initiator) {
    Arg.Iqn target = new Arg.Iqn(iqn);
    List<Command> steps = new ArrayList<>();
    if (initiator != null) {
      steps.add(
          targetcli()
              .arg(Arg.path(Arg.keyword("iscsi"), target, Arg.keyword("tpg1"), Arg.keyword("acls")))
              .keyword("delete")
              .arg(new Arg.Iqn(initiator))
              .build());
    }
    steps.add(
        targetcli().arg(Arg.path(Arg.keyword("iscsi"))).keyword("delete").arg(target).build());
    steps.add(
        targetcli()
            .arg(Arg.path(Arg.keyword("backstores"), Arg.keyword("fileio")))
            .keyword("delete")
            .arg(backstoreName(iqn))
            .build());
    steps.add(saveconfig());
    return runAll(steps);
  }

  private Future<Void> runAll(List<Command> steps) {
    return runner.runInOrder(steps, LioBackend::checked);
  }

  private static Arg backstoreName(String iqn) {
    return Arg.keyword("discs-" + iqn.substring(iqn.indexOf(':') + 1).replace('.', '-'));
  }

  private static Command saveconfig() {
    return targetcli().keyword("saveconfig").build();
  }

  private static Command.Builder targetcli() {
    return Command.of("targetcli");
  }

  /** "does not exist" and "already exists" are the idempotent answers; anything else failed. */
  private static Future<CommandResult> checked(CommandResult result) {
    String output = result.stdout() + result.stderr();
    if (result.succeeded()
        || output.contains("No such path")
        || output.contains("does not exist")
        || output.contains("already exists")) {
      return Future.succeededFuture(result);
    }
    return Future.failedFuture(
        DomainErrors.unavailable(
            "the LIO backend refused (" + result.command() + "): " + output.strip()));
  }
}
