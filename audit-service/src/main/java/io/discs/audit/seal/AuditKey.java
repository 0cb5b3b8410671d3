package io.discs.audit.seal;

import io.discs.platform.secrets.KeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the audit seals: 32 random bytes in {@code <data>/keys/audit-seal.key} (mode 0600),
 * made at first start. The database never sees it. Blocking: load it on a worker.
 */
public final class AuditKey {
  static final String FILE = "audit-seal.key";
  private final byte[] key;

  private AuditKey(byte[] key) {
    this.key = key.clone();
  }

  public static AuditKey loadOrCreate(Path dataDir) throws IOException {
    return new AuditKey(KeyFile.loadOrCreate(dataDir.resolve("keys").resolve(FILE)));
  }

  /** HMAC-SHA256 of {@code parts}, joined by newlines, as lowercase hex. */
  public String mac(String... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The seal of a row: keyed over the previous row's seal and this row's (chained) hash. */
  public String seal(String previousSeal, String rowHash) {
    return mac("seal", previousSeal, rowHash);
  }

  public static String origin() {
    return "0".repeat(64);
  }
}
