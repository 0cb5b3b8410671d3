#!/bin/sh
# discs on a LIO host, inside the Debian guest: Debian's kernel target modules, targetcli-fb, the
# server jar as root with DISCS_ISCSI_BACKEND=lio (every service in one JVM, on the test's
# PostgreSQL through a forward). Host tools reach the API and the portal through QEMU's hostfwd
# (the host's checks run while this script waits on $HOST_CHECKS); the companion with stock
# open-iscsi mounts from inside the guest; then a kill -9 of the server and a restart. Every check
# prints "DISCS-CHECK <name> ok|FAILED <detail>"; "DISCS-LOG" lines are for a person reading a
# failure, "DISCS-CMD" lines the targetcli commands the server ran.
. /discs/env.sh
API=http://127.0.0.1:8080
CONFIG=/root/.config/discs
HAND=iqn.2003-01.org.linux-iscsi.guest:by-hand
STRAY=iqn.2026-01.io.discs:deadbeef.00000000000000aa

COMPANION_OPTS=-Xmx160m
. /discs/checks.sh
log() { sed "s/^/DISCS-LOG $1 /" "$2" 2>/dev/null | tail -${3:-60}; }
discs_targets() { ls /sys/kernel/config/target/iscsi 2>/dev/null | grep -c '^iqn\.2026-01\.io\.discs:'; }
discs_backstores() { ls /sys/kernel/config/target/core/fileio_*/ 2>/dev/null | grep -c '^discs'; }
has_target() { test -d "/sys/kernel/config/target/iscsi/$1"; }
no_discs_targets() { test "$(discs_targets)" = 0; }
wait_for() { # seconds, then a command that must come true
  limit=$1; shift
  for i in $(seq "$limit"); do "$@" && return 0; sleep 1; done
  return 1
}
start_server() {
  DISCS_DB_URL="$DB_URL" DISCS_DB_OWNER_URL="$DB_OWNER_URL" \
    DISCS_ISCSI_BACKEND=lio DISCS_ISCSI_PORTAL=10.0.2.15:3260 DISCS_HTTP_HOST=0.0.0.0 \
    DISCS_HTTP_PORT=8080 DISCS_DATA_DIR=/var/lib/discs DISCS_ADMIN_PASSWORD="$PASSWORD" \
    DISCS_LEASE_SECONDS=300 DISCS_RECONCILE_SECONDS=10 \
    java $JAVA_OPTS -Xmx384m -Dlogback.configurationFile=/discs/logback.xml -jar /discs/server.jar >>/tmp/server.log 2>&1 &
  server=$!
  ready=000
  for i in $(seq 600); do
    ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 $API/ready)
    [ "$ready" = 200 ] && break
    kill -0 $server 2>/dev/null || break
    sleep 1
  done
}
finish() {
  grep -a "CommandRunner - targetcli" /tmp/server.log | sed 's/.*CommandRunner - //; s/ exited .*//; s/^/DISCS-CMD /'
  log server /tmp/server.log 150
  echo "DISCS-STEP end"
  exit "$1"
}

echo "DISCS-STEP lio"
# What systemd brings up on a LIO host: the system bus (targetcli asks it for user backstores).
mkdir -p /run/dbus && dbus-daemon --system --fork
for module in target_core_mod target_core_file iscsi_target_mod; do modprobe $module; done
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
check lio-configfs test -d /sys/kernel/config/target
# A target the operator made by hand, outside discs's IQN authority: discs must never touch it.
targetcli /iscsi create $HAND >/tmp/hand.out 2>&1
check lio-hand-made-target has_target $HAND
iscsid
for i in $(seq 50); do grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix && break; sleep 0.2; done

echo "DISCS-STEP server"
mkdir -p /var/lib/discs
start_server
echo "DISCS-RESULT server-ready-after $(cut -d' ' -f1 /proc/uptime) s"
check server-ready test "$ready" = 200
[ "$ready" = 200 ] || finish 1

printf '%s\n' "$PASSWORD" | companion login --server "$API" --user admin --password-stdin >/tmp/login.out 2>&1
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' $CONFIG/credentials.json)
curl -s -X POST -T /discs/disc.iso -H "Authorization: Bearer $token" \
  "$API/api/v1/images?name=lio.iso" >/tmp/image.json
check image-stored contains /tmp/image.json "$IMAGE_SHA"
image=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' /tmp/image.json | head -1)

