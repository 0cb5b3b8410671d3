#!/bin/sh
# Runs inside the Debian guest as a person would: stock open-iscsi, the companion jar, sudo-less
# root. Every check prints "DISCS-CHECK <name> ok|FAILED <detail>" on the serial console; the host
# test reads them. Values come from env.sh beside this script.
. /discs/env.sh
PORTAL=10.0.2.100:3260
CONFIG=/root/.config/discs

. /discs/checks.sh
# Waits for a line starting with $2 in file $1, at most $3 seconds; prints its second field.
await_field() {
  i=0
  while [ $i -lt $(( $3 * 5 )) ]; do
    v=$(sed -n "s/^$2 *//p" "$1" | head -1)
    [ -n "$v" ] && { echo "$v" | cut -d' ' -f1; return 0; }
    sleep 0.2; i=$((i + 1))
  done
  return 1
}
# Runs the command after $1 every half second until it succeeds, at most $1 seconds.
await_true() {
  t=$1; shift; i=0
  while [ $i -lt $((t * 2)) ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; i=$((i + 1)); done
  return 1
}
# The kernel finds no disc in the drive: it will not open, or has no size.
no_medium() { ! blockdev --getsize64 "$1" >/dev/null 2>&1 || [ "$(blockdev --getsize64 "$1")" = 0 ]; }
nothing_left() {
  iscsiadm -m session >/dev/null 2>&1; s=$?
  [ "$s" -eq 21 ] && [ -z "$(ls -A /etc/iscsi/nodes 2>/dev/null)" ] && [ -z "$(ls -A /etc/iscsi/send_targets 2>/dev/null)" ]
}

echo "DISCS-STEP login"
printf '%s\n' "$PASSWORD" | companion login --server "$API" --user "$USERNAME" --password-stdin >/tmp/login.out 2>&1
echo "DISCS-RESULT login-exit $?"
companion images > /tmp/images.out 2>&1
check images contains /tmp/images.out "$IMAGE_NAME"

echo "DISCS-STEP not-root"
setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp \
  java $JAVA_OPTS -jar /discs/companion.jar --config-dir $CONFIG mount "$IMAGE_NAME" >/tmp/nr.out 2>/tmp/nr.err
echo "DISCS-RESULT not-root-exit $?"
check not-root-message contains /tmp/nr.err "mount needs root (iscsiadm changes system state): run with sudo"

echo "DISCS-STEP iscsid-down"
companion mount "$IMAGE_NAME" >/tmp/down.out 2>/tmp/down.err
echo "DISCS-RESULT iscsid-down-exit $?"
check iscsid-down-message contains /tmp/down.err "start it with 'sudo systemctl start iscsid'"
iscsid
for i in $(seq 50); do grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix && break; sleep 0.2; done

echo "DISCS-STEP stock-discovery"
companion_bg mount "$IMAGE_NAME" --attach none --json >/tmp/none.out 2>/tmp/none.err
pid=$!
await_field /tmp/none.out '{"sessionId"' 120 >/dev/null
iqn=$(sed -n 's/.*"iqn":"\([^"]*\)".*/\1/p' /tmp/none.out)
iscsiadm -m discovery -t sendtargets -p $PORTAL >/tmp/disc.out 2>&1
echo "DISCS-RESULT discovery-exit $?"
check discovery-lists-own-target contains /tmp/disc.out "$iqn"
iscsiadm -m discoverydb -t sendtargets -p $PORTAL -o delete >/dev/null 2>&1
kill -INT $pid; wait $pid

for type in disk cdrom; do
  echo "DISCS-STEP mount-$type"
  companion_bg mount "$IMAGE_NAME" --device-type $type >/tmp/$type.out 2>/tmp/$type.err
  pid=$!
  dev=$(await_field /tmp/$type.out device 240)
  echo "DISCS-RESULT $type-device $dev"
  echo "DISCS-RESULT $type-session $(await_field /tmp/$type.out session 5)"
  check $type-device-exists test -b "$dev"
  bypath=$(await_field /tmp/$type.out by-path 1)
  check $type-by-path-exists test -L "$bypath"
  check $type-device-hash sh -c "head -c $IMAGE_SIZE $dev | sha256sum | grep -q $IMAGE_SHA"
  mkdir -p /mnt/disc
  check $type-mounts-read-only mount -t iso9660 -o ro "$dev" /mnt/disc
  check $type-file-hash sh -c "sha256sum /mnt/disc/$FILE_NAME | grep -q $FILE_SHA"
  umount /mnt/disc
  check $type-write-refused fails dd if=/dev/zero of="$dev" bs=2048 count=1 oflag=direct conv=notrunc
  if [ $type = cdrom ]; then
    # What Linux's cdrom layer and udev's cdrom_id ask a drive: the TOC in MSF, the configuration.
    check cdrom-read-toc-msf sg_raw -r 36 "$dev" 43 02 00 00 00 00 00 00 24 00
    udevadm info --query=property "$dev" >/tmp/udev.out 2>&1
    check cdrom-udev-sees-media contains /tmp/udev.out "ID_CDROM_MEDIA=1"
    check cdrom-udev-sees-data-track contains /tmp/udev.out "ID_CDROM_MEDIA_TRACK_COUNT_DATA=1"
  fi
  if [ $type = disk ]; then
    companion mount "$IMAGE_NAME" >/tmp/again.out 2>/tmp/again.err
    echo "DISCS-RESULT second-mount-exit $?"
    check second-mount-refused contains /tmp/again.err "is already mounted on this machine"
  fi
  kill -INT $pid; wait $pid
  echo "DISCS-RESULT $type-sigint-exit $?"
  check $type-nothing-left nothing_left
done

echo "DISCS-STEP drive"
# One login for the drive's whole life: disc A, no disc, disc B, and the tray of a real drive.
companion_bg drive attach "$IMAGE_NAME" >/tmp/drive.out 2>/tmp/drive.err
pid=$!
dev=$(await_field /tmp/drive.out device 240)
drive=$(await_field /tmp/drive.out session 5)
echo "DISCS-RESULT drive-device $dev"
echo "DISCS-RESULT drive-id $drive"
name=${dev#/dev/}
sessions_before=$(ls /sys/class/iscsi_session | tr '\n' ' ')
udevadm monitor --kernel --property --subsystem-match=block >/tmp/uevents.out 2>&1 &
monitor=$!
check drive-kernel-polls-media sh -c "test \$(cat /sys/block/$name/events_poll_msecs) -gt 0"
check drive-reads-a sh -c "head -c $IMAGE_SIZE $dev | sha256sum | grep -q $IMAGE_SHA"
check drive-mounts-a mount -t iso9660 -o ro "$dev" /mnt/disc
check drive-file-a sh -c "sha256sum /mnt/disc/$FILE_NAME | grep -q $FILE_SHA"
umount /mnt/disc
companion drive status "$drive" >/tmp/status-1.out 2>&1
# udev locks every CD it sees (cdrom_id --lock-media): the eject asks, udev answers by ejecting.
companion drive eject "$drive" >/tmp/eject.out 2>&1
echo "DISCS-RESULT drive-eject-exit $?"
check drive-eject-says-none contains /tmp/eject.out "disc      none"
check drive-no-medium await_true 60 no_medium "$dev"
check drive-empty-mount-fails fails mount -t iso9660 -o ro "$dev" /mnt/disc
companion drive insert "$drive" "$IMAGE_B_NAME" >/tmp/insert.out 2>&1
echo "DISCS-RESULT drive-insert-exit $?"
check drive-reads-b await_true 60 sh -c "head -c $IMAGE_B_SIZE $dev | sha256sum | grep -q $IMAGE_B_SHA"
check drive-mounts-b mount -t iso9660 -o ro "$dev" /mnt/disc
check drive-file-b sh -c "sha256sum /mnt/disc/$FILE_NAME | grep -q $FILE_B_SHA"
umount /mnt/disc
companion drive status "$drive" >/tmp/status-2.out 2>&1
check drive-same-kernel-session test "$(ls /sys/class/iscsi_session | tr '\n' ' ')" = "$sessions_before"
grep '^connected' /tmp/status-1.out >/tmp/connected-1
grep '^connected' /tmp/status-2.out >/tmp/connected-2
check drive-same-connection sh -c "test -s /tmp/connected-1 && cmp /tmp/connected-1 /tmp/connected-2"
check drive-udev-saw-media-change await_true 10 contains /tmp/uevents.out DISK_MEDIA_CHANGE=1
check drive-udev-saw-eject-request contains /tmp/uevents.out DISK_EJECT_REQUEST=1
udevadm info --query=property "$dev" >/tmp/udev-drive.out 2>&1
check drive-udev-sees-media contains /tmp/udev-drive.out "ID_CDROM_MEDIA=1"
# Ejected here (ALLOW first: udev's lock), the disc waits in the open tray; opening the device
# closes the tray as Linux does for a real drive, and the disc is back.
sg_raw "$dev" 1e 00 00 00 00 00 >/dev/null 2>&1
check drive-ejected-here sg_raw "$dev" 1b 00 00 00 02 00
sleep 1
companion drive status "$drive" >/tmp/status-3.out 2>&1
check drive-server-saw-the-eject contains /tmp/status-3.out "disc      none"
check drive-tray-closes-on-open sh -c "head -c $IMAGE_B_SIZE $dev | sha256sum | grep -q $IMAGE_B_SHA"
companion drive status "$drive" >/tmp/status-4.out 2>&1
check drive-server-saw-the-reload contains /tmp/status-4.out "disc      $IMAGE_B_NAME"
kill $monitor
kill -INT $pid; wait $pid
echo "DISCS-RESULT drive-sigint-exit $?"
check drive-nothing-left nothing_left

echo "DISCS-STEP lease-lost"
companion_bg mount "$IMAGE_NAME" >/tmp/lost.out 2>/tmp/lost.err
pid=$!
dev=$(await_field /tmp/lost.out device 240)
echo "DISCS-RESULT lost-session $(await_field /tmp/lost.out session 5)"
kill -STOP $pid
sleep $((LEASE_SECONDS + 6))
kill -CONT $pid
wait $pid
echo "DISCS-RESULT lease-lost-exit $?"
check lease-lost-message contains /tmp/lost.err "was lost"
check lease-lost-nothing-left nothing_left
echo "DISCS-STEP end"
