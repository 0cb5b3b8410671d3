package io.discs.targets.embedded.iscsi;

import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.chap.Md5Chap;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough of an iSCSI initiator for tests, on a plain blocking socket: a normal session with
 * CHAP and READ (10) at queue depth one. Written from RFC 7143 alone, so a test that uses it needs
 * no tool from outside the JVM.
 */
public final class BlockingInitiator implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int itt = 1;
  private int cmdSn = 1;
  private int expStatSn;

  private BlockingInitiator(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Logs in to {@code target} as {@code initiator} with CHAP; fails unless full feature phase. */
  public static BlockingInitiator login(
      String host, int port, String target, String initiator, ChapCredentials chap)
      throws IOException {
    BlockingInitiator session = new BlockingInitiator(new Socket(host, port));
    session.socket.setSoTimeout(30_000);
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("InitiatorName", initiator);
    keys.put("TargetName", target);
    keys.put("SessionType", "Normal");
    keys.put("AuthMethod", "CHAP");
    session.loginStep(0x00, keys);
    Map<String, String> challenge = session.loginStep(0x00, Map.of("CHAP_A", "5"));
    String response =
        Md5Chap.hex(
            Md5Chap.response(
                Integer.parseInt(challenge.get("CHAP_I")),
                chap.secret(),
                Md5Chap.decode(challenge.get("CHAP_C"))));
    Map<String, String> proof = new LinkedHashMap<>();
    proof.put("CHAP_N", chap.user());
    proof.put("CHAP_R", response);
    session.loginStep(0x81, proof);
    Map<String, String> operational = new LinkedHashMap<>();
    operational.put("HeaderDigest", "None");
    operational.put("DataDigest", "None");
    operational.put("MaxRecvDataSegmentLength", "262144");
    session.loginStep(0x87, operational);
    return session;
  }

  private Map<String, String> loginStep(int flags, Map<String, String> keys) throws IOException {
    byte[] data = TextKeys.encode(keys).getBytes();
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x43).put(1, (byte) flags);
    bhs.put(8, (byte) 0x40); // ISID: random qualifier format
    bhs.putInt(16, itt++).putInt(24, cmdSn).putInt(28, expStatSn);
    send(bhs, data);
    Response response = receive();
    if (response.opcode() != 0x23 || response.bhs().get(36) != 0) {
      throw new IOException(
          "login refused: status " + response.bhs().get(36) + "/" + response.bhs().get(37));
    }
    return TextKeys.parse(io.vertx.core.buffer.Buffer.buffer(response.data()));
  }

  /** READ (10) of {@code blocks} blocks of 512 bytes at {@code lba}; the bytes, status GOOD. */
  public byte[] read(long lba, int blocks) throws IOException {
    int length = blocks * 512;
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x01).put(1, (byte) 0xc0); // final, read
    bhs.putInt(16, itt++).putInt(20, length).putInt(24, cmdSn++).putInt(28, expStatSn);
    bhs.put(32, (byte) 0x28).putInt(34, (int) lba).putShort(39, (short) blocks);
    send(bhs, new byte[0]);
    byte[] bytes = new byte[length];
    while (true) {
      Response response = receive();
      if (response.opcode() == 0x25) { // Data-In
        int offset = response.bhs().getInt(40);
        System.arraycopy(response.data(), 0, bytes, offset, response.data().length);
        if ((response.bhs().get(1) & 0x01) != 0) {
          requireGood(response.bhs().get(3));
          return bytes;
        }
      } else if (response.opcode() == 0x21) { // SCSI Response
        requireGood(response.bhs().get(3));
        return bytes;
      } else {
        throw new IOException("unexpected opcode " + response.opcode());
      }
    }
  }

  /** What one command ended with: its status, the data it sent and the sense data, if any. */
  public record Outcome(int status, byte[] data, byte[] sense) {
    /** Sense key, additional sense code and qualifier, as in {@code 0x023a00}. */
    public int senseCode() {
      return sense.length < 14
          ? 0
          : (sense[2] & 0x0f) << 16 | (sense[12] & 0xff) << 8 | (sense[13] & 0xff);
    }
  }

  /** Any command that reads at most {@code expected} bytes; the status need not be GOOD. */
  public Outcome command(byte[] cdb, int expected) throws IOException {
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x01).put(1, (byte) (expected > 0 ? 0xc0 : 0x80)); // final, read
    bhs.putInt(16, itt++).putInt(20, expected).putInt(24, cmdSn++).putInt(28, expStatSn);
    bhs.put(32, cdb);
    send(bhs, new byte[0]);
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    while (true) {
      Response response = receive();
      if (response.opcode() == 0x25) { // Data-In
        data.write(response.data());
        if ((response.bhs().get(1) & 0x01) != 0) {
          return new Outcome(response.bhs().get(3) & 0xff, data.toByteArray(), new byte[0]);
        }
      } else if (response.opcode() == 0x21) { // SCSI Response
        byte[] sense =
            response.data().length >= 2
                ? java.util.Arrays.copyOfRange(response.data(), 2, response.data().length)
                : new byte[0];
        return new Outcome(response.bhs().get(3) & 0xff, data.toByteArray(), sense);
      } else {
        throw new IOException("unexpected opcode " + response.opcode());
      }
    }
  }

  private static void requireGood(byte status) throws IOException {
    if (status != 0) {
      throw new IOException("SCSI status " + status);
    }
  }

  private void send(ByteBuffer bhs, byte[] data) throws IOException {
    bhs.put(5, (byte) (data.length >>> 16))
        .put(6, (byte) (data.length >>> 8))
        .put(7, (byte) data.length);
    out.write(bhs.array());
    out.write(data);
    out.write(new byte[(4 - data.length % 4) % 4]);
    out.flush();
  }

  private record Response(int opcode, ByteBuffer bhs, byte[] data) {}

  private Response receive() throws IOException {
    byte[] header = new byte[48];
    in.readFully(header);
    ByteBuffer bhs = ByteBuffer.wrap(header);
    int length = (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | (header[7] & 0xff);
    byte[] data = new byte[length];
    in.readFully(data);
    in.skipNBytes((4 - length % 4) % 4);
    int opcode = header[0] & 0x3f;
    boolean carriesStatus = opcode != 0x25 || (header[1] & 0x01) != 0;
    if (carriesStatus) {
      expStatSn = bhs.getInt(24) + 1;
    }
    return new Response(opcode, bhs, data);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
