package io.discs.targets.backend;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the kernel's LIO target holds, read from configfs ({@code /sys/kernel/config/target/iscsi})
 * rather than from targetcli's tree drawing: the targets, each TPG's ACLs, their CHAP user names,
 * whether every mapped LUN is write-protected, and who is logged in now (the ACL's {@code info},
 * which the kernel writes as {@code InitiatorName: …} and one {@code Address … TCP} line per
 * connection), and which backstores each target's LUNs are. Read on a worker: configfs reads are
 * file reads.
 */
public final class LioConfigfs {
  public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/target/iscsi");

  private static final Pattern TARGET_NAME = Pattern.compile("(?:iqn|eui|naa)\\..+");
  private static final Pattern INITIATOR_LINE = Pattern.compile("^InitiatorName: (\\S+)");
  private static final Pattern ADDRESS_LINE = Pattern.compile("^\\s*Address (\\S+) (?:TCP|SCTP)");

  private final Path root;
  private final WorkerExecutor workers;

  public LioConfigfs(Path root, WorkerExecutor workers) {
    this.root = root;
    this.workers = workers;
  }

  /** A target as configfs shows it, and the backstores its LUNs are (several targets share one). */
  public record LioTarget(BackendTarget target, Set<String> backstores) {
    public LioTarget {
      backstores = Set.copyOf(backstores);
    }

    public String iqn() {
      return target.iqn();
    }
  }

  public Future<List<LioTarget>> targets() {
    return workers.executeBlocking(this::read, false);
  }

  private List<LioTarget> read() throws IOException {
    List<LioTarget> targets = new ArrayList<>();
    for (Path target : children(root)) {
      String iqn = target.getFileName().toString();
      if (!TARGET_NAME.matcher(iqn).matches()) {
        continue; // discovery_auth, lio_version and the like sit beside the targets
      }
      List<String> initiators = new ArrayList<>();
      List<String> chapUsers = new ArrayList<>();
      List<InitiatorSession> sessions = new ArrayList<>();
      boolean readOnly = true;
      Set<String> backstores = new TreeSet<>();
      for (Path tpg : children(target)) {
        if (!tpg.getFileName().toString().startsWith("tpgt_")) {
          continue;
        }
        // Each TPG LUN holds a link to its storage object: .../target/core/fileio_N/<name>.
        for (Path lun : children(tpg.resolve("lun"))) {
          for (Path entry : children(lun)) {
            if (Files.isSymbolicLink(entry)) {
              backstores.add(Files.readSymbolicLink(entry).getFileName().toString());
            }
          }
        }
        for (Path acl : children(tpg.resolve("acls"))) {
          initiators.add(acl.getFileName().toString());
          String user = text(acl.resolve("auth/userid")).strip();
          if (!user.isEmpty()) {
            chapUsers.add(user);
          }
          for (Path lun : children(acl)) {
            if (lun.getFileName().toString().startsWith("lun_")
                && !text(lun.resolve("write_protect")).strip().equals("1")) {
              readOnly = false;
            }
          }
          sessions.addAll(sessions(text(acl.resolve("info"))));
        }
      }
      targets.add(
          new LioTarget(
              new BackendTarget(iqn, initiators, chapUsers, readOnly, sessions), backstores));
    }
    return targets;
  }

  /** One entry per connection of the ACL's session; none when nobody is logged in. */
  static List<InitiatorSession> sessions(String info) {
    List<InitiatorSession> sessions = new ArrayList<>();
    String initiator = null;
    Matcher name = INITIATOR_LINE.matcher("");
    Matcher address = ADDRESS_LINE.matcher("");
    for (String line : info.split("\n")) {
      if (name.reset(line).find()) {
        initiator = name.group(1);
      } else if (initiator != null && address.reset(line).find()) {
        sessions.add(new InitiatorSession(initiator, address.group(1)));
      }
    }
    return sessions;
  }

  /** A folder's entries, sorted; none when it is gone (a target deleted while being read). */
  private static List<Path> children(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted().toList();
    } catch (NoSuchFileException | UncheckedIOException gone) {
      return List.of();
    }
  }

  private static String text(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException gone) {
      return "";
    }
  }
}
