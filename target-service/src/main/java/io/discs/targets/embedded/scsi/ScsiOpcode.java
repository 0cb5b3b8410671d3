package io.discs.targets.embedded.scsi;

/**
 * Every operation code this target answers, by its name in SPC-4, SBC-3 and MMC-6: the code, the
 * service action where the code is shared ({@link #NO_SERVICE_ACTION} otherwise) and the CDB
 * length. Which of them a logical unit answers, and how, is its {@link CommandSet}.
 */
public enum ScsiOpcode {
  TEST_UNIT_READY(0x00, 6),
  REQUEST_SENSE(0x03, 6),
  FORMAT_UNIT(0x04, 6),
  READ_6(0x08, 6),
  WRITE_6(0x0a, 6),
  INQUIRY(0x12, 6),
  MODE_SENSE_6(0x1a, 6),
  START_STOP_UNIT(0x1b, 6),
  PREVENT_ALLOW_MEDIUM_REMOVAL(0x1e, 6),
  READ_CAPACITY_10(0x25, 10),
  READ_10(0x28, 10, true),
  WRITE_10(0x2a, 10, true),
  WRITE_AND_VERIFY_10(0x2e, 10, true),
  VERIFY_10(0x2f, 10, true),
  PRE_FETCH_10(0x34, 10),
  SYNCHRONIZE_CACHE_10(0x35, 10),
  WRITE_BUFFER(0x3b, 10),
  WRITE_SAME_10(0x41, 10),
  UNMAP(0x42, 10),
  READ_TOC_PMA_ATIP(0x43, 10),
  GET_CONFIGURATION(0x46, 10),
  GET_EVENT_STATUS_NOTIFICATION(0x4a, 10),
  READ_DISC_INFORMATION(0x51, 10),
  READ_TRACK_INFORMATION(0x52, 10),
  MODE_SENSE_10(0x5a, 10),
  PERSISTENT_RESERVE_IN_READ_KEYS(0x5e, 0x00, 10),
  PERSISTENT_RESERVE_IN_READ_RESERVATION(0x5e, 0x01, 10),
  PERSISTENT_RESERVE_IN_REPORT_CAPABILITIES(0x5e, 0x02, 10),
  PERSISTENT_RESERVE_IN_READ_FULL_STATUS(0x5e, 0x03, 10),
  READ_16(0x88, 16, true),
  COMPARE_AND_WRITE(0x89, 16, true),
  WRITE_16(0x8a, 16, true),
  ORWRITE_16(0x8b, 16, true),
  WRITE_AND_VERIFY_16(0x8e, 16, true),
  VERIFY_16(0x8f, 16, true),
  PRE_FETCH_16(0x90, 16),
  SYNCHRONIZE_CACHE_16(0x91, 16),
  WRITE_SAME_16(0x93, 16),
  READ_CAPACITY_16(0x9e, 0x10, 16),
  REPORT_LUNS(0xa0, 12),
  REPORT_SUPPORTED_OPERATION_CODES(0xa3, 0x0c, 12),
  READ_12(0xa8, 12, true),
  WRITE_12(0xaa, 12, true),
  WRITE_AND_VERIFY_12(0xae, 12, true),
  MECHANISM_STATUS(0xbd, 12);

  public static final int NO_SERVICE_ACTION = -1;

  /** DPO (0x10) and FUA (0x08) in byte 1, which this target does not offer (DPOFUA is 0). */
  static final int DPO_FUA = 0x18;

  private final int code;
  private final int serviceAction;
  private final int cdbLength;
  private final boolean cachingBits;

  ScsiOpcode(int code, int cdbLength) {
    this(code, NO_SERVICE_ACTION, cdbLength, false);
  }

  ScsiOpcode(int code, int cdbLength, boolean cachingBits) {
    this(code, NO_SERVICE_ACTION, cdbLength, cachingBits);
  }

  ScsiOpcode(int code, int serviceAction, int cdbLength) {
    this(code, serviceAction, cdbLength, false);
  }

  ScsiOpcode(int code, int serviceAction, int cdbLength, boolean cachingBits) {
    this.code = code;
    this.serviceAction = serviceAction;
    this.cdbLength = cdbLength;
    this.cachingBits = cachingBits;
  }

  public int code() {
    return code;
  }

  public int serviceAction() {
    return serviceAction;
  }

  public boolean hasServiceAction() {
    return serviceAction != NO_SERVICE_ACTION;
  }

  public int cdbLength() {
    return cdbLength;
  }

  /** Whether byte 1 of this CDB has the DPO and FUA bits. */
  public boolean hasCachingBits() {
    return cachingBits;
  }
}
