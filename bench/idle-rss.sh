#!/usr/bin/env bash
# Idle memory of the built server with a given jvm.options: where the resident memory goes.
#
#   bench/idle-rss.sh NAME JVM_OPTIONS_FILE [pin|nopin]
#
# Copies JVM_OPTIONS_FILE over target/liberty/wlp/usr/servers/sluice/jvm.options (build the
# server first: `bench/run.sh --product` or `mvn package liberty:create liberty:deploy`; the next
# build copies liberty/jvm.options back), adds -XX:NativeMemoryTracking=summary unless NMT=0,
# starts the server with bench/product-server.sh (which takes the machine's Liberty lock, waits
# until the server is ready, makes the API calls, waits 10 s, runs a full GC and reports VmRSS),
# pinned to CPU 0 like the benchmark unless `nopin`, then saves Native Memory Tracking's summary
# (`jcmd PID VM.native_memory summary`), GC.heap_info, /proc/PID/status lines and the largest
# mappings of /proc/PID/smaps into
# bench/out/idle-rss/NAME/ and stops the server. The server's environment is this script's
# environment plus the server's server.env; server.env wins (MALLOC_ARENA_MAX=2 stays even when set
# here: edit target/liberty/wlp/usr/servers/sluice/server.env to try another value).
# HOLD=1 leaves the server running (kill the product-server.sh pid in srv.pid to stop it).
# See docs/benchmarks.md#a-gateway-sized-jvm-idle-rss.
set -uo pipefail
NAME=$1
OPTS=$(realpath "$2")
PIN=${3:-pin}
cd "$(dirname "$0")/.." || exit 1
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
D=$PWD/bench/out/idle-rss/$NAME
SD=target/liberty/wlp/usr/servers/sluice
rm -rf "$D"
mkdir -p "$D"
cp "$OPTS" "$SD/jvm.options"
[ "${NMT:-1}" = 1 ] && echo "-XX:NativeMemoryTracking=summary" >>"$SD/jvm.options"
cp "$SD/jvm.options" "$D/jvm.options"
P=()
[ "$PIN" = pin ] && P=(taskset -c 0)
"${P[@]}" bench/product-server.sh "$D" >"$D/server.log" 2>&1 &
S=$!
for _ in $(seq 1 1800); do
  [ -f "$D/product.env" ] && break
  kill -0 "$S" 2>/dev/null || { echo "server script exited, see $D/server.log" >&2; exit 1; }
  sleep 1
done
# shellcheck disable=SC1091
. "$D/product.env"
"$JAVA_HOME/bin/jcmd" "$PID" VM.native_memory summary >"$D/nmt.txt" 2>&1
"$JAVA_HOME/bin/jcmd" "$PID" GC.heap_info >"$D/heap.txt" 2>&1
grep -E '^(Threads|VmRSS|RssAnon|RssFile):' "/proc/$PID/status" >"$D/status.txt"
# The 25 largest mappings by resident size (KiB, range, file): the Java heap is the range that
# GC.heap_info names, glibc's arenas are [heap] and the anonymous 64 MiB-aligned ones.
awk '/^[0-9a-f]+-[0-9a-f]+ /{r=$1; f=$6} /^Rss:/{print $2, r, f}' "/proc/$PID/smaps" |
  sort -rn | head -25 >"$D/smaps-top.txt"
{
  echo "== $NAME ($PIN): idle VmRSS $((IDLE_RSS_KB / 1024)) MiB"
  cat "$D/status.txt"
  grep -E '^(Total|-  +[A-Za-z ]+ \()' "$D/nmt.txt" | sed 's/ *$//'
  sed -n '2,3p' "$D/heap.txt"
} | tee "$D/summary.txt"
if [ -n "${HOLD:-}" ]; then
  echo "$S" >"$D/srv.pid"
  exit 0
fi
kill -TERM "$S"
wait "$S"
