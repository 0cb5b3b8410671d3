package io.discs.standalone;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal iSCSI initiator for tests that need to misbehave on purpose (what libiscsi and the
 * kernel never do): logs in with CHAP or to discovery, then sends PDUs as built, and reads them
 * back one at a time. Not a client to copy: no error recovery, one connection.
 */
final class RawInitiator implements AutoCloseable {
  static final int LOGIN_RESPONSE = 0x23;
  static final int REJECT = 0x3f;

  record Response(int opcode, byte[] header, Map<String, String> keys) {
    int statusClass() {
      return header[36] & 0xff;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final String initiator;
  private int itt = 1;
  private int cmdSn = 1;
  private int isidQualifier = 7;

  RawInitiator(String host, int port, String initiator) throws IOException {
    this(new Socket(host, port), initiator);
  }

  /** On a socket the caller made (and sized) and connected. */
  RawInitiator(Socket connected, String initiator) throws IOException {
    this.socket = connected;
    this.socket.setSoTimeout(10_000);
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    this.initiator = initiator;
  }

  Socket socket() {
    return socket;
  }

  /** The low bytes of the ISID this initiator logs in with: another value is another session. */
  RawInitiator isid(int qualifier) {
    this.isidQualifier = qualifier;
    return this;
  }

  /** A normal session to the target of a mount session as the API answered it, with its CHAP. */
  Response loginWithChap(io.vertx.core.json.JsonObject session) throws Exception {
    io.vertx.core.json.JsonObject chap = session.getJsonObject("chap");
    return loginWithChap(
        session.getJsonObject("target").getString("iqn"),
        chap.getString("username"),
        chap.getString("secret"));
  }

  /** A normal session: CHAP in the security stage, then straight to full feature phase. */
  Response loginWithChap(String target, String user, String secret) throws Exception {
    Response offer =
        login(
            0,
            1,
            false,
            keys(
                "InitiatorName",
                initiator,
                "TargetName",
                target,
                "SessionType",
                "Normal",
                "AuthMethod",
                "CHAP"));
    if (offer.statusClass() != 0) {
      return offer;
    }
    Response challenge = login(0, 1, false, keys("CHAP_A", "5"));
    int id = Integer.parseInt(challenge.keys().get("CHAP_I"));
    byte[] c = HexFormat.of().parseHex(challenge.keys().get("CHAP_C").substring(2));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update((byte) id);
    md5.update(secret.getBytes(StandardCharsets.US_ASCII));
    md5.update(c);
    String response = "0x" + HexFormat.of().formatHex(md5.digest());
    Response authenticated = login(0, 1, true, keys("CHAP_N", user, "CHAP_R", response));
    if (authenticated.statusClass() != 0) {
      return authenticated;
    }
    return login(1, 3, true, keys("HeaderDigest", "None", "DataDigest", "None"));
  }

  /** What open-iscsi does by default: discovery, no security stage, operational keys first. */
  Response discoveryWithoutChap() throws IOException {
    return login(
        1,
        3,
        true,
        keys(
            "InitiatorName",
            initiator,
            "SessionType",
            "Discovery",
            "HeaderDigest",
            "None",
            "DataDigest",
            "None"));
  }

  Response login(int csg, int nsg, boolean transit, Map<String, String> keys) throws IOException {
    byte[] data = text(keys);
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x43);
    bhs.put(1, (byte) ((transit ? 0x80 : 0) | csg << 2 | (transit ? nsg : 0)));
    bhs.put(8, (byte) 0x40); // ISID: random-number format
    bhs.putShort(12, (short) isidQualifier);
    bhs.putInt(16, itt++);
    bhs.putInt(24, cmdSn);
    send(bhs.array(), data);
    return read();
  }