echo "DISCS-STEP host-checks"
# The host's initiators (qemu-img, qemu-io, libiscsi) against this LIO through the forwards; the
# host answers when it is done.
# The companion's token goes along (a login costs 15 s of password hashing under TCG).
curl -s --max-time 2400 -H "Authorization: Bearer $token" "http://$HOST_CHECKS/checks?image=$image" \
  >/tmp/host.out 2>&1
check host-checks-answered contains /tmp/host.out done
check lio-host-targets-gone wait_for 30 no_discs_targets

echo "DISCS-STEP mount-disk"
companion_bg --config-dir $CONFIG mount lio.iso --device-type disk >/tmp/disk.out 2>/tmp/disk.err
pid=$!
dev=""
for i in $(seq 1500); do # 300 s, unless the companion has given up
  dev=$(sed -n 's/^device *//p' /tmp/disk.out | head -1 | cut -d' ' -f1)
  [ -n "$dev" ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.2
done
echo "DISCS-RESULT disk-device $dev"
targetcli ls >/tmp/targetcli-mounted.out 2>&1
check lio-has-the-target test "$(discs_targets)" = 1
check lio-lun-read-only contains /tmp/targetcli-mounted.out "(ro)"
check disk-device-exists test -b "$dev"
if [ ! -b "$dev" ]; then
  log targetcli-mounted /tmp/targetcli-mounted.out 80
  log companion /tmp/disk.err 20
  finish 1
fi
check disk-device-hash sh -c "head -c $IMAGE_SIZE $dev </dev/null | sha256sum | grep -q $IMAGE_SHA"
check disk-write-refused fails dd if=/dev/zero of="$dev" bs=512 count=1 oflag=direct conv=notrunc
target=$(ls /sys/kernel/config/target/iscsi | grep '^iqn\.2026-01\.io\.discs:' | head -1)
for info in /sys/kernel/config/target/iscsi/$target/tpgt_1/acls/*/info; do log acl-info "$info" 20; done
# Who is connected comes from configfs: the guest's own initiator, from the guest's address.
wait_for 30 sh -c "curl -s -H 'Authorization: Bearer $token' $API/api/v1/sessions >/tmp/sessions.json; grep -q '\"address\":\"10.0.2.15\"' /tmp/sessions.json"
check sessions-show-the-lio-connection contains /tmp/sessions.json '"address":"10.0.2.15"'

echo "DISCS-STEP kill-9"
kill -9 $server; wait $server 2>/dev/null
# While discs is down: the disc's target is lost (as after a reboot of a host without saved
# configuration), a target in discs's name space that no session wants appears.
targetcli /iscsi delete "$target" >/tmp/lost.out 2>&1
targetcli /iscsi create $STRAY >/tmp/stray.out 2>&1
check lio-target-lost-while-down fails has_target "$target"
check lio-stray-made has_target $STRAY
start_server
check server-ready-again test "$ready" = 200
[ "$ready" = 200 ] || finish 1
check lio-lost-target-served-again wait_for 60 has_target "$target"
check lio-stray-removed wait_for 60 sh -c "! test -d /sys/kernel/config/target/iscsi/$STRAY"
check lio-hand-made-target-left-alone has_target $HAND
# The kernel initiator logs in again by itself, with the CHAP it was given before the kill.
check disk-logged-in-again wait_for 180 sh -c "iscsiadm -m session -P 3 2>/dev/null | grep -q 'iSCSI Connection State: LOGGED IN'"
check disk-device-hash-after-restart sh -c "head -c $IMAGE_SIZE $dev </dev/null | sha256sum | grep -q $IMAGE_SHA"
check session-still-active sh -c "curl -s -H 'Authorization: Bearer $token' $API/api/v1/sessions | grep -q '\"state\":\"ACTIVE\"'"

kill -INT $pid; wait $pid
echo "DISCS-RESULT disk-sigint-exit $?"
check lio-nothing-left-of-the-target wait_for 60 no_discs_targets
check no-iscsi-session-left sh -c "! iscsiadm -m session >/dev/null 2>&1"
check lio-no-backstore-left test "$(discs_backstores)" = 0
check lio-hand-made-target-still-there has_target $HAND

log targetcli-mounted /tmp/targetcli-mounted.out 80
log companion /tmp/disk.err 20
kill $server; wait $server
finish 0
