package io.discs.targets.names;

import io.discs.platform.error.DomainErrors;
import io.discs.platform.targets.IscsiNameRules;
import java.util.UUID;

/** Target names discs makes, and the initiator names it accepts (RFC 7143 section 4.2.7). */
public final class IscsiNames {
  private final String authority;

  public IscsiNames(String authority) {
    this.authority = authority;
  }

  /** {@code <authority>:<image-short>.<target-short>}, unique per target. */
  public String targetIqn(UUID imageId, UUID targetId) {
    String image = imageId.toString().replace("-", "").substring(0, 8);
    String target = targetId.toString().replace("-", "").substring(0, 16);
    return authority + ":" + image + "." + target;
  }

  /** {@code <authority>:drive.<target-short>}: a drive outlives every disc put in it. */
  public String driveIqn(UUID targetId) {
    return authority + ":drive." + targetId.toString().replace("-", "").substring(0, 16);
  }

  /** Only targets with this prefix are discs's to change or remove. */
  public boolean isOurs(String iqn) {
    return iqn.startsWith(authority + ":");
  }

  /** The initiator name exactly as given, or a 400 saying what is wrong with it. */
  public static String initiator(String name) {
    if (name == null || name.isEmpty()) {
      throw DomainErrors.badRequest("initiatorIqn is required");
    }
    if (!IscsiNameRules.isValid(name)) {
      throw DomainErrors.badRequest("initiatorIqn must be " + IscsiNameRules.RULE);
    }
    return name;
  }
}
