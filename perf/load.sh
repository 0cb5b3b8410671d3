#!/bin/bash
# The Gatling load suite (perf/gatling) against a standalone discs started here: embedded PostgreSQL,
# embedded target. For each scenario: Gatling's percentiles per request, the server's CPU (share of
# both cores) and heap after a full GC, and a screenshot of the Gatling report (headless Chromium).
# The mounted fleet and mount churn run while iscsi-perf reads a target of their server.
#   usage: perf/load.sh [warmup] [fleet] [churn] [browse] [uploads] [login] [targets]   (all when none)
# warmup runs mount churn and browse unmeasured first, so that the JIT has compiled the server's
# hot paths: a fresh JVM's first seconds would otherwise be most of every p99.
#   knobs: NO_READER=1 (no iscsi-perf alongside), READER_NICE (19), GATLING_NICE (0; -5 puts the
#          measuring client ahead of the server and the reader, to see how much of a tail is its own), FLEET_SESSIONS (10000), FLEET_RAMP (100 s), FLEET_HOLD (300 s), CHURN_SECONDS (120),
#          BROWSE_SECONDS (60), LOGIN_SECONDS (60), JAR, SERVER_JAVA_OPTS (-XX:+UseZGC, as the
#          README and infra/ run the server; e.g. -XX:+UseG1GC to compare, or a profiler agent)
# Prints a Markdown table per scenario; the reports stay in perf/gatling/target/gatling, the
# pictures go to perf/charts. Build first: ./mvnw -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAR=${JAR:-standalone/target/discs-standalone.jar}
SCENARIOS=${*:-warmup fleet churn browse uploads login targets}
FLEET_SESSIONS=${FLEET_SESSIONS:-10000}
FLEET_HOLD=${FLEET_HOLD:-300}
FLEET_RAMP=${FLEET_RAMP:-100}
CHURN_SECONDS=${CHURN_SECONDS:-120}
BROWSE_SECONDS=${BROWSE_SECONDS:-60}
LOGIN_SECONDS=${LOGIN_SECONDS:-60}
PASSWORD=load-admin-password
HTTP=18480; ISCSI=13480
W=$(mktemp -d /tmp/discs-load.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  mkdir -p perf/gatling/target && cp "$W/server.log" perf/gatling/target/load-server.log 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
for tool in java curl python3 jcmd iscsi-perf; do
  command -v $tool >/dev/null || { echo "perf/load.sh needs $tool"; exit 2; }
done
ulimit -n 65536 2>/dev/null || true

DISCS_DATA_DIR=$W/data DISCS_ADMIN_PASSWORD=$PASSWORD DISCS_HTTP_PORT=$HTTP \
  DISCS_ISCSI_PORTAL=127.0.0.1:$ISCSI DISCS_ISCSI_LISTEN=127.0.0.1:$ISCSI \
  DISCS_MAX_SESSIONS_PER_USER=500 DISCS_TOKEN_MINUTES=240 DISCS_REQUEST_TIMEOUT_SECONDS=120 \
  java ${SERVER_JAVA_OPTS:--XX:+UseZGC} -jar "$JAR" >"$W/server.log" 2>&1 &
SERVER=$!; PIDS+=($SERVER)
until curl -fs "http://127.0.0.1:$HTTP/ready" >/dev/null 2>&1; do
  kill -0 $SERVER 2>/dev/null || { tail -20 "$W/server.log"; exit 1; }; sleep 0.3; done
API=http://127.0.0.1:$HTTP/api/v1
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
ADMIN=$(curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" \
  "$API/auth/token" | json 'd["access_token"]')

iso() { # path MiB: an ISO 9660 volume of that size, random content after the descriptors
  python3 - "$1" "$2" <<'PY'
import os, struct, sys
path, mib = sys.argv[1], int(sys.argv[2]); sector = 2048; blocks = mib * 512
head = bytearray(64 * sector); pvd = 16 * sector
head[pvd] = 1; head[pvd+1:pvd+6] = b"CD001"; head[pvd+6] = 1
head[pvd+80:pvd+88] = struct.pack("<I", blocks) + struct.pack(">I", blocks)
head[pvd+128:pvd+132] = struct.pack("<H", sector) + struct.pack(">H", sector)
t = 17 * sector; head[t] = 255; head[t+1:t+6] = b"CD001"; head[t+6] = 1
with open(path, "wb") as f:
    f.write(head)
    left = blocks * sector - len(head)
    while left > 0:
        n = min(left, 8 << 20); f.write(os.urandom(n)); left -= n
PY
}
cpu_ticks() { awk '{print $14 + $15}' /proc/$SERVER/stat; }
heap_mib() { # heap in use after a full GC, MiB
  jcmd $SERVER GC.run >/dev/null
  # G1 says "garbage-first heap total …K, used …K", ZGC " ZHeap used …M, capacity …".
  jcmd $SERVER GC.heap_info | awk '/garbage-first heap|total|ZHeap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(",", "", v); f = v ~ /M$/ ? 1 : 1 / 1024; sub("[KM]", "", v); printf "%.1f\n", v * f; exit } }'
}
metric() { curl -fs "http://127.0.0.1:$HTTP/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d\n", s }'; }

READER_INI=iqn.2026-01.io.discs.load:reader
reader_start() { # iscsi-perf reading a 64 MiB image, 4 KiB at depth 8, for the whole scenario
  if [ -n "${NO_READER:-}" ]; then READER=; return; fi
  if [ -z "${READER_URL:-}" ]; then
    iso "$W/reader.iso" 64
    local image target
    image=$(curl -fs -X POST -T "$W/reader.iso" -H "Authorization: Bearer $ADMIN" "$API/images?name=reader.iso" | json 'd["id"]')
    target=$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
      -d "{\"imageId\":\"$image\",\"initiatorIqn\":\"$READER_INI\"}" "$API/targets")
    READER_URL="iscsi://$(echo "$target" | json 'd["chap"]["username"]')%$(echo "$target" | json 'd["chap"]["secret"]')@127.0.0.1:$ISCSI/$(echo "$target" | json 'd["iqn"]')/0"
  fi
  # Background load: it reads with whatever CPU the server and the measuring client leave (nice 19),
  # so that a busy-polling reader on two shared cores does not turn into the client's own tail.
  nice -n "${READER_NICE:-19}" iscsi-perf -i $READER_INI -b 8 -m 8 "$READER_URL" >"$W/reader.log" 2>&1 &
  READER=$!
}
reader_stop() {
  if [ -z "${READER:-}" ]; then READER_MBS="(not run: NO_READER)"; return; fi
  kill -INT $READER 2>/dev/null || true; wait $READER 2>/dev/null || true
  READER_MBS=$(tr '\r' '\n' <"$W/reader.log" | grep -Eo 'average [0-9]+ \([0-9.]+ MB/s' | tail -1 | grep -Eo '[0-9.]+ MB/s' || echo "n/a")
}

gatling() { # simulation, then -Dname=value...
  local sim=$1; shift
  nice -n "${GATLING_NICE:-0}" ./mvnw -q -f perf/gatling/pom.xml gatling:test -Dgatling.simulationClass=io.discs.load.$sim \
    -Ddiscs.url=http://127.0.0.1:$HTTP -Ddiscs.adminPassword=$PASSWORD "$@" >"$W/$sim.log" 2>&1 || true
  # sed reads the whole list: head would leave ls a SIGPIPE, fatal under pipefail.
  REPORT=$(ls -td perf/gatling/target/gatling/*/ | sed -n 1p)
  grep -E "Global|failed|KO" "$W/$sim.log" | grep -v "^\s*$" | tail -5 || true
}
stats() { # report-dir -> one Markdown row per request, from the report's statistics table
  python3 - "$1/index.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
print("| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
print("|---|---|---|---|---|---|---|---|")
for m in re.finditer(r'class="ellipsed-name">([^<]+)</span>(.*?)</tr>', html, re.S):
    cells = dict(re.findall(r'<td class="value [a-z]+ col-(\d+)">([^<]*)</td>', m.group(2)))
    if cells:
        print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (m.group(1), cells["2"], cells["6"],
              cells["8"], cells["10"], cells["11"], cells["12"], cells["4"]))
PY
}
server_side() { # before-file after-file: per route, the server's own p50/p99 over the scenario
  python3 - "$1" "$2" <<'PY'
import re, sys
def buckets(path):
    out = {}
    for line in open(path):
        m = re.match(r'vertx_http_server_response_time_seconds_bucket\{(.*)\} ([0-9.e+]+)', line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        key = labels["method"] + " " + labels.get("route", "?")
        le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
        out.setdefault(key, {})
        out[key][le] = out[key].get(le, 0) + float(m.group(2))
    return out
before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
print("| route (server side) | requests | p50 ms ≤ | p99 ms ≤ |")
print("|---|---|---|---|")
for route, counts in sorted(after.items()):
    delta = {le: n - before.get(route, {}).get(le, 0) for le, n in counts.items()}
    total = delta.get(float("inf"), 0)
    if total < 10 or "/api/v1" not in route:
        continue
    def q(f):
        for le in sorted(delta):
            if delta[le] >= f * total:
                return "%.1f" % (le * 1000)
    print("| %s | %d | %s | %s |" % (route.replace("/api/v1/>", "/api/v1"), total, q(0.5), q(0.99)))
PY
}
snapshot() { curl -fs "http://127.0.0.1:$HTTP/metrics" >"$W/$1"; }
screenshot() { # report-dir name
  local browser; browser=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$browser" ] || { echo "(no chromium: no picture)"; return; }
  mkdir -p perf/charts
  "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,2600 \
    --virtual-time-budget=15000 --screenshot="$ROOT/perf/charts/$2.png" "file://$ROOT/$1index.html" >/dev/null 2>&1 || true
  echo "picture: perf/charts/$2.png"
}
measure_start() { snapshot before; C0=$(cpu_ticks); T0=$(date +%s.%N); }
measure_end() { # name
  local c1 t1; c1=$(cpu_ticks); t1=$(date +%s.%N); snapshot after
  CPU=$(python3 -c "print('%.0f %%' % (($c1 - $C0) / 100 / ($t1 - $T0) / $(nproc) * 100))")
  CPU_SECONDS=$(python3 -c "print(($c1 - $C0) / 100)")
}

echo "discs load, commit $(git rev-parse --short HEAD), $(date -u +%F), $(nproc) cores, $(basename "$JAR")"
for s in $SCENARIOS; do
  echo; echo "## $s"
  case $s in
  warmup)
    gatling MountChurnSimulation -Dload.seconds=30
    gatling BrowseSimulation -Dload.seconds=15
    echo "(not measured)" ;;
  fleet)
    base=$(heap_mib); expired0=$(metric discs_sessions_expired_total)
    reader_start; measure_start
    ( sleep $((FLEET_RAMP + 60)); echo "$(heap_mib) $(metric discs_sessions_active) $(metric discs_targets_active)" >"$W/mid" ) &
    MID=$!; PIDS+=($MID)
    gatling MountedFleetSimulation -Dload.sessions=$FLEET_SESSIONS -Dload.holdSeconds=$FLEET_HOLD -Dload.rampSeconds=$FLEET_RAMP
    measure_end; reader_stop; wait $MID || true
    read -r mid active targets <"$W/mid"
    stats "$REPORT"; echo; server_side "$W/before" "$W/after"
    echo
    echo "server CPU $CPU of $(nproc) cores; heap after GC $base MiB idle, $mid MiB with $active sessions ($targets targets) active;" \
      "$(python3 -c "print('%.1f' % (($mid - $base) * 1024 / max(1, $active)))") KiB per idle session (its target included);" \
      "expired during the run: $(( $(metric discs_sessions_expired_total) - expired0 )); iscsi-perf alongside: $READER_MBS"
    screenshot "$REPORT" fleet ;;
  churn)
    expired0=$(metric discs_sessions_expired_total)
    reader_start; measure_start
    gatling MountChurnSimulation -Dload.seconds=$CHURN_SECONDS
    measure_end; reader_stop
    stats "$REPORT"; echo; server_side "$W/before" "$W/after"
    echo; echo "server CPU $CPU; heap after GC $(heap_mib) MiB; expired: $(( $(metric discs_sessions_expired_total) - expired0 )); iscsi-perf alongside: $READER_MBS"
    screenshot "$REPORT" churn ;;
  browse)
    measure_start; gatling BrowseSimulation -Dload.seconds=$BROWSE_SECONDS; measure_end
    stats "$REPORT"; echo; server_side "$W/before" "$W/after"; echo; echo "server CPU $CPU; heap after GC $(heap_mib) MiB"
    screenshot "$REPORT" browse ;;
  uploads)
    mkdir -p "$W/uploads"
    for n in 0 1 2 3 4 5 6 7; do iso "$W/uploads/upload-$n.iso" 256; done
    measure_start; gatling UploadsSimulation -Dload.uploadDir="$W/uploads"; measure_end
    stats "$REPORT"; echo; server_side "$W/before" "$W/after"
    echo; echo "server CPU $CPU ($CPU_SECONDS CPU-s for 2 GiB); heap after GC $(heap_mib) MiB"
    rm -rf "$W/uploads"
    screenshot "$REPORT" uploads ;;
  login)
    measure_start; gatling LoginSimulation -Dload.seconds=$LOGIN_SECONDS; measure_end
    stats "$REPORT"; echo; server_side "$W/before" "$W/after"
    logins=$(stats "$REPORT" | awk -F'|' '$2 ~ /^ login / { gsub(/[ ,]/, "", $3); print $3 - $9 }')
    echo; echo "server CPU $CPU; $logins logins in $CPU_SECONDS CPU-s: $(python3 -c "print('%.1f' % ($logins / max(0.01, $CPU_SECONDS)))") logins per core-second"
    screenshot "$REPORT" login ;;
  targets)
    # Idle embedded targets alone: 2,000 made through the API, heap after GC before and after.
    iso "$W/targets.iso" 1
    image=$(curl -fs -X POST -T "$W/targets.iso" -H "Authorization: Bearer $ADMIN" "$API/images?name=targets.iso" | json 'd["id"]')
    base=$(heap_mib)
    python3 - "$HTTP" "$ADMIN" "$image" 2000 <<'PY'
import http.client, json, sys
port, token, image, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", int(port))
for n in range(count):
    body = json.dumps({"imageId": image, "initiatorIqn": "iqn.2026-01.io.discs.load:t-%d" % n})
    c.request("POST", "/api/v1/targets", body, {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
PY
    after=$(heap_mib)
    echo "2000 idle embedded targets: heap after GC $base -> $after MiB, $(python3 -c "print('%.1f' % (($after - $base) * 1024 / 2000))") KiB per target" ;;
  *) echo "unknown scenario $s"; exit 2 ;;
  esac
done
