#!/usr/bin/env bash
# Upload benchmark: a 1 GiB ISO uploaded over loopback with its digest, each upload beside an
# `openssl dgst -sha256` of the same file in the same run; prints each run, the median ratio, the
# heap's growth, curl's CPU per upload, the machine's busy and idle time per upload (both cores)
# and, with BENCH_THREADS=1, the server's CPU per upload by thread and how long each thread was
# ready to run with no core free (client and server share them).
# Twelve uploads of the same file run first, unmeasured, and are deleted: a server has compiled its
# upload path long before its thousandth upload, while a fresh JVM runs SHA-256 in the interpreter
# and C1 for a while, and C2 still took 0.16-0.25 CPU-s per upload after four to six warm-ups
# (under 0.02 after twelve). `dd conv=fdatasync` of the file is printed beside it, for the disk's speed.
# Usage: perf/upload-bench.sh [size-MiB]      (build first: ./mvnw -q package -DskipTests)
#   BENCH_RUNS=5            measured uploads
#   BENCH_WARMUPS=12        unmeasured uploads first
#   BENCH_JAVA_OPTS=…       the server's JVM options (default -XX:+UseZGC, as the README starts it)
#   BENCH_DATA_DIR=/dev/shm/x puts the store on tmpfs, to separate disk cost from the rest
#   BENCH_LOG=FILE          keeps the server's log
#   BENCH_PROFILER=…/libasyncProfiler.so  profiles the measured uploads only (async-profiler,
#     BENCH_PROFILE_EVENT=cpu|wall, collapsed stacks in BENCH_PROFILE_OUT); see perf/README.md
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib="${1:-1024}"
port=18090
jar="${BENCH_JAR:-standalone/target/discs-standalone.jar}"
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${BENCH_LOG:-}" ]; then cp "$work/discs.log" "$BENCH_LOG"; fi
  rm -rf "$work"
}
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
  java ${BENCH_JAVA_OPTS:--XX:+UseZGC} -jar "$jar" >"$work/discs.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "the server did not start:"; tail -3 "$work/discs.log"; pid=""; exit 1; }
  sleep 0.1
