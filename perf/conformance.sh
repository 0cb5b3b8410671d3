#!/bin/sh
# libiscsi's conformance suite against one read-only target, the same command lines for every
# backend (embedded, tgt, LIO), as ../shared/docs/ISCSI-NOTES.md names them. CHAP comes from the
# environment (LIBISCSI_CHAP_USERNAME, LIBISCSI_CHAP_PASSWORD), never the command line.
#
#   perf/conformance.sh <portal host:port> <target iqn> <lun> <initiator iqn>
#
# Prints one line per family: "<family> <n> failed: <Suite.Test> …" (the names CUnit reports).
set -u
[ $# -eq 4 ] || { echo "usage: $0 <portal> <target-iqn> <lun> <initiator-iqn>" >&2; exit 2; }
command -v iscsi-test-cu >/dev/null || { echo "iscsi-test-cu is missing: apt-get install libiscsi-bin" >&2; exit 2; }
url="iscsi://$1/$2/$3"
initiator=$4
failures() { # family, then iscsi-test-cu's arguments
  family=$1; shift
  out=$(iscsi-test-cu "$@" "$url" 2>&1)
  echo "$out" > "${CONFORMANCE_LOG_DIR:-/tmp}/conformance-$family.log"
  echo "$out" | grep -q "Run Summary" || { echo "$family did-not-run: $(echo "$out" | tail -3 | tr '\n' ' ')"; return; }
  failed=$(echo "$out" | awk '
    /^Suite: / { suite = $2 }
    /^ *Test: / { test = $2 }
    /FAILED|CU_ASSERT/ { name = suite "." test; if (!(name in seen)) { seen[name] = 1; printf "%s ", name } }')
  echo "$family $(echo "$failed" | wc -w) failed: $failed"
}
failures iSCSI -i "$initiator" -I "$initiator" --test='iSCSI.*'
failures SCSI -i "$initiator" -I "$initiator" --test='SCSI.*'
failures SCSI.ReadOnly-dataloss -i "$initiator" --dataloss --test='SCSI.ReadOnly.*'
