package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.StoreConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.testing.DiscImages;
import io.discs.testing.S3Proxy;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving a file store into a bucket and starting on it, then back: same images, same bytes. */
class StoreCopyTest {
  @TempDir Path dir;

  @Test
  void aFileStoreCopiedIntoABucketServesTheSameImagesAndCopiesBack() throws Exception {
    try (S3Proxy server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")))) {
      Map<String, String> onBucket = server.discsSettings("discs-moved");
      StoreConfig.S3Location bucket = server.location("discs-moved");
      TestSystem system = TestSystem.start(Map.of());
      String admin = system.adminToken();
      List<String> digests = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path iso =
            DiscImages.iso9660(dir.resolve(i + ".iso"), "MOVE" + i, (1 + i) << 20, i == 0, i);
        digests.add(system.uploadImage(admin, "move-" + i + ".iso", iso).getString("sha256"));
      }
      JsonObject before = system.get("/api/v1/images", admin).bodyAsJsonObject();
      Path data = system.config.dataDir();
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      StoreCopy copy = new StoreCopy(data, bucket, new PrintStream(said, true));

      assertThat(copy.toBucket()).isEqualTo(3);
      assertThat(copy.toBucket()).as("a second run finds everything there").isZero();
      assertThat(said.toString()).contains("already in the bucket: " + digests.get(0));

      // The file store goes; started on the bucket, the same images serve the same bytes.
      deleteTree(BlobLayout.imagesRoot(data).resolve("sha256"));
      system = system.restart(onBucket);
      try {
        String token = system.adminToken();
        JsonObject after = system.get("/api/v1/images", token).bodyAsJsonObject();
        assertThat(after.getJsonArray("items")).isEqualTo(before.getJsonArray("items"));
        for (Object item : after.getJsonArray("items")) {
          JsonObject image = (JsonObject) item;
          Path downloaded =
              Files.write(
                  dir.resolve(image.getString("id")),
                  system
                      .get("/api/v1/images/" + image.getString("id") + "/content", token)
                      .body()
                      .getBytes());
          assertThat(DiscImages.sha256(downloaded)).isEqualTo(image.getString("sha256"));
        }
      } finally {
        system.close();
      }

      assertThat(copy.toFiles()).isEqualTo(3);
      for (String sha256 : digests) {
        assertThat(DiscImages.sha256(BlobLayout.blob(BlobLayout.imagesRoot(data), sha256)))
            .isEqualTo(sha256);
      }
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        file.toFile().setWritable(true);
        Files.delete(file);
      }
    }
  }
}
