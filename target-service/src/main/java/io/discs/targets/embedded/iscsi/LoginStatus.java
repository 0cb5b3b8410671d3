package io.discs.targets.embedded.iscsi;

/**
 * The Login Response's Status-Class and Status-Detail this target answers a refused login with (RFC
 * 7143 §11.13.5); all are initiator errors (class 2), which an initiator must not retry as they
 * are.
 */
enum LoginStatus {
  INITIATOR_ERROR(0x02, 0x00),
  AUTHENTICATION_FAILURE(0x02, 0x01),
  AUTHORIZATION_FAILURE(0x02, 0x02),
  NOT_FOUND(0x02, 0x03),
  TOO_MANY_CONNECTIONS(0x02, 0x06),
  MISSING_PARAMETER(0x02, 0x07),
  SESSION_DOES_NOT_EXIST(0x02, 0x0a);

  final int statusClass;
  final int detail;

  LoginStatus(int statusClass, int detail) {
    this.statusClass = statusClass;
    this.detail = detail;
  }
}
