#!/usr/bin/env bash
# Runs the end-to-end throughput benchmark (see bench/README.md): 'cadre up' from this checkout, trivial jobs
# through the whole path. Arguments go to it, e.g. --jobs 10000 -- --cores 32.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/cadre-bench.jar"
newer="$(find "$root/bench/src" "$root/protocol/src/main" "$root/db/src/main" "$root/broker/src/main" \
  "$root/scheduler/src/main" "$root/node-runner/src/main" "$root/web/src/main" "$root/cli/src/main" \
  -newer "$jar" -type f -print -quit 2>/dev/null || true)"
if [ ! -f "$jar" ] || [ ! -f "$root/cli/target/cadre-cli.jar" ] || [ -n "$newer" ]; then
  echo "bench: building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl bench,cli -am)
  # A module that did not change keeps its old jar; without this every later run would build again.
  touch "$jar"
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx512m} -Dcadre.root="$root" -cp "$jar:$root/bench/target/lib/*" \
  dev.cadre.bench.ThroughputBenchmark "$@"
