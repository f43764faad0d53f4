#!/usr/bin/env bash
# Runs every scenario as reported in BENCHMARKS.md (about 12 to 15 minutes on 2 cores).
# Output: sse-bench/target/results/<scenario>.txt, each with the load average before it.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_REBUILD=1 sse-bench/bench.sh --scenario idle --subjects nio --counts 10 >/dev/null
out=sse-bench/target/results
mkdir -p "$out"
run() {
  local name=$1
  shift
  { echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# sse-bench/bench.sh $*"
    sse-bench/bench.sh "$@" | grep -v '^  '; } > "$out/$name.txt" 2>&1
  cat "$out/$name.txt"
}
run idle --scenario idle --subjects bare,ssekit,jetty,nio --counts 1000,5000,10000
run broadcast-1k --scenario broadcast --subjects ssekit,jetty,nio --streams 1000 --rate 10 \
  --seconds 30
run broadcast-10k --scenario broadcast --subjects ssekit,jetty,nio --streams 10000 --rate 10 \
  --seconds 30
run saturation --scenario saturation --subjects ssekit,jetty,nio --streams 10000 \
  --rates 1,2,5,10,20,40,60,100,150,200,300 --seconds 5
run slow --scenario slow --subjects ssekit,nio --streams 10000 --rate 10 --seconds 20 \
  --stall-seconds 40 --sndbuf 8192
run dead --scenario dead --subjects ssekit,jetty,nio --streams 10000 --kill 1000
# The same broadcasts with the parallel collector instead of G1, for every subject alike.
parallel="-Xms64m -Xmx1g -XX:+UseParallelGC"
run broadcast-1k-parallel-gc --scenario broadcast --subjects ssekit,nio --streams 1000 \
  --rate 10 --seconds 30 --server-jvm "$parallel"
run broadcast-10k-parallel-gc --scenario broadcast --subjects ssekit,nio --streams 10000 \
  --rate 10 --seconds 30 --server-jvm "$parallel"
