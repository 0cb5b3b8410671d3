#!/bin/bash
# Authenticated API calls against /health in the same run: wrk, 2 threads, 32 connections, 10 s
# each after a 5 s warm-up, on a fresh data directory.
# usage: perf/auth-bench.sh JAR LABEL   (JAR: standalone/target/discs-standalone.jar or an older build)
set -euo pipefail
JAR=$1; LABEL=$2; D=$(mktemp -d)
DISCS_DATA_DIR=$D DISCS_ADMIN_PASSWORD=adminpassword123 DISCS_HTTP_PORT=18282 DISCS_ISCSI_PORTAL=127.0.0.1:13262 DISCS_ISCSI_LISTEN=127.0.0.1:13262 java -jar $JAR > $D/server.log 2>&1 &
PID=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:18282/ready >/dev/null && break; sleep 0.5; done
T=$(curl -s http://127.0.0.1:18282/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"admin","password":"adminpassword123"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
wrk -t2 -c32 -d5s http://127.0.0.1:18282/health > /dev/null 2>&1  # warm-up
H=$(wrk -t2 -c32 -d10s http://127.0.0.1:18282/health | awk '/Requests\/sec/{print $2}')
wrk -t2 -c32 -d5s -H "Authorization: Bearer $T" http://127.0.0.1:18282/api/v1/sessions > /dev/null 2>&1
A=$(wrk -t2 -c32 -d10s -H "Authorization: Bearer $T" http://127.0.0.1:18282/api/v1/sessions | awk '/Requests\/sec/{print $2}')
wrk -t2 -c32 -d5s -H "Authorization: Bearer $T" http://127.0.0.1:18282/api/v1/images > /dev/null 2>&1
I=$(wrk -t2 -c32 -d10s -H "Authorization: Bearer $T" http://127.0.0.1:18282/api/v1/images | awk '/Requests\/sec/{print $2}')
echo "$LABEL health=$H authenticated_GET_sessions=$A ratio=$(python3 -c "print(round($A/$H,4))") authenticated_GET_images=$I ratio=$(python3 -c "print(round($I/$H,4))")"
kill $PID; wait $PID 2>/dev/null; rm -rf $D
