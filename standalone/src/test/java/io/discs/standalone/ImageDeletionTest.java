package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.images.ImageDeletions;
import io.discs.testing.DiscImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets of one image are made side by side, not one at a time, and still never outlive a deletion
 * of their image: the deletion marks the image, a target made meanwhile takes itself back.
 */
class ImageDeletionTest {
  private TestSystem system;
  private String admin;
  private String imageId;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    system = TestSystem.start(Map.of());
    admin = system.adminToken();
    Path iso = DiscImages.iso9660(dir.resolve("d.iso"), "D", 1 << 20, false, 3);
    imageId = system.uploadImage(admin, "d.iso", iso).getString("id");
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
  }

  @Test
  void aTargetMadeWhileItsImageIsBeingDeletedTakesItselfBack() throws Exception {
    var vertx = system.discs.vertx();
    ImageDeletions.mark(vertx, imageId).await(10, TimeUnit.SECONDS);

    var refused = createTarget("iqn.2026-01.test.discs:while-deleting");
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(refused.bodyAsString()).contains("is being deleted");
    assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
        .isEmpty();

    ImageDeletions.unmark(vertx, imageId).await(10, TimeUnit.SECONDS);
    assertThat(createTarget("iqn.2026-01.test.discs:after").statusCode()).isEqualTo(201);
    var delete =
        system
            .client
            .delete("/api/v1/images/" + imageId)
            .bearerTokenAuthentication(admin)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(delete.statusCode()).isEqualTo(409);
    assertThat(ImageDeletions.underway(vertx, imageId).await(10, TimeUnit.SECONDS))
        .as("a deletion that found the image in use takes its mark away")
        .isFalse();
  }

  @Test
  void manyTargetsOfOneImageAreMadeAtOnce() throws Exception {
    List<io.vertx.core.Future<?>> made = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      made.add(
          system
              .requestTarget(admin, imageId, "iqn.2026-01.test.discs:many-" + i, null)
              .map(r -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201)));
    }
    io.vertx.core.Future.all(made).await(60, TimeUnit.SECONDS);
    assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
        .hasSize(40);
  }

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> createTarget(
      String initiator) throws Exception {
    return system.requestTarget(admin, imageId, initiator, null).await(10, TimeUnit.SECONDS);
  }
}
