package io.discs.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternalOperationTest {

  @Test
  void eachOperationIsFoundByItsOwnMethodAndPath() {
    for (InternalOperation operation : InternalOperation.values()) {
      String path = operation.path("abc");
      assertThat(InternalOperation.match(operation.method(), path))
          .as(operation.name())
          .hasValueSatisfying(match -> assertThat(match.operation()).isEqualTo(operation));
    }
  }

  @Test
  void theTapTakesTheBodiesOfUploadsOnlyAndTheRouterFindsTheIdentifier() {
    assertThat(InternalOperation.carriesImageBytes("PUT", ImageBytesProtocol.PATH)).isTrue();
    assertThat(InternalOperation.carriesImageBytes("PATCH", ResumableUploadsProtocol.path("u1")))
        .isTrue();
    assertThat(InternalOperation.carriesImageBytes("POST", ResumableUploadsProtocol.PATH))
        .isFalse();
    assertThat(InternalOperation.carriesImageBytes("GET", ResumableUploadsProtocol.path("u1")))
        .isFalse();
    assertThat(InternalOperation.match("PATCH", ResumableUploadsProtocol.path("u1")))
        .hasValue(new InternalOperation.Match(InternalOperation.APPEND_UPLOAD, "u1"));
  }

  @Test
  void pathsOutsideTheTableMatchNothing() {
    assertThat(InternalOperation.match("PUT", ImageBytesProtocol.PATH + "/x")).isEmpty();
    assertThat(InternalOperation.match("PATCH", ResumableUploadsProtocol.PATH)).isEmpty();
    assertThat(InternalOperation.match("GET", ImageBytesProtocol.BLOBS_PATH + "/a/b")).isEmpty();
    assertThat(InternalOperation.match("GET", ImageBytesProtocol.BLOBS_PATH + "/")).isEmpty();
    assertThat(InternalOperation.match("DELETE", "/internal/v1/other/1")).isEmpty();
  }
}