done
token=$(curl -fs -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-admin-password"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# Heap in use (garbage included), from what the server tells Prometheus: jstat's counters for ZGC
# move only at its cycles. Sampled once a second: at four a second the scrapes took 6 % of the
# event loop's time during an upload, which is not the upload's.
heap() {
  curl -fs "http://127.0.0.1:$port/metrics" \
    | awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ {s += $NF} END {printf "%.0f\n", s}'
}
# The live heap: what is reachable at a safepoint right after a full collection (the class
# histogram's total). Under ZGC, the heap in use just after `GC.run` also counts whatever was
# allocated while that concurrent cycle ran, tens of MiB at upload speed, which no upload holds.
live() {
  jcmd "$pid" GC.class_histogram | awk '/^Total/ {print $3}'
}
cat "$iso" >/dev/null   # both sides read from the page cache

upload() {
  curl -s -o "$work/upload.json" -w "%{http_code}" -X POST -T "$iso" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/octet-stream' \
    -H "X-Checksum-Sha256: $sha" "http://127.0.0.1:$port/api/v1/images?name=$1"
}

sha=$(openssl dgst -sha256 -r "$iso" | cut -d' ' -f1)

start=$(date +%s%N)
dd if="$iso" of="$work/dd.out" bs=1M conv=fdatasync status=none
dd_ns=$(( $(date +%s%N) - start ))
rm -f "$work/dd.out"

( while sleep 1; do heap >>"$work/heap.samples" 2>/dev/null || true; done ) &
sampler=$!
for warm in $(seq "${BENCH_WARMUPS:-12}"); do
  status=$(upload "warmup-$warm.iso")
  [ "$status" = "201" ] || { echo "warm-up upload answered $status: $(cat "$work/upload.json")"; exit 1; }
  warm_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.json")
  curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/images/$warm_id"
done

# Per-thread CPU (1/100 s) and time ready to run with no core free (ns, from schedstat), summed by
# thread name without its number.
thread_cpu() {
  for t in /proc/"$pid"/task/*; do
    comm=$(tr ' ' '_' <"$t/comm" 2>/dev/null) || continue
    read -r -a f < <(sed 's/^.*) //' "$t/stat" 2>/dev/null) || continue
    read -r _ waited _ <"$t/schedstat" 2>/dev/null || waited=0
    echo "$comm $(( f[11] + f[12] )) $waited"
  done | awk '{ sub(/[#-]?[0-9]+$/, "", $1); s[$1] += $2; w[$1] += $3 } END { for (k in s) print k, s[k], w[k] }' | sort
}

runs="${BENCH_RUNS:-5}"
heap_before=$(live)
measured_from=$(wc -l <"$work/heap.samples")
thread_cpu >"$work/cpu.before"
if [ -n "${BENCH_PROFILER:-}" ]; then
  # jcmd would split an unquoted option list at its '=' signs.
  jcmd "$pid" JVMTI.agent_load "$BENCH_PROFILER" \
    "\"start,event=${BENCH_PROFILE_EVENT:-cpu},interval=1ms,threads\"" >/dev/null
fi
: >"$work/runs"
for run in $(seq "$runs"); do
  start=$(date +%s%N)
  openssl dgst -sha256 -r "$iso" >/dev/null
  openssl_ns=$(( $(date +%s%N) - start ))
  start=$(date +%s%N)
  # `times` in the same subshell gives curl's CPU: on two cores the client's share is the server's loss.
  head -1 /proc/stat >>"$work/stat"
  status=$(upload "bench-$run.iso"; times >"$work/times")
  head -1 /proc/stat >>"$work/stat"
  tail -1 "$work/times" >>"$work/client.cpu"
  upload_ns=$(( $(date +%s%N) - start ))
  [ "$status" = "201" ] || { echo "upload answered $status: $(cat "$work/upload.json")"; exit 1; }
  echo "$openssl_ns $upload_ns" >>"$work/runs"
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.json")
  curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/images/$id"
done
thread_cpu >"$work/cpu.after"
if [ -n "${BENCH_PROFILER:-}" ]; then
  jcmd "$pid" JVMTI.agent_load "$BENCH_PROFILER" "\"stop,collapsed,file=${BENCH_PROFILE_OUT:-/tmp/upload-profile.txt}\"" >/dev/null
fi
kill $sampler 2>/dev/null || true
peak=$heap_before
peak=$(tail -n +"$((measured_from + 1))" "$work/heap.samples" | sort -n | tail -1)
peak=${peak:-$heap_before}
# What the uploads left behind, as opposed to garbage not collected yet.
retained=$(live)
# What an upload holds while it runs: one more upload, untimed, its live heap taken again and again
# while it runs (each a full collection), the largest kept. The peak above is mostly garbage the
# collector had not come for yet: Vert.x copies each received chunk into a fresh heap buffer, a GiB
# of them per GiB uploaded.
upload held.iso >"$work/held.status" &
uploader=$!
: >"$work/held.samples"
sleep 0.2
while kill -0 "$uploader" 2>/dev/null; do
  live >>"$work/held.samples"
  sleep 0.1
done
held=$(sort -n "$work/held.samples" | tail -1)
held=${held:-$heap_before}
held_samples=$(wc -l <"$work/held.samples")
wait "$uploader"
[ "$(cat "$work/held.status")" = "201" ] || { echo "held upload answered $(cat "$work/held.status")"; exit 1; }

echo "image: $((bytes / 1048576)) MiB, $runs measured uploads (each beside its own openssl run)"
python3 - "$bytes" "$dd_ns" "$heap_before" "$peak" "$retained" "$held" "$work/runs" "$held_samples" <<'PY'
import statistics, sys
size, dd_ns, h0, hp, hr, hh = (int(x) for x in sys.argv[1:7])
runs = [tuple(int(x) for x in line.split()) for line in open(sys.argv[7])]
mb = size / 1e6
print(f"dd conv=fdatasync:    {mb/(dd_ns/1e9):8.1f} MB/s (the disk, for reference)")
for i, (o, u) in enumerate(runs, 1):
    print(f"run {i}: openssl {mb/(o/1e9):7.1f} MB/s, discs upload {mb/(u/1e9):7.1f} MB/s, ratio {o/u:5.2f}")
ratios = sorted(o / u for o, u in runs)
print(f"ratio upload/openssl: {statistics.median(ratios):8.2f} (median; best {ratios[-1]:.2f}, worst {ratios[0]:.2f})")
print(f"live heap before: {h0/2**20:.0f} MiB, peak in use during uploads (garbage included): {hp/2**20:.0f} MiB")
print(f"live heap during an upload (largest of {sys.argv[8]} samples): {hh/2**20:.0f} MiB, growth: {(hh-h0)/2**20:.0f} MiB")
print(f"live heap after the uploads: {hr/2**20:.0f} MiB")
PY
python3 - "$work/client.cpu" <<'PY'
import re, sys
def seconds(t):
    m = re.fullmatch(r"(\d+)m([\d.]+)s", t)
    return int(m.group(1)) * 60 + float(m.group(2))
cpu = [sum(seconds(t) for t in line.split()) for line in open(sys.argv[1]) if line.strip()]
print(f"client (curl) CPU per upload: {sum(cpu) / len(cpu):.2f} CPU-s")
PY
# The whole machine's time during the uploads (both cores): idle and iowait while an upload runs
# are time the pipeline stalled, not time it lacked a core.
python3 - "$work/stat" <<'PY'
import sys
lines = [[int(x) for x in line.split()[1:]] for line in open(sys.argv[1])]
names = "user nice system idle iowait irq softirq steal".split()
total = [0] * len(names)
for before, after in zip(lines[0::2], lines[1::2]):
    for i in range(len(names)):
        total[i] += after[i] - before[i]
n = len(lines) // 2
print("machine per upload (s):", " ".join(f"{k} {v / n / 100:.2f}" for k, v in zip(names, total) if v))
PY
if [ -n "${BENCH_THREADS:-}" ]; then
  echo "server CPU per upload, by thread:"
  join "$work/cpu.before" "$work/cpu.after" \
    | awk -v n="$runs" '($4 - $2) / n >= 2 { printf "  %-24s %5.2f CPU-s, %5.2f s waiting for a core\n", $1, ($4 - $2) / n / 100, ($5 - $3) / n / 1e9 }'
fi
