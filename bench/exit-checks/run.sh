#!/usr/bin/env bash
# Exit-check benchmark: how long does checking N exits through a provider take?
# Against a running Sluice (mvn liberty:run) and its admin password:
#   bench/exit-checks/run.sh [--latency-ms MS] ADMIN_PASSWORD [COUNT=10000] [CHECKS_PER_SECOND=50] [FIRST_PORT=11000]
# or starting the built server itself (bench/product-server.sh: target/liberty from
# `bench/run.sh --product` or `mvn package liberty:create liberty:deploy`, fresh H2, under the
# machine's Liberty lock, stopped at the end):
#   bench/exit-checks/run.sh --start [--latency-ms 100] - [COUNT] [CHECKS_PER_SECOND] [FIRST_PORT]
# FIRST_PORT.. stays below the ephemeral range 32768+, clear of RabbitMQ 25672. --latency-ms
# makes the fake provider answer every CONNECT that much later. Everything stays on 127.0.0.1;
# the fake provider stops by itself after 15 minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
START=0; LAT=0
while [ $# -gt 0 ]; do
  case $1 in
    --start) START=1; shift ;;
    --latency-ms) LAT=$2; shift 2 ;;
    *) break ;;
  esac
done
PW=${1:--}; COUNT=${2:-10000}; RATE=${3:-50}; FIRST=${4:-11000}
BASE=${SLUICE_URL:-http://127.0.0.1:9080}
ulimit -n 20000 || true
SERVER=
cleanup() {
  [ -n "${FAKE:-}" ] && kill "$FAKE" 2>/dev/null || true
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ "$START" = 1 ]; then
  OUT=$here/../out; mkdir -p "$OUT/logs"; rm -f "$OUT/product.env"
  bash "$here/../product-server.sh" "$OUT" >"$OUT/logs/exit-checks-server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 3600); do
    [ -f "$OUT/product.env" ] && break
    kill -0 "$SERVER" 2>/dev/null || { echo "server did not start: $OUT/logs/exit-checks-server.log" >&2; exit 1; }
    sleep 0.5
  done
  PW=$(sed -n 's/^ADMIN_PASSWORD=//p' "$OUT/product.env")
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); fake provider latency ${LAT} ms"
python3 "$here/fake_provider.py" "$FIRST" "$COUNT" --seconds 900 --latency-ms "$LAT" &
FAKE=$!
for _ in $(seq 1 120); do
  kill -0 $FAKE 2>/dev/null || { echo "fake provider did not start (ports $FIRST.. in use?)" >&2; exit 1; }
  (exec 3<>/dev/tcp/127.0.0.1/$((FIRST + COUNT - 1))) 2>/dev/null && break
  sleep 0.5
done
TOKEN=$(curl -sf -XPOST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PW\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["accessToken"])')
H="Authorization: Bearer $TOKEN"; J='Content-Type: application/json'
# The periodic monitor would share the per-host rate budget with this run: pause it meanwhile.
MON=$(curl -sf "$BASE/api/v1/exits/monitor" -H "$H" | python3 -c 'import sys,json;print(json.load(sys.stdin)["running"])')
curl -sf -XPOST "$BASE/api/v1/exits/monitor/stop" -H "$H" >/dev/null
trap 'cleanup_mon; cleanup' EXIT
cleanup_mon() { [ "$MON" = True ] && curl -sf -XPOST "$BASE/api/v1/exits/monitor/start" -H "$H" >/dev/null || true; }
POOL="bench_$RANDOM"
curl -sf -XPOST "$BASE/api/v1/pools" -H "$H" -H "$J" -d "{\"name\":\"$POOL\",\"strategy\":\"random\"}" >/dev/null
t0=$(date +%s.%N)
PROV=$(curl -sf -XPOST "$BASE/api/v1/providers" -H "$H" -H "$J" -d "{\"name\":\"$POOL\",\"kind\":\"socks5\",\"host\":\"127.0.0.1\",\"portFrom\":$FIRST,\"portTo\":$((FIRST + COUNT - 1)),\"checksPerSecond\":$RATE,\"checkUrl\":\"$BASE/api/v1/ip\",\"pool\":\"$POOL\"}")
t1=$(date +%s.%N)
PID=$(echo "$PROV" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
RES=$(curl -sf -XPOST "$BASE/api/v1/exits/check?pool=$POOL&wait=true" -H "$H" --max-time 3600)
t2=$(date +%s.%N)
echo "$RES" | python3 -c "
import sys, json
r = json.load(sys.stdin)
lat = sorted(x['latencyMs'] for x in r['results'])
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
create, check = $t1 - $t0, $t2 - $t1
print(f'exits={r[\"total\"]} healthy={r[\"healthy\"]} unhealthy={r[\"unhealthy\"]} rate_limit={$RATE}/s')
print(f'create provider+exits: {create:.1f} s')
print(f'check all: {check:.1f} s = {r[\"total\"] / check:.0f} checks/s; probe latency p50={p(0.5)} ms p99={p(0.99)} ms')
"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -sf -XDELETE "$BASE/api/v1/providers/$PID" -H "$H" >/dev/null
