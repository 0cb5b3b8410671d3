package io.discs.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Caller;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBytesProtocolTest {

  @Test
  void anUploadsRequestCrossesTheHeaderWhole() {
    Caller caller = new Caller("olga", List.of("operator"), "192.0.2.7");
    ImageBlobs.IngestRequest request =
        new ImageBlobs.IngestRequest("disc one.iso", "ab".repeat(32), 4096L, caller);

    ImageBlobs.IngestRequest decoded =
        ImageBytesProtocol.decodeRequest(ImageBytesProtocol.encodeRequest(request));

    assertThat(decoded.name()).isEqualTo("disc one.iso");
    assertThat(decoded.expectedSha256()).isEqualTo("ab".repeat(32));
    assertThat(decoded.declaredLength()).isEqualTo(4096L);
    assertThat(decoded.caller().toJson()).isEqualTo(caller.toJson());
  }

  @Test
  void aHeaderItDidNotMakeIsRefused() {
    assertThatThrownBy(() -> ImageBytesProtocol.decodeRequest(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageBytesProtocol.decodeRequest("not base64 json!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageBytesProtocol.decodeRequest("e30")) // {} : no caller
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theImageNodesRefusalBecomesTheSameFailureALocalIngestGives() {
    assertThatThrownBy(
            () ->
                ImageBytesProtocol.decodeAnswer(
                    415, ImageBytesProtocol.encodeFailure("not a disc image").toBuffer()))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(415);
              assertThat(e.getMessage()).isEqualTo("not a disc image");
            });
    assertThatThrownBy(() -> ImageBytesProtocol.decodeAnswer(502, Buffer.buffer("<html>")))
        .isInstanceOf(ServiceException.class);
    Image image = new Image(new JsonObject().put("id", "i-1").put("name", "a.iso"));
    assertThat(
            ImageBytesProtocol.decodeAnswer(
                    201,
                    ImageBytesProtocol.encodeResult(new ImageBlobs.IngestResult(image, true))
                        .toBuffer())
                .created())
        .isTrue();
  }

  @Test
  void onlyTheExactSecretIsAuthentic() {
    String secret = "0123456789abcdef0123456789abcdef";
    assertThat(ImageBytesProtocol.authentic(secret, secret)).isTrue();
    assertThat(ImageBytesProtocol.authentic(secret + "x", secret)).isFalse();
    assertThat(ImageBytesProtocol.authentic(null, secret)).isFalse();
  }
}
