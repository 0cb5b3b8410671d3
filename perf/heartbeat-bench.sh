#!/bin/bash
# Heartbeats from outside: wrk, 2 threads, 16 connections, 15 s after a 5 s warm-up, against one
# session's POST /api/v1/sessions/{id}/heartbeat, and GET /health the same way in the same run.
# Prints rate and latency percentiles (wrk --latency) for both.
# usage: perf/heartbeat-bench.sh [JAR]      (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-standalone/target/discs-standalone.jar}
D=$(mktemp -d)
PORT=18383
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
DISCS_DATA_DIR=$D/data DISCS_ADMIN_PASSWORD=adminpassword123 DISCS_HTTP_PORT=$PORT \
  DISCS_ISCSI_PORTAL=127.0.0.1:13263 DISCS_ISCSI_LISTEN=127.0.0.1:13263 java -jar "$JAR" > "$D/server.log" 2>&1 &
PID=$!
for i in $(seq 120); do curl -sf http://127.0.0.1:$PORT/ready >/dev/null && break; sleep 0.5; done
api=http://127.0.0.1:$PORT/api/v1
token() { curl -sf $api/auth/token -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])'; }
ADMIN=$(token admin adminpassword123)
python3 - "$D/hb.iso" <<'PY'
import struct, sys
sector = 2048; head = bytearray(64 * sector); pvd = 16 * sector
head[pvd] = 1; head[pvd+1:pvd+6] = b"CD001"; head[pvd+6] = 1
head[pvd+80:pvd+88] = struct.pack("<I", 64) + struct.pack(">I", 64)
head[pvd+128:pvd+132] = struct.pack("<H", sector) + struct.pack(">H", sector)
t = 17 * sector; head[t] = 255; head[t+1:t+6] = b"CD001"; head[t+6] = 1
open(sys.argv[1], "wb").write(head)
PY
IMAGE=$(curl -sf -X POST --data-binary @"$D/hb.iso" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/octet-stream' "$api/images?name=hb.iso" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
curl -sf -o /dev/null $api/users -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
  -d '{"username":"bench","password":"bench-password-1","roles":["user"]}'
USER_TOKEN=$(token bench bench-password-1)
SESSION=$(curl -sf $api/sessions -H "Authorization: Bearer $USER_TOKEN" -H 'content-type: application/json' \
  -d "{\"imageId\":\"$IMAGE\",\"initiatorIqn\":\"iqn.2026-01.bench:client\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
cat > "$D/heartbeat.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $USER_TOKEN"
LUA
run() { wrk -t2 -c16 -d"$1" --latency "${@:2}"; }
run 5s http://127.0.0.1:$PORT/health > /dev/null
run 5s -s "$D/heartbeat.lua" "$api/sessions/$SESSION/heartbeat" > /dev/null
H=$(run 15s http://127.0.0.1:$PORT/health)
B=$(run 15s -s "$D/heartbeat.lua" "$api/sessions/$SESSION/heartbeat")
summary() { echo "$1" | awk -v name="$2" '
  /Requests\/sec/ {rate=$2}
  /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
  /Non-2xx/ {errors=$NF}
  END {printf "%-10s %10s req/s  p50 %8s  p90 %8s  p99 %8s  non-2xx %s\n", name, rate, p50, p90, p99, (errors==""?0:errors)}'; }
summary "$H" "/health"
summary "$B" "heartbeat"
