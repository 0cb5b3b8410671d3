#!/usr/bin/env bash
# Time from `java -jar` to the first 200 from /ready, on a fresh data directory and then again on
# the same one. Usage: perf/startup.sh [port]   (build first: ./mvnw -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18080}"
jar=standalone/target/discs-standalone.jar
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

measure() {
  local start now pid
  start=$(date +%s%N)
  DISCS_HTTP_PORT="$port" DISCS_DATA_DIR="$data" java -jar "$jar" >"$data/$1.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "discs exited; see its log:"; cat "$data/$1.log"; exit 1; }
    sleep 0.05
  done
  now=$(date +%s%N)
  echo "$1: ready after $(( (now - start) / 1000000 )) ms"
  start=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid" || true
  now=$(date +%s%N)
  echo "$1: stopped $(( (now - start) / 1000000 )) ms after SIGTERM"
}

measure first-start
measure second-start
echo "fat jar: $(du -h "$jar" | cut -f1)"
