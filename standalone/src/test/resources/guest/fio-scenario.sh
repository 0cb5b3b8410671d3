#!/bin/sh
# The project plan's block performance test, inside the Debian guest: the kernel initiator logs in
# to the same image served by discs's embedded target and by tgtd, and fio reads each disk LUN.
# Prints "DISCS-CHECK <name> ok|FAILED <detail>" and, per fio job,
# "DISCS-FIO<round> <target> <job> <KiB/s> <IOPS> <mean latency us> <fio error>".
. /discs/env.sh
echo "InitiatorName=$INITIATOR" > /etc/iscsi/initiatorname.iscsi
iscsid
sleep 1

node() { iscsiadm -m node -T "$IQN" -p "$PORTAL" "$@"; }
bench() { # name portal iqn user secret
  NAME=$1 PORTAL=$2 IQN=$3
  node -o new >/dev/null
  node -o update -n node.session.auth.authmethod -v CHAP
  node -o update -n node.session.auth.username -v "$4"
  node -o update -n node.session.auth.password -v "$5"
  if ! node --login >/tmp/login.out 2>&1; then
    echo "DISCS-CHECK $NAME-login FAILED $(tr '\n' ' ' </tmp/login.out)"
    return
  fi
  echo "DISCS-CHECK $NAME-login ok"
  dev=""
  i=0
  while [ -z "$dev" ] && [ $i -lt 100 ]; do
    udevadm settle
    dev=$(ls /dev/disk/by-path/ip-"$PORTAL"-iscsi-"$IQN"-lun-* 2>/dev/null | head -1)
    [ -z "$dev" ] && sleep 0.2
    i=$((i + 1))
  done
  if [ -z "$dev" ]; then
    echo "DISCS-CHECK $NAME-device FAILED no block device appeared"
  else
    dev=$(readlink -f "$dev")
    echo "DISCS-CHECK $NAME-device ok"
    for job in "randread-4k-qd1 randread 4k 1" "randread-4k-qd32 randread 4k 32" "read-128k-qd32 read 128k 32"; do
      set -- $job
      fio --name="$1" --filename="$dev" --size="$(blockdev --getsize64 "$dev")" --readonly --direct=1 --ioengine=libaio --rw="$2" \
        --bs="$3" --iodepth="$4" --runtime="$RUNTIME" --time_based --ramp_time=2 \
        --output-format=terse --terse-version=3 >/tmp/fio.out 2>/tmp/fio.err
      # terse v3: 5 error, 7 read KiB/s, 8 read IOPS, 40 read mean latency (us)
      echo "DISCS-FIO$ROUND $NAME $1 $(cut -d';' -f7,8,40,5 --output-delimiter=' ' /tmp/fio.out | awk '{print $2, $3, $4, $1}') $(head -c 200 /tmp/fio.err | tr '\n' ' ')"
    done
  fi
  node --logout >/dev/null 2>&1
  node -o delete >/dev/null 2>&1
}

# Two rounds, the targets taking turns: under TCG the guest's first run of any code path pays for
# its translation, so the first round only warms up (the host test reads the second).
for ROUND in 1 2; do
  bench embedded "$EMBEDDED_PORTAL" "$EMBEDDED_IQN" "$EMBEDDED_USER" "$EMBEDDED_SECRET"
  bench tgtd "$TGT_PORTAL" "$TGT_IQN" "$TGT_USER" "$TGT_SECRET"
done
echo "DISCS-STEP end"
