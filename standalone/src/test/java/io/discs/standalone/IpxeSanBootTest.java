package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.FreePorts;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.guest.QemuGuest;
import io.discs.testing.guest.QemuScreen;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A machine with no disk SAN-boots a disc from discs with iPXE, the network boot firmware QEMU and
 * many real servers carry: GRUB's rescue CD (a hybrid ISO), served by the embedded target as a
 * CD-ROM LUN and as a disk LUN, with CHAP, must reach the same menu as the same ISO booted from a
 * local CD drive.
 */
class IpxeSanBootTest {
  private static final Path RESCUE_ISO = Path.of("/usr/lib/grub-rescue/grub-rescue-cdrom.iso");
  private static final Path IPXE_ROM = Path.of("/usr/lib/ipxe/qemu/efi-virtio.rom");
  private static final String INITIATOR = "iqn.2026-01.test.discs:ipxe-guest";

  /** GRUB's menu box; the countdown line below it changes every second. */
  private static final int MENU_ROWS = 280;

  /** Kept after the run: the screens each boot showed, QEMU's log, iPXE's script. */
  private final Path dir = Path.of("target", "ipxe-san-boot").toAbsolutePath();

  @ParameterizedTest(name = "as a {0} LUN")
  @ValueSource(strings = {"cdrom", "disk"})
  void iPxeSanBootsTheRescueCdToTheSameMenuAsALocalCdDrive(String deviceType) throws Exception {
    SystemTools.require("qemu-system-x86_64", "qemu-system-x86");
    SystemTools.require("socat", "socat");
    SystemTools.requireFile(RESCUE_ISO, "grub-rescue-pc");
    SystemTools.requireFile(IPXE_ROM, "ipxe-qemu");

    Processes.check(
        List.of(
            "rm",
            "-rf",
            dir.resolve("local").toString(),
            dir.resolve("san-" + deviceType).toString()),
        java.time.Duration.ofSeconds(30));
    byte[] menu = localMenu();

    int iscsiPort = FreePorts.next();
    Map<String, String> settings =
        Map.of(
            "DISCS_ISCSI_PORTAL", QemuGuest.HOST_ADDRESS + ":3260",
            "DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsiPort);
    try (TestSystem system = TestSystem.start(settings)) {
      String admin = system.adminToken();
      JsonObject image = system.uploadImage(admin, "grub-rescue.iso", RESCUE_ISO);
      JsonObject target = system.createTarget(admin, image.getString("id"), INITIATOR, deviceType);
      JsonObject chap = target.getJsonObject("chap");

      Path tftp = Files.createDirectories(dir.resolve("tftp"));
      Files.writeString(
          tftp.resolve("boot.ipxe"),
          String.join(
              "\n",
              "#!ipxe",
              "dhcp",
              "set initiator-iqn " + INITIATOR,
              "set username " + chap.getString("username"),
              "set password " + chap.getString("secret"),
              "sanboot iscsi:" + QemuGuest.HOST_ADDRESS + "::3260:0:" + target.getString("iqn"),
              ""));
      String network =
          "user,id=n0,restrict=on,tftp="
              + tftp
              + ",bootfile=boot.ipxe,guestfwd=tcp:"
              + QemuGuest.HOST_ADDRESS
              + ":3260-cmd:socat - TCP:127.0.0.1:"
              + iscsiPort;
      try (QemuScreen guest =
          QemuScreen.start(
              List.of(
                  "-netdev",
                  network,
                  "-device",
                  // QEMU's default option ROM for this card is iPXE's (from ipxe-qemu).
                  "virtio-net-pci,netdev=n0,bootindex=1"),
              dir.resolve("san-" + deviceType))) {
        QemuScreen.Screen seen = waitFor(guest, s -> Arrays.equals(s.top(MENU_ROWS), menu), 240);
        assertThat(seen)
            .as("the SAN-booted screen never showed the local CD's GRUB menu; see " + dir)
            .isNotNull();
      }
    }
  }

  /** The rescue CD in a local drive, until GRUB draws its menu (the highlighted first entry). */
  private byte[] localMenu() throws Exception {
    try (QemuScreen local =
        QemuScreen.start(
            List.of("-cdrom", RESCUE_ISO.toString(), "-boot", "d", "-nic", "none"),
            dir.resolve("local"))) {
      QemuScreen.Screen screen = waitFor(local, IpxeSanBootTest::showsMenu, 120);
      assertThat(screen).as("GRUB's menu never appeared from the local CD; see " + dir).isNotNull();
      return screen.top(MENU_ROWS);
    }
  }

  /** The menu's highlight bar: light grey across the first entry's row. */
  static boolean showsMenu(QemuScreen.Screen screen) {
    int[] left = screen.pixel(screen.width() / 4, 71);
    int[] right = screen.pixel(screen.width() * 3 / 4, 71);
    return left[0] > 128 && left[0] == left[1] && Arrays.equals(left, right);
  }

  private static QemuScreen.Screen waitFor(
      QemuScreen guest, java.util.function.Predicate<QemuScreen.Screen> done, int seconds)
      throws Exception {
    try {
      return await()
          .pollDelay(Duration.ofSeconds(2))
          .pollInterval(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(seconds))
          .until(guest::grab, done::test);
    } catch (org.awaitility.core.ConditionTimeoutException notYet) {
      return null;
    }
  }
}
