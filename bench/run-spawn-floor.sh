#!/usr/bin/env bash
# The floor under a trivial job's processes (docs/benchmarks.md): one loop, then one loop per core at once, each
# spawning `/bin/sh SCRIPT` (SCRIPT: `#!/bin/sh` then `true`, what `sbatch --wrap true` runs) RUNS times.
# Prints the wall time per run and the CPU per run of the parallel loops. Usage: run-spawn-floor.sh [RUNS]
set -euo pipefail
runs="${1:-3000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cc -O2 -o "$work/spawn-floor" "$root/bench/src/main/c/spawn-floor.c"
printf '#!/bin/sh\ntrue\n' > "$work/job.sh"
echo "one loop: $("$work/spawn-floor" "$runs" "$work/job.sh")"
cores="$(nproc)"
# This shell's reaped children's CPU (cutime + cstime), in clock ticks, around the parallel loops only.
before="$(awk '{print $16 + $17}' /proc/$$/stat)"
start="$(date +%s%N)"
pids=()
for _ in $(seq "$cores"); do "$work/spawn-floor" "$runs" "$work/job.sh" > /dev/null & pids+=("$!"); done
for pid in "${pids[@]}"; do wait "$pid"; done
end="$(date +%s%N)"
after="$(awk '{print $16 + $17}' /proc/$$/stat)"
echo "$cores loops at once: $((cores * runs)) runs in $(((end - start) / 1000000)) ms"
awk -v t="$(getconf CLK_TCK)" -v a="$((after - before))" -v n="$((cores * runs))" -v w="$(((end - start) / 1000))" \
  'BEGIN { printf "CPU per run: %.3f ms; %.0f runs per second together\n", 1000 * a / t / n, n / (w / 1e6) }'
