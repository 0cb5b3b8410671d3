package io.discs.images.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PieceRunsTest {
  private static final String A = "00000000000000aa";
  private static final String B = "00000000000000bb";
  private static final String C = "00000000000000cc";

  @Test
  void aContinuationRewritesItsFirstPartAndEverythingAfter() {
    PieceRuns runs = PieceRuns.none().from(1, A).from(4, B);

    PieceRuns continued = runs.from(3, C);

    assertThat(continued.format()).isEqualTo("1:" + A + ",3:" + C);
    assertThat(continued.writerOf(2)).isEqualTo(A);
    assertThat(continued.writerOf(3)).isEqualTo(C);
    assertThat(continued.writerOf(9)).isEqualTo(C);
  }

  @Test
  void theRowsTextReadsBackAsTheSameRuns() {
    PieceRuns runs = PieceRuns.none().from(1, A).from(7, B);
    UUID upload = UUID.fromString("6f1d3c2e-0000-4000-8000-000000000001");

    assertThat(PieceRuns.parse(runs.format())).isEqualTo(runs);
    assertThat(runs.keyOf("resumable/", upload, 8))
        .isEqualTo("resumable/" + upload + "/" + B + "/8");
    assertThat(PieceRuns.parse(null).format()).isNull();
  }

  @Test
  void textThatIsNotRunsIsRefused() {
    assertThatThrownBy(() -> PieceRuns.parse("1:../../sha256/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PieceRuns.none().writerOf(1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void writersAreSixteenHexDigitsAndDiffer() {
    assertThat(PieceRuns.newWriter()).matches("[0-9a-f]{16}").isNotEqualTo(PieceRuns.newWriter());
  }
}