  /**
   * {@code count} READ(10)s of {@code blocks} 512-byte blocks from LBA 0, immediate (outside the
   * command window) or not, all in one write, so that they arrive together.
   */
  void read10(int count, int blocks, boolean immediate) throws IOException {
    ByteBuffer all = ByteBuffer.allocate(48 * count);
    for (int i = 0; i < count; i++) {
      ByteBuffer bhs = ByteBuffer.allocate(48);
      bhs.put(0, (byte) (0x01 | (immediate ? 0x40 : 0)));
      bhs.put(1, (byte) 0xc0); // final, read
      bhs.putInt(16, itt++);
      bhs.putInt(20, blocks * 512);
      bhs.putInt(24, immediate ? cmdSn : cmdSn++);
      bhs.put(32, (byte) 0x28);
      bhs.putShort(39, (short) blocks);
      all.put(bhs.array());
    }
    write(all.array());
  }

  /** One READ(16) of {@code blocks} from {@code lba}, in the command window. */
  void read16(long lba, int blocks) throws IOException {
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x01);
    bhs.put(1, (byte) 0xc0);
    bhs.putInt(16, itt++);
    bhs.putInt(20, blocks * 512);
    bhs.putInt(24, cmdSn++);
    bhs.put(32, (byte) 0x88);
    bhs.putLong(34, lba);
    bhs.putInt(42, blocks);
    write(bhs.array());
  }

  /**
   * Reads PDUs until a command's end (a SCSI Response, or a Data-In with its status) and answers
   * it: the SCSI status is in byte 3.
   */
  Response readUntilStatus() throws IOException {
    while (true) {
      Response pdu = read();
      if (pdu.opcode() == 0x21 || (pdu.opcode() == 0x25 && (pdu.header()[1] & 0x01) != 0)) {
        return pdu;
      }
    }
  }

  void sendTargets() throws IOException {
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x04);
    bhs.put(1, (byte) 0x80);
    bhs.putInt(16, itt++);
    bhs.putInt(20, 0xffffffff);
    bhs.putInt(24, cmdSn++);
    send(bhs.array(), text(keys("SendTargets", "All")));
  }

  void logout() throws IOException {
    ByteBuffer bhs = ByteBuffer.allocate(48);
    bhs.put(0, (byte) 0x46);
    bhs.put(1, (byte) 0x80);
    bhs.putInt(16, itt++);
    bhs.putInt(24, cmdSn);
    send(bhs.array(), new byte[0]);
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Response read() throws IOException {
    byte[] header = new byte[48];
    in.readFully(header);
    int length = (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | (header[7] & 0xff);
    byte[] data = new byte[(length + 3) & ~3];
    in.readFully(data);
    Map<String, String> keys = new LinkedHashMap<>();
    int opcode = header[0] & 0x3f;
    if (opcode == LOGIN_RESPONSE || opcode == 0x24) {
      for (String pair : new String(data, 0, length, StandardCharsets.US_ASCII).split("\0")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          keys.merge(pair.substring(0, eq), pair.substring(eq + 1), (a, b) -> a + "\n" + b);
        }
      }
    }
    return new Response(opcode, header, keys);
  }

  /** True when the target has closed the connection (what it sent before that is skipped). */
  boolean closedByTarget() {
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (IOException timedOutOrReset) {
      return timedOutOrReset instanceof java.net.SocketException;
    }
  }

  private void send(byte[] bhs, byte[] data) throws IOException {
    bhs[5] = (byte) (data.length >>> 16);
    bhs[6] = (byte) (data.length >>> 8);
    bhs[7] = (byte) data.length;
    byte[] pdu = new byte[48 + ((data.length + 3) & ~3)];
    System.arraycopy(bhs, 0, pdu, 0, 48);
    System.arraycopy(data, 0, pdu, 48, data.length);
    write(pdu);
  }

  private static byte[] text(Map<String, String> keys) {
    StringBuilder text = new StringBuilder();
    keys.forEach((k, v) -> text.append(k).append('=').append(v).append('\0'));
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<String, String> keys(String... pairs) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      keys.put(pairs[i], pairs[i + 1]);
    }
    return keys;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
