package io.discs.companion;

/** iscsiadm's exit codes (open-iscsi {@code include/iscsi_err.h}) in words a person can act on. */
final class IscsiExitCode {
  static final int TRANSPORT_TIMEOUT = 8;
  static final int SESSION_EXISTS = 15;
  static final int FATAL_LOGIN = 19;
  static final int ISCSID_NOT_CONNECTED = 20;
  static final int NO_OBJECTS = 21;
  static final int AUTH_FAILED = 24;

  private IscsiExitCode() {}

  static String meaning(int code) {
    return switch (code) {
      case 1 -> "generic failure";
      case 2 -> "session not found";
      case 3 -> "out of resources";
      case 4 -> "the connection to the target failed";
      case 5 -> "login failed";
      case 6 -> "cannot read or write the node database in /etc/iscsi (are you root?)";
      case 7 -> "invalid argument";
      case TRANSPORT_TIMEOUT -> "timed out connecting to the target";
      case 9 -> "internal iscsid failure";
      case 10 -> "logout failed";
      case 11 -> "an iSCSI request timed out";
      case 12 -> "the iSCSI transport is missing (is the iscsi_tcp module loaded?)";
      case 13 -> "permission denied (are you root?)";
      case SESSION_EXISTS -> "already logged in";
      case FATAL_LOGIN -> "the target refused the login and a retry will not help";
      case ISCSID_NOT_CONNECTED -> "cannot connect to iscsid";
      case NO_OBJECTS -> "no such session or node record";
      case AUTH_FAILED -> "CHAP authorization failed (wrong initiator name or secret)";
      case 28 -> "device or resource busy";
      default -> "failure";
    };
  }

  /** The sentence for a failed step: what was tried, the code, and what iscsiadm itself said. */
  static String describe(String step, int code, String iscsiadmSaid) {
    String said =
        iscsiadmSaid == null || iscsiadmSaid.isBlank()
            ? ""
            : ": iscsiadm said \"" + iscsiadmSaid + "\"";
    if (code == ISCSID_NOT_CONNECTED) {
      return "iscsiadm "
          + step
          + " failed: iscsid is not running; start it with 'sudo systemctl start iscsid' "
          + "(or run 'sudo iscsid') and try again";
    }
    return "iscsiadm " + step + " failed (exit code " + code + ": " + meaning(code) + ")" + said;
  }
}
