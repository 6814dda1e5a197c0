#!/usr/bin/env bash
# VM address allocation at scale on PostgreSQL (docs/benchmarks.md, "VM address allocation"):
# fills a 10.0.0.0/8 pool with 1,000,000 allocations in a throw-away schema, then times the next
# 1,000 allocations, 1,000 specific-address allocations and 1,000 releases through the real
# allocator, and prints the table sizes. About 1-2 minutes.
#
#   bench/vms/run.sh [-Dfill=1000000] [-Dsamples=1000]
#
# Database: DB_URL / DB_USER / DB_PASSWORD (default jdbc:postgresql://127.0.0.1:5432/sluice_ci,
# sluice/sluice). Needs JDK 21+ (JAVA_HOME, default temurin 25) and the Maven repository offline.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
OUT=bench/out/vms
mkdir -p "$OUT"
mvn -o -q -B compile
mvn -o -q -B dependency:build-classpath -Dmdep.includeScope=provided -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/classes:$(cat "$OUT/cp.txt")"
rm -rf "$OUT/classes"
javac -nowarn -d "$OUT/classes" -cp "$CP" bench/vms/VmAddressBench.java
exec java -Xmx1g "$@" -cp "$OUT/classes:$CP" VmAddressBench
