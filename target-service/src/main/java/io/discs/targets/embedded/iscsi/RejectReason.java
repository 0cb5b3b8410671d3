package io.discs.targets.embedded.iscsi;

/** Why a PDU is rejected: the Reject PDU's reason codes this target sends (RFC 7143 §11.17.1). */
enum RejectReason {
  DATA_DIGEST_ERROR(0x02),
  PROTOCOL_ERROR(0x04),
  COMMAND_NOT_SUPPORTED(0x05),
  INVALID_PDU_FIELD(0x09);

  final int code;

  RejectReason(int code) {
    this.code = code;
  }
}
