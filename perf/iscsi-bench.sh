#!/usr/bin/env bash
# The same image served by discs's embedded target and by tgtd, in one run, read by the same
# initiators: iscsi-perf (4 KiB and 128 KiB requests at queue depth 32, 4 KiB at depth 1) and
# qemu-img convert of the whole image to null-co://. Both warmed first; three rounds, targets
# alternating; reports the median MB/s of each (and the runs) and the ratio.
# Usage: perf/iscsi-bench.sh [size-MiB] [seconds-per-iscsi-perf-row]    (as root; build first)
# ROUNDS=1 ROWS=128 (a substring of the row names) for a quick look while working on one row;
# BENCH_JAVA_OPTS for the embedded target's JVM (a profiler, say).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib="${1:-1024}"
seconds="${2:-10}"
jar=standalone/target/discs-standalone.jar
work=$(mktemp -d)
http=18110; embedded=13410; tgt_portal=13411; control=$(( 2000 + RANDOM % 6000 ))
pids=()
# tgtd does not stop on SIGTERM while it has targets: a survivor would keep the portal port and
# quietly answer the next run's tgtd rows with this run's configuration.
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ini=iqn.2026-01.bench.discs:initiator

python3 - "$work/bench.iso" "$size_mib" <<'PY'
import os, struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
s = 2048; h = bytearray(20 * s); p = 16 * s
h[p] = 1; h[p+1:p+6] = b"CD001"; h[p+6] = 1; h[p+40:p+72] = b"DISCS_BENCH".ljust(32)
n = mib * 1024 * 1024 // s
h[p+80:p+88] = struct.pack("<I", n) + struct.pack(">I", n); h[p+128:p+132] = struct.pack("<H", s) + struct.pack(">H", s)
t = 17 * s; h[t] = 255; h[t+1:t+6] = b"CD001"; h[t+6] = 1
with open(path, "wb") as f:
    f.write(h); left = mib * 1024 * 1024 - len(h); chunk = os.urandom(1 << 20)
    while left > 0:
        k = min(len(chunk), left); f.write(chunk[:k]); left -= k
PY

DISCS_HTTP_PORT=$http DISCS_DATA_DIR="$work/data" DISCS_ADMIN_PASSWORD=bench-admin-password \
  DISCS_ISCSI_PORTAL=127.0.0.1:$embedded DISCS_ISCSI_LISTEN=127.0.0.1:$embedded java ${BENCH_JAVA_OPTS:-} -jar "$jar" >"$work/discs.log" 2>&1 &
