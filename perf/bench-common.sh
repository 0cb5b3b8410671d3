# Sourced by the API benches: after the server was started in the background ($PID, $PORT, $D),
# waits for it, defines token() and wrk's summary(), and stores a tiny ISO as $IMAGE (admin's
# password: adminpassword123).
for i in $(seq 120); do curl -sf http://127.0.0.1:$PORT/ready >/dev/null && break; sleep 0.5; done
api=http://127.0.0.1:$PORT/api/v1
token() { curl -sf $api/auth/token -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])'; }
ADMIN=$(token admin adminpassword123)
python3 - "$D/bench.iso" <<'PY'
import struct, sys
sector = 2048; head = bytearray(64 * sector); pvd = 16 * sector
head[pvd] = 1; head[pvd+1:pvd+6] = b"CD001"; head[pvd+6] = 1
head[pvd+80:pvd+88] = struct.pack("<I", 64) + struct.pack(">I", 64)
head[pvd+128:pvd+132] = struct.pack("<H", sector) + struct.pack(">H", sector)
t = 17 * sector; head[t] = 255; head[t+1:t+6] = b"CD001"; head[t+6] = 1
open(sys.argv[1], "wb").write(head)
PY
IMAGE=$(curl -sf -X POST --data-binary @"$D/bench.iso" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/octet-stream' "$api/images?name=bench.iso" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
summary() { echo "$1" | awk -v name="$2" '
  /Requests\/sec/ {rate=$2}
  /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
  /Non-2xx/ {errors=$NF}
  END {printf "%-16s %10s req/s  p50 %8s  p90 %8s  p99 %8s  non-2xx %s\n", name, rate, p50, p90, p99, (errors==""?0:errors)}'; }
