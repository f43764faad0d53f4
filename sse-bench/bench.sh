#!/usr/bin/env bash
# Runs one benchmark scenario; see BENCHMARKS.md. Builds the module first when needed.
#   sse-bench/bench.sh --scenario broadcast --subjects ssekit,jetty,nio --streams 1000
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f sse-bench/target/runtime-classpath.txt || -n "${BENCH_REBUILD:-}" ]]; then
  mvn -B -q -pl sse-bench -am package -DskipTests
fi
# Each process holds one socket per stream; 10k streams need more than the usual 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd sse-bench
exec java -Xms256m -Xmx1g -XX:+UseG1GC \
  -cp "target/classes:$(cat target/runtime-classpath.txt)" dev.ssekit.bench.Bench "$@"
