#!/usr/bin/env bash
# The scheduling-pass benchmark (bench/README.md): the core alone, 100,000 pending jobs on 1,000 simulated
# nodes by default; arguments go to it, e.g. --policy conservative-backfill --jobs 20000.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/cadre-bench.jar"
newer="$(find "$root/bench/src" "$root/protocol/src/main" "$root/scheduler/src/main" -newer "$jar" -type f \
  -print -quit 2>/dev/null || true)"
if [ ! -f "$jar" ] || [ ! -d "$root/bench/target/lib" ] || [ -n "$newer" ]; then
  echo "bench: building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl bench -am)
  # A module that did not change keeps its old jar; without this every later run would build again.
  touch "$jar"
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -cp "$jar:$root/bench/target/lib/*" \
  dev.cadre.bench.SchedulingPassBenchmark "$@"
