#!/bin/sh
# discs on a LIO host, inside the Debian guest: Debian's kernel target modules, targetcli-fb, the
# server jar as root with DISCS_ISCSI_BACKEND=lio (every service in one JVM, on the test's
# PostgreSQL through a forward), and the companion with stock open-iscsi as the initiator on the
# same machine. Every check prints
# "DISCS-CHECK <name> ok|FAILED <detail>"; "DISCS-LOG" lines are for a person reading a failure.
. /discs/env.sh
API=http://127.0.0.1:8080
CONFIG=/root/.config/discs

COMPANION_OPTS=-Xmx160m
. /discs/checks.sh
log() { sed "s/^/DISCS-LOG $1 /" "$2" 2>/dev/null | tail -${3:-60}; }
discs_targets() { ls /sys/kernel/config/target/iscsi 2>/dev/null | grep -c '^iqn\.2026-01\.io\.discs:'; }
discs_backstores() { ls /sys/kernel/config/target/core/fileio_*/ 2>/dev/null | grep -c '^discs'; }

echo "DISCS-STEP lio"
# What systemd brings up on a LIO host: the system bus (targetcli asks it for user backstores) and
# the target's folder for its saved configuration and the kernel's metadata.
mkdir -p /run/dbus /etc/target && dbus-daemon --system --fork
for module in target_core_mod target_core_file iscsi_target_mod; do modprobe $module; done
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
check lio-configfs test -d /sys/kernel/config/target
targetcli ls >/tmp/targetcli-before.out 2>&1
check targetcli-runs contains /tmp/targetcli-before.out "o- /"
log targetcli-before /tmp/targetcli-before.out 40
iscsid
for i in $(seq 50); do grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix && break; sleep 0.2; done

echo "DISCS-STEP server"
mkdir -p /var/lib/discs
DISCS_DB_URL="$DB_URL" DISCS_DB_OWNER_URL="$DB_OWNER_URL" \
  DISCS_ISCSI_BACKEND=lio DISCS_ISCSI_PORTAL=10.0.2.15:3260 DISCS_HTTP_HOST=127.0.0.1 \
  DISCS_HTTP_PORT=8080 DISCS_DATA_DIR=/var/lib/discs DISCS_ADMIN_PASSWORD="$PASSWORD" \
  java $JAVA_OPTS -Xmx384m -jar /discs/server.jar >/tmp/server.log 2>&1 &
server=$!
ready=000
for i in $(seq 600); do
  ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 $API/ready)
  [ "$ready" = 200 ] && break
  kill -0 $server 2>/dev/null || break
  sleep 1
done
echo "DISCS-RESULT server-ready-after $(cut -d' ' -f1 /proc/uptime) s"
check server-ready test "$ready" = 200
if [ "$ready" != 200 ]; then
  log server /tmp/server.log 150
  echo "DISCS-STEP end"
  exit 1
fi

printf '%s\n' "$PASSWORD" | companion login --server "$API" --user admin --password-stdin >/tmp/login.out 2>&1
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' $CONFIG/credentials.json)
curl -s -X POST -T /discs/disc.iso -H "Authorization: Bearer $token" \
  "$API/api/v1/images?name=lio.iso" >/tmp/image.json
check image-stored contains /tmp/image.json "$IMAGE_SHA"

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
  log server /tmp/server.log 150
  echo "DISCS-STEP end"
  exit 1
fi
check disk-device-hash sh -c "head -c $IMAGE_SIZE $dev </dev/null | sha256sum | grep -q $IMAGE_SHA"
check disk-write-refused fails dd if=/dev/zero of="$dev" bs=512 count=1 oflag=direct conv=notrunc
kill -INT $pid; wait $pid
echo "DISCS-RESULT disk-sigint-exit $?"
for i in $(seq 60); do [ "$(discs_targets)" = 0 ] && break; sleep 1; done
check lio-nothing-left-of-the-target test "$(discs_targets)" = 0
check lio-no-backstore-left test "$(discs_backstores)" = 0

log targetcli-mounted /tmp/targetcli-mounted.out 80
log companion /tmp/disk.err 20
log server /tmp/server.log 120
kill $server; wait $server
echo "DISCS-STEP end"
