package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PduFramerTest {
  private final List<Pdu> framed = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Pdu> badDigests = new ArrayList<>();
  private final PduFramer framer =
      new PduFramer(8192, framed::add, violations::add, badDigests::add);

  @Test
  void pdusSplitAnyWayArriveWholeAndInOrderWithTheirAhsSkipped() {
    Buffer stream =
        Buffer.buffer()
            .appendBuffer(pdu(1, 0, 5))
            .appendBuffer(pdu(2, 2, 0))
            .appendBuffer(pdu(3, 255, 4096))
            .appendBuffer(pdu(4, 0, 1));
    Random random = new Random(3);
    for (int at = 0; at < stream.length(); ) {
      int next = Math.min(stream.length(), at + 1 + random.nextInt(60));
      framer.handle(stream.getBuffer(at, next));
      at = next;
    }

    assertThat(framed).extracting(p -> (int) p.bhs().getByte(0)).containsExactly(1, 2, 3, 4);
    assertThat(framed).extracting(p -> p.data().length()).containsExactly(5, 0, 4096, 1);
    assertThat(framed.get(2).data().getByte(4095)).isEqualTo((byte) 3);
    assertThat(violations).isEmpty();
  }

  @Test
  void aDataSegmentOverTheLimitEndsTheStreamAndNothingAfterIsFramed() {
    framer.limit(1024);
    framer.handle(pdu(1, 0, 1025));
    framer.handle(pdu(2, 0, 10));

    assertThat(framed).isEmpty();
    assertThat(violations).singleElement().asString().contains("1025 bytes of data, 1024 allowed");
  }

  @Test
  void aWrongHeaderDigestEndsTheStreamAndAWrongDataDigestIsReportedAlone() {
    framer.useDigests(true, true);
    Buffer good = withDigests(pdu(1, 0, 6), true);
    Buffer badData = withDigests(pdu(2, 0, 6), false);
    framer.handle(Buffer.buffer().appendBuffer(good).appendBuffer(badData));
    assertThat(framed).hasSize(1);
    assertThat(badDigests).hasSize(1);

    Buffer badHeader = withDigests(pdu(3, 0, 6), true);
    badHeader.setInt(Pdu.BHS, 0);
    framer.handle(badHeader);
    assertThat(violations).containsExactly("header digest mismatch");
  }

  /** A PDU whose first byte is {@code tag}, with {@code ahsWords} of AHS and a data segment. */
  private static Buffer pdu(int tag, int ahsWords, int dataLength) {
    Buffer pdu = Buffer.buffer(new byte[Pdu.BHS + ahsWords * 4]);
    pdu.setByte(0, (byte) tag);
    pdu.setByte(4, (byte) ahsWords);
    pdu.setByte(5, (byte) (dataLength >>> 16));
    pdu.setByte(6, (byte) (dataLength >>> 8));
    pdu.setByte(7, (byte) dataLength);
    byte[] data = new byte[(dataLength + 3) & ~3];
    java.util.Arrays.fill(data, 0, dataLength, (byte) tag);
    return pdu.appendBytes(data);
  }

  /** The PDU (no AHS) with a header digest and, if it has data, a data digest. */
  private static Buffer withDigests(Buffer pdu, boolean dataDigestRight) {
    Buffer out = pdu.getBuffer(0, Pdu.BHS);
    out.appendIntLE(Digests.crc32c(pdu, 0, Pdu.BHS));
    Buffer data = pdu.getBuffer(Pdu.BHS, pdu.length());
    out.appendBuffer(data);
    int digest = Digests.crc32c(data, 0, data.length());
    out.appendIntLE(dataDigestRight ? digest : digest + 1);
    return out;
  }
}
