#!/bin/bash
# The console's sessions page with 10,000 active sessions: what it asks every 1.5 s (the newest 100
# active sessions, GET /api/v1/sessions?state=ACTIVE&limit=100, as an operator) measured with wrk
# (2 threads, 4 connections, 15 s after a warm-up) beside GET /health in the same run.
# usage: perf/sessions-page-bench.sh [JAR] [SESSIONS]   (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:-standalone/target/discs-standalone.jar}
COUNT=${2:-10000}
D=$(mktemp -d)
PORT=18384
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
DISCS_DATA_DIR=$D/data DISCS_ADMIN_PASSWORD=adminpassword123 DISCS_HTTP_PORT=$PORT \
  DISCS_MAX_SESSIONS_PER_USER=1000 DISCS_LEASE_SECONDS=3600 \
  DISCS_ISCSI_PORTAL=127.0.0.1:13264 DISCS_ISCSI_LISTEN=127.0.0.1:13264 \
  java -XX:+UseZGC -jar "$JAR" > "$D/server.log" 2>&1 &
PID=$!
. perf/bench-common.sh
user() {
  curl -sf -o /dev/null $api/users -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"bench-password-1\",\"roles\":[\"$2\"]}"
}
user olga operator
OPERATOR=$(token olga bench-password-1)
# At most 1,000 active sessions a user (DISCS_MAX_SESSIONS_PER_USER): the fleet is many people's.
start=$(date +%s)
for n in $(seq $(( (COUNT + 999) / 1000 ))); do
  user "user$n" user
  T=$(token "user$n" bench-password-1)
  seq $(( COUNT - (n - 1) * 1000 < 1000 ? COUNT - (n - 1) * 1000 : 1000 )) | xargs -P 8 -I{} \
    curl -sf -o /dev/null $api/sessions -H "Authorization: Bearer $T" -H 'content-type: application/json' \
    -d "{\"imageId\":\"$IMAGE\",\"initiatorIqn\":\"iqn.2026-12.bench:user$n-{}\"}"
done
echo "made $COUNT sessions in $(( $(date +%s) - start )) s"
cat > "$D/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $OPERATOR"
LUA
run() { wrk -t2 -c4 -d"$1" --latency "${@:2}"; }
PAGE="$api/sessions?state=ACTIVE&limit=100"
run 5s http://127.0.0.1:$PORT/health > /dev/null
run 5s -s "$D/auth.lua" "$PAGE" > /dev/null
H=$(run 15s http://127.0.0.1:$PORT/health)
P=$(run 15s -s "$D/auth.lua" "$PAGE")
summary "$H" "/health"
summary "$P" "sessions page"
curl -s -H "Authorization: Bearer $OPERATOR" "$PAGE" | python3 -c 'import sys,json;print("items on the page:", len(json.load(sys.stdin)["items"]))'
