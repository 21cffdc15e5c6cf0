#!/usr/bin/env bash
# Runs the durable submission benchmark (see bench/README.md); arguments go to it, e.g. --jobs 20000.
# Builds the reactor first when the benchmark jar is missing or older than its sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/cadre-bench.jar"
newer="$(find "$root/bench/src" "$root/protocol/src/main" "$root/db/src/main" "$root/broker/src/main" \
  "$root/scheduler/src/main" -newer "$jar" -type f -print -quit 2>/dev/null || true)"
if [ ! -f "$jar" ] || [ ! -d "$root/bench/target/lib" ] || [ -n "$newer" ]; then
  echo "bench: building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl bench -am)
  # A module that did not change keeps its old jar; without this every later run would build again.
  touch "$jar"
fi
# A fixed heap keeps collector resizing out of the figures; override with BENCH_JAVA_OPTS.
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms1g -Xmx1g} -cp "$jar:$root/bench/target/lib/*" \
  dev.cadre.bench.SubmissionBenchmark "$@"