pids+=($!)
tgtd -f -C "$control" --iscsi portal=127.0.0.1:$tgt_portal >"$work/tgtd.log" 2>&1 &
pids+=($!)
until curl -fs "http://127.0.0.1:$http/ready" >/dev/null 2>&1; do sleep 0.2; done
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
token=$(curl -fs -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' \
  "http://127.0.0.1:$http/api/v1/auth/token" | json 'd["access_token"]')
image=$(curl -fs -X POST -T "$work/bench.iso" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$http/api/v1/images?name=bench.iso" | json 'd["id"]+" "+d["sha256"]')
image_id=${image% *}; sha=${image#* }
target=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"imageId\":\"$image_id\",\"initiatorIqn\":\"$ini\"}" "http://127.0.0.1:$http/api/v1/targets")
e_iqn=$(echo "$target" | json 'd["iqn"]'); e_user=$(echo "$target" | json 'd["chap"]["username"]')
e_secret=$(echo "$target" | json 'd["chap"]["secret"]')
blob="$work/data/images/sha256/${sha:0:2}/$sha"

adm() { tgtadm -C "$control" --lld iscsi "$@"; }
t_iqn=iqn.2026-01.bench.tgt:bench; t_user=benchuser; t_secret=BenchSecret1234
adm --mode target --op new --tid 1 --targetname $t_iqn
adm --mode logicalunit --op new --tid 1 --lun 1 --backing-store "$blob"
adm --mode logicalunit --op update --tid 1 --lun 1 --params readonly=1
adm --mode account --op new --user $t_user --password $t_secret
adm --mode account --op bind --tid 1 --user $t_user
adm --mode target --op bind --tid 1 --initiator-name $ini
cat "$blob" >/dev/null

e_url="iscsi://$e_user%$e_secret@127.0.0.1:$embedded/$e_iqn/0"
t_url="iscsi://$t_user%$t_secret@127.0.0.1:$tgt_portal/$t_iqn/1"
perf_row() { # blocks depth url -> MB/s: the last "iops average N (M MB/s)" iscsi-perf prints
  local out
  out=$( (timeout -s INT "$seconds" iscsi-perf -i $ini -b "$1" -m "$2" "$3" 2>&1 || true) | tr '\r' '\n' \
    | grep -Eo 'average [0-9]+ \([0-9.]+ MB/s' | tail -1 | grep -Eo '\([0-9.]+' | tr -d '(' || true)
  echo "${out:-0}"
}
qemu_row() {
  local portal=$1 iqn=$2 lun=$3 user=$4 secret=$5 start end
  start=$(date +%s%N)
  qemu-img convert -n -O raw --image-opts \
    "driver=iscsi,transport=tcp,portal=$portal,target=$iqn,lun=$lun,user=$user,password=$secret,initiator-name=$ini" \
    null-co:// >/dev/null
  end=$(date +%s%N)
  python3 -c "print(f'{$size_mib*1.048576/(($end-$start)/1e9):.1f}')"
}
# Warm both targets first (the embedded target's JIT, both page caches, tgtd's threads), unmeasured.
warm=$seconds; seconds=3
for url in "$e_url" "$t_url"; do perf_row 8 32 "$url" >/dev/null; perf_row 256 32 "$url" >/dev/null; done
qemu_row 127.0.0.1:$embedded "$e_iqn" 0 "$e_user" "$e_secret" >/dev/null
qemu_row 127.0.0.1:$tgt_portal $t_iqn 1 $t_user $t_secret >/dev/null
seconds=$warm

# Three rounds, the two targets taking turns within each, so drift on a shared machine hits both;
# each cell is the median of its three runs.
rows=("iscsi-perf 4 KiB, depth 32|8 32" "iscsi-perf 128 KiB (-b 256), depth 32|256 32" "iscsi-perf 4 KiB, depth 1|8 1")
declare -A runs
for round in $(seq "${ROUNDS:-3}"); do
  for r in "${rows[@]}"; do
    [[ "$r" == *"${ROWS:-}"* ]] || continue
    args=${r#*|}
    runs["$r|e"]+=" $(perf_row $args "$e_url")"
    runs["$r|t"]+=" $(perf_row $args "$t_url")"
  done
  [[ "qemu-img" == *"${ROWS:-}"* ]] || continue
  runs["qemu|e"]+=" $(qemu_row 127.0.0.1:$embedded "$e_iqn" 0 "$e_user" "$e_secret")"
  runs["qemu|t"]+=" $(qemu_row 127.0.0.1:$tgt_portal $t_iqn 1 $t_user $t_secret)"
done
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" $1; }
printf '| workload | embedded MB/s (median; runs) | tgtd MB/s (median; runs) | embedded / tgtd |\n|---|---|---|---|\n'
row() {
  local e t
  e=$(median "$2"); t=$(median "$3")
  printf '| %s | %s (%s) | %s (%s) | %s |\n' "$1" "$e" "$(echo $2 | tr ' ' '/')" "$t" "$(echo $3 | tr ' ' '/')" \
    "$(python3 -c "print(f'{$e/$t:.2f}' if $t else 'n/a')")"
}
for r in "${rows[@]}"; do
  if [[ "$r" == *"${ROWS:-}"* ]]; then row "${r%|*}" "${runs["$r|e"]}" "${runs["$r|t"]}"; fi
done
if [[ "qemu-img" == *"${ROWS:-}"* ]]; then
  row "qemu-img convert to null-co://" "${runs["qemu|e"]}" "${runs["qemu|t"]}"
fi
