package io.discs.transfer.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.S3Proxy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The S3 store against a real S3-compatible server (s3proxy, its own process), no mock. */
@ExtendWith(VertxExtension.class)
class S3BlobStoreTest {
  /** One server for the class (it takes seconds to start); a bucket of its own per test. */
  private static S3Proxy server;

  private final String bucket = "discs-" + UUID.randomUUID();
  private S3AsyncClient client;
  private S3BlobStore store;
  private Vertx vertx;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws Exception {
    server = S3Proxy.start(dir);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = S3Clients.create(server.location(bucket));
    store = new S3BlobStore(vertx, client, bucket);
    call(store::ensureBucket);
  }

  @AfterEach
  void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void anUploadOfSeveralPartsLandsUnderItsDigestByteForByteAndNothingIsLeftStaged()
      throws Exception {
    byte[] bytes = random(2 * StagedBlob.PART_BYTES + 12_345, 1);
    String sha256 = sha256(bytes);

    assertThat(upload(bytes, sha256)).isTrue();

    assertThat(call(() -> store.size(sha256))).isEqualTo(bytes.length);
    assertThat(call(store::list)).containsExactly(sha256);
    Buffer middle = call(() -> store.range(sha256, StagedBlob.PART_BYTES - 100, 5_000));
    assertThat(middle.getBytes())
        .isEqualTo(
            java.util.Arrays.copyOfRange(
                bytes, StagedBlob.PART_BYTES - 100, StagedBlob.PART_BYTES + 4_900));
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void theSameBytesTwiceAreStoredOnce() throws Exception {
    byte[] bytes = random(3 << 20, 2);
    String sha256 = sha256(bytes);

    assertThat(upload(bytes, sha256)).isTrue();
    assertThat(upload(bytes, sha256)).isFalse();

    assertThat(call(store::list)).containsExactly(sha256);
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void bytesSentUnderTheirDeclaredDigestLandWithoutACopyAndWrongOnesNever() throws Exception {
    byte[] bytes = random(StagedBlob.PART_BYTES + 4_321, 5);
    String sha256 = sha256(bytes);

    StagedBlob direct = call(() -> store.begin(sha256));
    sendInParts(direct, bytes);
    assertThat(call(() -> direct.commit(sha256))).isTrue();
    assertThat(call(() -> store.size(sha256))).isEqualTo(bytes.length);

    // Again under the same digest: completed only if absent, so the first bytes stay.
    StagedBlob again = call(() -> store.begin(sha256));
    sendInParts(again, bytes);
    assertThat(call(() -> again.commit(sha256))).isFalse();

    // A client that lied about the digest: the upload is never completed.
    String claimed = sha256(new byte[] {42});
    StagedBlob lying = call(() -> store.begin(claimed));
    sendInParts(lying, bytes);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(() -> lying.commit(sha256)))
        .hasMessageContaining("do not hash");
    assertThat(call(() -> store.size(claimed))).isNull();
    assertThat(call(store::list)).containsExactly(sha256);
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void anAbortedUploadLeavesNoObjectAndNoMultipartUpload() throws Exception {
    StagedBlob staged = call(() -> store.begin(null));
    sendInParts(staged, random(StagedBlob.PART_BYTES + 10, 3));

    call(staged::abort);

    assertThat(call(store::list)).isEmpty();
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void stagingLeftByADeadProcessIsSwept() throws Exception {
    StagedBlob staged = call(() -> store.begin(null));
    sendInParts(staged, random(1 << 20, 4));

    assertThat(call(() -> store.sweepStaging(Duration.ZERO))).isEqualTo(1);
    assertThat(stagingLeft()).isZero();
  }

  private boolean upload(byte[] bytes, String sha256) throws Exception {
    StagedBlob staged = call(() -> store.begin(null));
    sendInParts(staged, bytes);
    return call(() -> staged.commit(sha256));
  }

  /** As the upload path sends them: whole parts, the last one shorter. */
  private void sendInParts(StagedBlob staged, byte[] bytes) throws Exception {
    for (int at = 0; at < bytes.length; at += StagedBlob.PART_BYTES) {
      byte[] part =
          java.util.Arrays.copyOfRange(
              bytes, at, Math.min(bytes.length, at + StagedBlob.PART_BYTES));
      call(() -> staged.appendPart(part, part.length));
    }
  }

  private int stagingLeft() {
    return client.listMultipartUploads(b -> b.bucket(bucket)).join().uploads().size()
        + client
            .listObjectsV2(b -> b.bucket(bucket).prefix(S3BlobStore.STAGING))
            .join()
            .contents()
            .size();
  }

  /** On an event loop, as the upload path calls the store. */
  private <T> T call(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(start -> call.get().onComplete(result));
    return result.future().await(60, TimeUnit.SECONDS);
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
