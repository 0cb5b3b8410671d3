package io.discs.gateway.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.transfer.tap.RequestHead;
import org.junit.jupiter.api.Test;

class UploadRequestsTest {
  private final UploadRequests taken = new UploadRequests();

  @Test
  void rawUploadsAndTusBytesAreTakenOffTheConnection() {
    assertThat(taken.test(new RequestHead("POST", "/api/v1/images", "application/octet-stream")))
        .isTrue();
    assertThat(taken.test(new RequestHead("POST", "/api/v1/images", null))).isTrue();
    assertThat(
            taken.test(
                new RequestHead("PATCH", "/api/v1/uploads/u1", ResumableRoutes.OFFSET_STREAM)))
        .isTrue();
    assertThat(
            taken.test(new RequestHead("POST", "/api/v1/uploads", ResumableRoutes.OFFSET_STREAM)))
        .isTrue();
  }

  @Test
  void everythingElseIsLeftToVertx() {
    assertThat(taken.test(new RequestHead("POST", "/api/v1/images", "multipart/form-data")))
        .isFalse();
    assertThat(taken.test(new RequestHead("POST", "/api/v1/uploads", null))).isFalse();
    assertThat(taken.test(new RequestHead("PATCH", "/api/v1/uploads/u1", "application/json")))
        .isFalse();
    assertThat(
            taken.test(new RequestHead("PATCH", "/api/v1/uploads/", ResumableRoutes.OFFSET_STREAM)))
        .isFalse();
    assertThat(taken.test(new RequestHead("POST", "/api/v1/sessions", "application/json")))
        .isFalse();
    assertThat(taken.test(new RequestHead("POST", "/api/v2/images", null))).isFalse();
  }
}
