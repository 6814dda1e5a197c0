#!/usr/bin/env bash
# Sluice benchmark: Sluice SOCKS5 vs dante and microsocks, Sluice HTTP CONNECT vs squid and
# tinyproxy, and the direct connection, all on 127.0.0.1. See docs/benchmarks.md.
#
#   bench/run.sh [--quick] [--jfr] [--only=direct,sluice-socks5,...]
#   bench/run.sh --product [--quick] [--only=...] [--modes=throughput,connrate,idle]
#
# --product measures the server users run (Liberty with the packaged application, built here
# with `mvn package` + liberty:create/deploy, started by bench/product-server.sh under the
# machine's Liberty lock) next to the engine alone, direct, dante, microsocks, squid and tinyproxy
# in the same run.
#
# Needs: JDK 21+ (JAVA_HOME, default temurin 25), Maven (offline repository filled by the main
# build), and the Debian packages dante-server microsocks squid tinyproxy (installed with
# apt-get when missing and running as root). Full run ~8 min, --quick ~2 min. Results go to
# bench/out/ (gitignored). Not part of the Maven build or its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
OUT=bench/out
mkdir -p "$OUT"

need=()
for b in /usr/sbin/danted /usr/bin/microsocks /usr/sbin/squid /usr/bin/tinyproxy; do
  [ -x "$b" ] || need+=("$b")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dante-server microsocks squid tinyproxy
  else
    echo "missing ${need[*]}: apt-get install dante-server microsocks squid tinyproxy" >&2
    exit 1
  fi
fi

PRODUCT=0
ARGS=()
for a in "$@"; do
  if [ "$a" = --product ]; then PRODUCT=1; else ARGS+=("$a"); fi
done

if [ "$PRODUCT" = 1 ]; then
  # the packaged application and the server directory under target/liberty, as mvn liberty:run
  # makes them (no tests run; the runtime is extracted once into .liberty/)
  mvn -o -q -B package -DskipTests
  mvn -o -q -B liberty:create liberty:deploy
  ARGS+=("--product=bench/product-server.sh")
else
  # engine classes and runtime classpath (no tests, no packaging)
  mvn -o -q -B compile
fi
mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/classes:$(cat "$OUT/cp.txt")"
rm -rf "$OUT/classes"
javac -nowarn -d "$OUT/classes" -cp "$CP" $(find bench/src/main/java -name '*.java')

# up to 2 x 9,000 tunnels in one process: client sockets plus the targets' accepted sockets
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 20000

PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  PIN=(taskset -c 1)
  export BENCH_PINNED=1
fi
exec "${PIN[@]}" java -Dbench.cpus="$(nproc)" -Xms512m -Xmx2g -XX:+UseParallelGC -cp "$OUT/classes:$CP" io.sluice.bench.Bench --out="$OUT" ${ARGS[@]+"${ARGS[@]}"}
