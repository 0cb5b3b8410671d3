#!/usr/bin/env bash
# Upload benchmark: one 1 GiB ISO over loopback with its digest, against `openssl dgst -sha256` of
# the same file in the same run. Reports MB/s, the ratio to openssl and the JVM's heap growth.
# One upload of the same file runs first, unmeasured, and is deleted: a server has compiled its
# hashing loop long before its thousandth upload, and the first one in a fresh JVM runs SHA-256
# in the interpreter for a while (about half the time of a cold upload). `dd conv=fdatasync`
# of the same file is printed beside it, for the disk's speed at that moment.
# Usage: perf/upload-bench.sh [size-MiB]      (build first: ./mvnw -q package -DskipTests)
# BENCH_DATA_DIR=/dev/shm/x puts the store on tmpfs, to separate disk cost from the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib="${1:-1024}"
port=18090
jar=standalone/target/discs-standalone.jar
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

iso="$work/bench.iso"
python3 - "$iso" "$size_mib" <<'PY'
import os, struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
sector = 2048
head = bytearray(20 * sector)
pvd = 16 * sector
head[pvd] = 1; head[pvd+1:pvd+6] = b"CD001"; head[pvd+6] = 1
head[pvd+40:pvd+72] = b"DISCS_BENCH".ljust(32)
sectors = mib * 1024 * 1024 // sector
head[pvd+80:pvd+88] = struct.pack("<I", sectors) + struct.pack(">I", sectors)
head[pvd+128:pvd+132] = struct.pack("<H", sector) + struct.pack(">H", sector)
term = 17 * sector
head[term] = 255; head[term+1:term+6] = b"CD001"; head[term+6] = 1
with open(path, "wb") as f:
    f.write(head)
    left = mib * 1024 * 1024 - len(head)
    chunk = os.urandom(1 << 20)
    while left > 0:
        n = min(len(chunk), left); f.write(chunk[:n]); left -= n
PY
bytes=$(stat -c %s "$iso")

DISCS_HTTP_PORT=$port DISCS_DATA_DIR="${BENCH_DATA_DIR:-$work/data}" DISCS_ADMIN_PASSWORD=bench-admin-password \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" >"$work/discs.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.1; done
token=$(curl -fs -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-admin-password"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

heap() {
  curl -fs "http://127.0.0.1:$port/metrics" \
    | awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ {s += $NF} END {printf "%.0f\n", s}'
}
cat "$iso" >/dev/null   # both sides read from the page cache

upload() {
  curl -s -o "$work/upload.json" -w "%{http_code}" -X POST -T "$iso" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/octet-stream' \
    -H "X-Checksum-Sha256: $sha" "http://127.0.0.1:$port/api/v1/images?name=$1"
}

start=$(date +%s%N)
sha=$(openssl dgst -sha256 -r "$iso" | cut -d' ' -f1)
openssl_ns=$(( $(date +%s%N) - start ))

start=$(date +%s%N)
dd if="$iso" of="$work/dd.out" bs=1M conv=fdatasync status=none
dd_ns=$(( $(date +%s%N) - start ))
rm -f "$work/dd.out"

status=$(upload warmup.iso)
[ "$status" = "201" ] || { echo "warm-up upload answered $status: $(cat "$work/upload.json")"; exit 1; }
warm_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.json")
curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/images/$warm_id"

jcmd "$pid" GC.run >/dev/null 2>&1 || true
heap_before=$(heap)
peak=$heap_before
( while sleep 0.2; do heap >>"$work/heap.samples" 2>/dev/null || true; done ) &
sampler=$!
start=$(date +%s%N)
status=$(upload bench.iso)
upload_ns=$(( $(date +%s%N) - start ))
kill $sampler 2>/dev/null || true
[ "$status" = "201" ] || { echo "upload answered $status: $(cat "$work/upload.json")"; exit 1; }
if [ -s "$work/heap.samples" ]; then peak=$(sort -n "$work/heap.samples" | tail -1); fi
# What the upload left behind, as opposed to garbage G1 had not collected yet.
jcmd "$pid" GC.run >/dev/null 2>&1 || true
retained=$(heap)

python3 - "$bytes" "$openssl_ns" "$upload_ns" "$heap_before" "$peak" "$dd_ns" "$retained" <<'PY'
import sys
size, o_ns, u_ns, h0, hp, dd_ns, hr = (int(x) for x in sys.argv[1:])
mb = size / 1e6
print(f"image: {size/2**20:.0f} MiB")
print(f"dd conv=fdatasync:    {mb/(dd_ns/1e9):8.1f} MB/s (the disk, for reference)")
print(f"openssl dgst -sha256: {mb/(o_ns/1e9):8.1f} MB/s")
print(f"discs upload:         {mb/(u_ns/1e9):8.1f} MB/s")
print(f"ratio upload/openssl: {o_ns/u_ns:8.2f}")
print(f"heap before (after a full GC): {h0/2**20:.0f} MiB, peak during upload: {hp/2**20:.0f} MiB, growth: {(hp-h0)/2**20:.0f} MiB")
print(f"heap after a full GC: {hr/2**20:.0f} MiB")
PY
