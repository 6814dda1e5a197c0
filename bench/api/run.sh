#!/usr/bin/env bash
# Admin API latency: GET /api/v1/users with many proxy users at a fixed request rate (open loop),
# p50/p90/p99/max. See docs/benchmarks.md ("Admin API").
#   bench/api/run.sh --start [USERS=10000] [RATE=200] [SECONDS=10]
#       starts the built server (bench/product-server.sh: target/liberty, fresh H2, under the
#       machine's Liberty lock) and stops it at the end
#   bench/api/run.sh ADMIN_PASSWORD [USERS] [RATE] [SECONDS]    against a running server
#       ($SLUICE_URL, default http://127.0.0.1:9080)
# The driver (bench/api/UsersLoad.java) is JDK only. Only 127.0.0.1 is contacted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
BASE=${SLUICE_URL:-http://127.0.0.1:9080}
SERVER=
trap '[ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; } || true' EXIT
if [ "${1:-}" = --start ]; then
  shift
  OUT=$here/../out; mkdir -p "$OUT/logs"; rm -f "$OUT/product.env"
  bash "$here/../product-server.sh" "$OUT" >"$OUT/logs/api-server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 3600); do
    [ -f "$OUT/product.env" ] && break
    kill -0 "$SERVER" 2>/dev/null || { echo "server did not start: $OUT/logs/api-server.log" >&2; exit 1; }
    sleep 0.5
  done
  PW=$(sed -n 's/^ADMIN_PASSWORD=//p' "$OUT/product.env")
else
  PW=$1; shift
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" "$here/UsersLoad.java" "$BASE" "$PW" "${1:-10000}" "${2:-200}" "${3:-10}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
