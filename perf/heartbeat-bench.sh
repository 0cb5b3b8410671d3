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
. perf/bench-common.sh
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
summary "$H" "/health"
summary "$B" "heartbeat"
