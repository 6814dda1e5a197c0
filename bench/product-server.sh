#!/usr/bin/env bash
# The product under test of `bench/run.sh --product`: the built Sluice server (Liberty with the
# packaged application, target/liberty, default liberty/jvm.options, embedded H2 in a fresh
# database) run in the foreground with Liberty's own `server run`, the way `mvn liberty:run` does.
# Started by the benchmark driver (which pins it to CPU 0 with taskset, so the JVM sees one CPU
# like the engine-only rows); not meant to be run by hand.
#
#   bench/product-server.sh OUT_DIR
#
# Holds the machine's Liberty lock ($SLUICE_LIBERTY_LOCK, default /work/liberty.lock when /work
# exists, else /tmp/sluice-liberty.lock) for as long as the server runs. Once the server is ready
# it logs in as the bootstrap admin (SLUICE_ADMIN_PASSWORD, changed at first login as every admin
# must), creates the proxy user `bench` through the API (allowed destinations: the benchmark
# targets on 127.0.0.1:25001-25004 only, or the four ports from $BENCH_TARGETS) and writes OUT_DIR/product.env (PID of the server JVM,
# the user's generated password, idle RSS). SIGTERM stops the server (`server stop`) and releases
# the lock. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
RUNTIME=${SLUICE_LIBERTY_RUNTIME:-.liberty/wlp}
SERVER_DIR=target/liberty/wlp/usr/servers/sluice
[ -d /work ] && LOCK_DEFAULT=/work/liberty.lock || LOCK_DEFAULT=/tmp/sluice-liberty.lock
LOCK=${SLUICE_LIBERTY_LOCK:-$LOCK_DEFAULT}
API=http://127.0.0.1:9080/api/v1
T0=${BENCH_TARGETS:-25001}
rm -f "$OUT/product.env"
[ -x "$RUNTIME/bin/server" ] && [ -d "$SERVER_DIR" ] || {
  echo "no built server ($SERVER_DIR) or runtime ($RUNTIME): run bench/run.sh --product" >&2
  exit 1
}

exec 9>>"$LOCK"
echo "$(date -u +%T) waiting for $LOCK"
flock 9
echo "$(date -u +%T) got $LOCK"

# a fresh embedded database: the bootstrap admin below is created on this start
rm -rf "$SERVER_DIR/data"
export WLP_USER_DIR=$PWD/target/liberty/wlp/usr
ADMIN_PW="bench-admin-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SLUICE_ADMIN_PASSWORD=$ADMIN_PW
unset DB_URL DB_USER DB_PASSWORD
"$RUNTIME/bin/server" run sluice &
SRV=$!
stop() {
  trap - TERM INT EXIT
  "$RUNTIME/bin/server" stop sluice >/dev/null 2>&1 || kill "$SRV" 2>/dev/null || true
  wait "$SRV" 2>/dev/null || true
  echo "$(date -u +%T) server stopped, releasing $LOCK"
  exit 0
}
trap stop TERM INT EXIT

for _ in $(seq 1 360); do
  curl -sf -o /dev/null http://127.0.0.1:9080/health/ready && break
  kill -0 "$SRV" 2>/dev/null || { echo "server exited" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null http://127.0.0.1:9080/health/ready || { echo "not ready after 180 s" >&2; exit 1; }
echo "$(date -u +%T) ready"

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
J='Content-Type: application/json'
TOKEN=$(curl -sf -XPOST "$API/auth/login" -H "$J" \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" | json accessToken)
NEW_PW="$ADMIN_PW-2"
TOKEN=$(curl -sf -XPOST "$API/auth/password" -H "Authorization: Bearer $TOKEN" -H "$J" \
  -d "{\"currentPassword\":\"$ADMIN_PW\",\"newPassword\":\"$NEW_PW\"}" | json accessToken)
PASS=$(curl -sf -XPOST "$API/users" -H "Authorization: Bearer $TOKEN" -H "$J" \
  -d '{"username":"bench","allowedDestinations":["127.0.0.1/32:'"$T0-$((T0 + 3))"'"]}' | json password)

# the server JVM: `server run` execs java, so it is $SRV or (older runtimes) a child of it
JPID=$SRV
if ! tr '\0' ' ' <"/proc/$JPID/cmdline" | grep -q java; then
  JPID=$(pgrep -P "$SRV" java | head -1)
fi
# idle RSS of the ready server: 10 s after the API calls, a full GC, then 11 s so that the JVM's
# periodic native-heap trim (every 10 s in liberty/jvm.options) has run after the GC
sleep 10
"${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd" "$JPID" GC.run >/dev/null 2>&1 || true
sleep 11
RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$JPID/status")
{
  echo "PID=$JPID"
  echo "PASS=$PASS"
  echo "ADMIN_PASSWORD=$NEW_PW"
  echo "IDLE_RSS_KB=$RSS"
} >"$OUT/product.env.tmp"
mv "$OUT/product.env.tmp" "$OUT/product.env"
echo "$(date -u +%T) product.env written (server JVM $JPID, idle RSS $((RSS / 1024)) MiB)"
wait "$SRV"
