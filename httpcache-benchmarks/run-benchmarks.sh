#!/usr/bin/env bash
# Runs the benchmarks that docs/benchmarks.md reports, one JMH run each, with the options reported
# there, then draws the charts into docs/images/. Before each run it waits (at most MAX_WAIT
# seconds) until the one-minute load average is under 1.0, and writes the load and any running
# Maven build to conditions.log beside the results, before and after.
#
#   mvn -B -q -pl httpcache-benchmarks -am package -DskipTests
#   httpcache-benchmarks/run-benchmarks.sh                  # all: about 40 minutes of machine time
#   httpcache-benchmarks/run-benchmarks.sh hit scale        # some: hit throughput miss revalidation scale
#
# Results: $OUT (default /tmp/httpcache-bench-results), as NAME.json (JMH's JSON) and NAME.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/httpcache-bench-results}
MAX_WAIT=${MAX_WAIT:-900}
JAR=httpcache-benchmarks/target/benchmarks.jar
mkdir -p "$OUT"

conditions() {
  echo "$(date -u +%FT%TZ) $1: loadavg $(cut -d' ' -f1-3 /proc/loadavg), maven processes: $(pgrep -fc 'plexus-classworlds' || true), commit $(git rev-parse --short HEAD)" >>"$OUT/conditions.log"
}

wait_quiet() {
  local waited=0
  while awk '{exit !($1>1.0)}' /proc/loadavg && [ "$waited" -lt "$MAX_WAIT" ]; do
    sleep 10
    waited=$((waited + 10))
  done
}

run() {
  local name=$1
  shift
  wait_quiet
  conditions "before $name"
  java -jar "$JAR" "$@" -rf json -rff "$OUT/$name.json" | tee "$OUT/$name.txt"
  conditions "after $name"
}

selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=(hit throughput miss revalidation scale)
for name in "${selected[@]}"; do
  case "$name" in
    hit) run hit 'HitBenchmark\.' -f 2 -wi 8 -w 1s -i 5 -r 1s ;;
    throughput) run throughput 'HitThroughputBenchmark\.' -f 2 -wi 8 -w 1s -i 5 -r 1s ;;
    miss) run miss 'MissBenchmark\.' -f 2 -wi 20 -w 1s -i 5 -r 1s ;;
    revalidation) run revalidation 'RevalidationBenchmark\.' -f 2 -wi 10 -w 1s -i 5 -r 1s ;;
    scale) run scale 'ScaleBenchmark\.' -f 2 -wi 4 -w 1s -i 5 -r 1s ;;
    *) echo "unknown benchmark set: $name" >&2; exit 2 ;;
  esac
done
java -Djava.awt.headless=true -cp "$JAR" dev.httpcache.benchmarks.Charts docs/images "$OUT"/*.json
