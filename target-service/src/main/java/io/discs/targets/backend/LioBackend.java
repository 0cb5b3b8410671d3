package io.discs.targets.backend;

import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.LioConfigfs.LioTarget;
import io.discs.targets.command.Arg;
import io.discs.targets.command.Command;
import io.discs.targets.command.CommandResult;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.command.SerialQueue;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives the kernel's LIO target through {@code targetcli}, one ordered queue per host (parallel
 * targetcli runs corrupt its state), and reads what the kernel holds from configfs ({@link
 * LioConfigfs}), not from targetcli's tree drawing. A fileio backstore cannot be read-only, so
 * read-only comes from the mapped LUN ({@code write_protect=1}, the digit: rtslib reads {@code
 * true} as writable) and the TPG's write-protect attributes, and is read back from configfs after
 * every create. LIO has no CD/DVD emulation: it serves disks only.
 */
public final class LioBackend implements IscsiService {
  private static final String BACKSTORE_PREFIX = "discs-";

  private final CommandRunner runner;
  private final LioConfigfs configfs;
  private final SerialQueue queue = new SerialQueue();
  private final Path storeRoot;
  private final HostPort portal;

  public LioBackend(CommandRunner runner, LioConfigfs configfs, Path storeRoot, HostPort portal) {
    this.runner = runner;
    this.configfs = configfs;
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
  public Set<DeviceType> deviceTypes() {
    return EnumSet.of(DeviceType.DISK);
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    Arg.Iqn iqn = new Arg.Iqn(spec.iqn());
    Arg.Iqn initiator = new Arg.Iqn(spec.initiatorIqn());
    Arg tpg = Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"));
    Arg acl =
        Arg.path(Arg.keyword("iscsi"), iqn, Arg.keyword("tpg1"), Arg.keyword("acls"), initiator);
    Arg backstore = backstoreName(spec.backingFile());
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
    return queue.submit(
        () ->
            runAll(steps)
                .compose(v -> configfs.targets())
                .compose(targets -> servedAsAsked(targets, spec))
                .recover(
                    failure ->
                        teardown(spec.iqn(), Optional.of(backstore.value()))
                            .transform(ignored -> Future.failedFuture(failure))));
  }

  /** What the kernel now holds for the target: its one ACL, every mapped LUN write-protected. */
  private static Future<Void> servedAsAsked(List<LioTarget> targets, TargetSpec spec) {
    Optional<BackendTarget> made =
        targets.stream().filter(t -> t.iqn().equals(spec.iqn())).map(LioTarget::target).findFirst();
    if (made.isEmpty()) {
      return Future.failedFuture(
          DomainErrors.unavailable("LIO did not make " + spec.iqn() + " (not in configfs)"));
    }
    if (!made.get().allowedInitiators().equals(List.of(spec.initiatorIqn()))) {
      return Future.failedFuture(
          DomainErrors.unavailable(
              "LIO holds other initiators for "
                  + spec.iqn()
                  + ": "
                  + made.get().allowedInitiators()));
    }
    if (!made.get().readOnly()) {
      return Future.failedFuture(
          DomainErrors.unavailable("LIO did not map " + spec.iqn() + " read-only"));
    }
    // targetcli answers 0 for a command read on its standard input even when it failed.
    if (!made.get().chapUsers().equals(List.of(spec.chap().user()))) {
      return Future.failedFuture(
          DomainErrors.unavailable("LIO did not take the CHAP account of " + spec.iqn()));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> delete(String iqn) {
    return queue.submit(() -> teardown(iqn, Optional.empty()));
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return configfs.targets().map(targets -> targets.stream().map(LioTarget::target).toList());
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return configfs
        .targets()
        .map(
            targets ->
                targets.stream()
                    .filter(t -> t.iqn().equals(iqn))
                    .flatMap(t -> t.target().sessions().stream())
                    .toList());
  }

  /**
   * The ACLs first (so re-login fails fast), then the target, then each backstore it used (or was
   * to use) that no other target uses: targets of one image share its backstore, because LIO takes
   * a file into only one. Then save.
   */
  private Future<Void> teardown(String iqn, Optional<String> backstoreToBe) {
    return configfs
        .targets()
        .compose(
            targets -> {
              Optional<LioTarget> target =
                  targets.stream().filter(t -> t.iqn().equals(iqn)).findFirst();
              Set<String> usedElsewhere =
                  targets.stream()
                      .filter(t -> !t.iqn().equals(iqn))
                      .flatMap(t -> t.backstores().stream())
                      .collect(Collectors.toSet());
              Set<String> backstores = new TreeSet<>();
              backstoreToBe.ifPresent(backstores::add);
              target.ifPresent(t -> backstores.addAll(t.backstores()));
              backstores.removeAll(usedElsewhere);
              Arg.Iqn name = new Arg.Iqn(iqn);
              List<Command> steps = new ArrayList<>();
              for (String initiator :
                  target.map(t -> t.target().allowedInitiators()).orElse(List.of())) {
                steps.add(
                    targetcli()
                        .arg(
                            Arg.path(
                                Arg.keyword("iscsi"),
                                name,
                                Arg.keyword("tpg1"),
                                Arg.keyword("acls")))
                        .keyword("delete")
                        .arg(new Arg.Iqn(initiator))
                        .build());
              }
              steps.add(
                  targetcli()
                      .arg(Arg.path(Arg.keyword("iscsi")))
                      .keyword("delete")
                      .arg(name)
                      .build());
              for (String backstore : backstores) {
                if (backstore.startsWith(BACKSTORE_PREFIX)) {
                  steps.add(
                      targetcli()
                          .arg(Arg.path(Arg.keyword("backstores"), Arg.keyword("fileio")))
                          .keyword("delete")
                          .arg(Arg.keyword(backstore))
                          .build());
                }
              }
              steps.add(saveconfig());
              return runAll(steps);
            });
  }

  private Future<Void> runAll(List<Command> steps) {
    return runner.runInOrder(steps, LioBackend::checked);
  }

  /**
   * One backstore per image, named by its content: the backing file's name is its SHA-256 (the
   * store and the target cache are content-addressed).
   */
  private static Arg backstoreName(Path backingFile) {
    String file = backingFile.getFileName().toString();
    String digest = file.matches("[0-9a-f]{64}") ? file : sha256(backingFile.toString());
    return Arg.keyword(BACKSTORE_PREFIX + digest.substring(0, 32));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Command saveconfig() {
    return targetcli().keyword("saveconfig").build();
  }

  private static Command.Builder targetcli() {
    return Command.of("targetcli");
  }

  /**
   * What targetcli-fb 2.1.53 answers (exit 1, on standard error) when a thing is already there or
   * already gone: the idempotent answers. Anything else failed.
   */
  private static final Pattern IDEMPOTENT =
      Pattern.compile(
          "already exists"
              + "|No such \\w+ in configfs"
              + "|No storage object named"
              + "|No such path");

  private static Future<CommandResult> checked(CommandResult result) {
    String output = result.stdout() + result.stderr();
    if (result.succeeded() || IDEMPOTENT.matcher(output).find()) {
      return Future.succeededFuture(result);
    }
    if (output.contains("WWN not valid")) {
      // LIO (rtslib) accepts fewer names than RFC 3720 allows: iqn.YYYY-MM.domain.tld[:…].
      return Future.failedFuture(
          DomainErrors.badRequest(
              "the LIO backend refuses this iSCSI name (it wants iqn.YYYY-MM.<domain>.<tld>:…)"));
    }
    return Future.failedFuture(
        DomainErrors.unavailable(
            "the LIO backend refused (" + result.command() + "): " + output.strip()));
  }
}
