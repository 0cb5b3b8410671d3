package io.discs.platform.config;

/** Which iSCSI target implementation target-service drives. */
public enum IscsiBackendKind {
  EMBEDDED,
  TGT,
  LIO
}
