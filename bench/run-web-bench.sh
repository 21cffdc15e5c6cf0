#!/usr/bin/env bash
# The web benchmark (bench/README.md): a head with 10,000 ended jobs ('cadre up', its own process), the REST
# list call timed, and the status page in headless Chromium: its first load and how fast job events reach it.
#
#   bench/run-web-bench.sh [--jobs N] [--list-calls N] [--page-loads N] [--events N] [--data-dir DIR] [--keep-data]
#
# Needs node (20 or later) and /usr/bin/chromium (Debian's chromium); playwright-core comes from the npm registry,
# as cli/src/test/browser/package-lock.json pins it, installed into bench/target/web-bench.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "bench: needs chromium (apt-get install chromium)" >&2; exit 2; }
jar="$root/bench/target/cadre-bench.jar"
newer="$(find "$root"/*/src/main "$root/bench/src" -newer "$jar" -type f -print -quit 2>/dev/null || true)"
if [ ! -f "$jar" ] || [ ! -f "$root/cli/target/cadre-cli.jar" ] || [ -n "$newer" ]; then
  echo "bench: building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl cli,bench -am)
  # A module that did not change keeps its old jar; without this every later run would build again.
  touch "$jar"
fi
browser="$root/bench/target/web-bench"
mkdir -p "$browser"
cp "$root/cli/src/test/browser/package.json" "$root/cli/src/test/browser/package-lock.json" \
  "$root/bench/browser/web-bench.mjs" "$browser/"
if [ ! -d "$browser/node_modules/playwright-core" ]; then
  (cd "$browser" && npm ci --no-audit --no-fund --registry=https://registry.npmjs.org/ >&2)
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx512m} -Dcadre.root="$root" -cp "$jar:$root/bench/target/lib/*" \
  dev.cadre.bench.WebBenchmark "$@"
