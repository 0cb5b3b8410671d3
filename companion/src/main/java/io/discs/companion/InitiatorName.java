package io.discs.companion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** This machine's iSCSI initiator name, as open-iscsi keeps it. */
final class InitiatorName {
  static final Path FILE = Path.of("/etc/iscsi/initiatorname.iscsi");

  private InitiatorName() {}

  /** The {@code InitiatorName=} of {@code file}, or a failure that says what to do instead. */
  static String read(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("InitiatorName=")) {
          return line.substring("InitiatorName=".length()).trim();
        }
      }
      throw new CompanionException(
          file + " names no initiator (no InitiatorName= line): give --initiator-iqn", 2);
    } catch (AccessDeniedException e) {
      throw new CompanionException(
          "cannot read " + file + " (only root may): run with sudo, or give --initiator-iqn", 2);
    } catch (NoSuchFileException e) {
      throw new CompanionException(
          "this machine has no " + file + ": install open-iscsi, or give --initiator-iqn", 2);
    } catch (IOException e) {
      throw new CompanionException(
          "cannot read " + file + ": " + e.getMessage() + "; give --initiator-iqn", 2);
    }
  }
}
