package io.discs.images.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscInspectorTest {
  @TempDir Path dir;

  @Test
  void readsTheVolumeOfAnIso9660Image() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("a.iso"), "DEBIAN_12", 1 << 20, false, 1);

    Inspection.Disc disc = (Inspection.Disc) inspect(iso);

    assertThat(disc.format()).isEqualTo("iso9660");
    assertThat(disc.volumeId()).isEqualTo("DEBIAN_12");
    assertThat(disc.volumeSpaceSize()).isEqualTo(512);
    assertThat(disc.logicalBlockSize()).isEqualTo(2048);
    assertThat(disc.volumeCreatedAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.ofHours(1)));
    assertThat(disc.bootable()).isFalse();
  }

  @Test
  void keepsOnlyThePrintablePartOfAVolumeLabel() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("nul.iso"), "LABEL", 1 << 20, false, 6);
    byte[] start = Files.readAllBytes(iso);
    int label = 16 * 2048 + 40;
    start[label + 2] = 0;
    start[label + 3] = 0x1b;
    java.util.Arrays.fill(start, label + 5, label + 32, (byte) 0);

    Inspection.Disc disc = (Inspection.Disc) DiscInspector.inspect(start, start.length);

    assertThat(disc.volumeId()).isEqualTo("LAL");
  }

  @Test
  void noticesAnElToritoBootRecord() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("boot.iso"), "BOOT", 1 << 20, true, 2);

    assertThat(((Inspection.Disc) inspect(iso)).bootable()).isTrue();
  }

  @Test
  void aUdfAnchorCutShortAtTheEndOfThePrefixIsNotRead() throws Exception {
    byte[] udf = Files.readAllBytes(DiscImages.udf(dir.resolve("cut.udf"), 1 << 20, 9));
    // Security review three: a valid 16-byte anchor tag as the last bytes of a 524,304-byte file;
    // its extent fields lie past the end.
    byte[] cut = java.util.Arrays.copyOf(udf, 256 * 2048 + 16);
    byte[] tag = new byte[16];
    tag[0] = 2; // anchor volume descriptor pointer
    int sum = 0;
    for (int i = 0; i < 16; i++) {
      sum += i == 4 ? 0 : tag[i] & 0xff;
    }
    tag[4] = (byte) sum;
    System.arraycopy(tag, 0, cut, 256 * 2048, 16);

    Inspection inspection = DiscInspector.inspect(cut, cut.length);
    io.discs.testing.security.SecurityReport.record(
        "Smaller: a crafted UDF anchor makes the inspector throw",
        "a valid anchor tag as the last 16 bytes of a 524,304-byte file",
        "inspected, no exception",
        inspection.getClass().getSimpleName());

    assertThat(inspection).isInstanceOf(Inspection.Disc.class);
    assertThat(((Inspection.Disc) inspection).requiredBytes())
        .as("no partition end learned from a descriptor that is not all there")
        .isZero();
  }

  @Test
  void recognisesAUdfVolumeRecognitionSequence() throws Exception {
    Path udf = DiscImages.udf(dir.resolve("a.udf"), 1 << 20, 3);

    assertThat(((Inspection.Disc) inspect(udf)).format()).isEqualTo("udf");
  }

  /**
   * What a disc's own descriptors say its size is at least: a cut-off image is told by its first
   * sectors alone.
   */
  @Test
  void readsTheSizeTheDiscClaims() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("claims.iso"), "CLAIMS", 3 << 20, false, 6);
    assertThat(((Inspection.Disc) inspect(iso)).requiredBytes()).isEqualTo(3 << 20);

    Path udf = DiscImages.mkudffs(dir.resolve("claims.udf"), 8 << 20, "CLAIMS");
    long partitionEnd = ((Inspection.Disc) inspect(udf)).requiredBytes();
    // mkudffs leaves the last sectors to the reserve sequence and the closing anchor.
    assertThat(partitionEnd).isGreaterThan(6 << 20).isLessThanOrEqualTo(8 << 20);

    // Only a recognition sequence, no anchor: nothing to go by.
    Path bare = DiscImages.udf(dir.resolve("bare.udf"), 1 << 20, 3);
    assertThat(((Inspection.Disc) inspect(bare)).requiredBytes()).isZero();
  }

  @Test
  void refusesBytesThatAreNotADisc() throws Exception {
    byte[] noise = new byte[1 << 20];
    new Random(4).nextBytes(noise);

    assertThat(DiscInspector.inspect(noise, noise.length)).isInstanceOf(Inspection.NotADisc.class);
  }

  @Test
  void refusesAnImageTooShortToHoldDescriptors() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("full.iso"), "X", 1 << 20, false, 5);
    byte[] start = Files.readAllBytes(iso);

    assertThat(DiscInspector.inspect(java.util.Arrays.copyOf(start, 32768), 32768))
        .isInstanceOf(Inspection.NotADisc.class);
  }

  private static Inspection inspect(Path file) throws Exception {
    byte[] prefix = new byte[DiscInspector.PREFIX_BYTES];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(prefix, 0, prefix.length);
    }
    return DiscInspector.inspect(java.util.Arrays.copyOf(prefix, n), Files.size(file));
  }
}
