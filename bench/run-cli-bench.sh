#!/usr/bin/env bash
# The client commands' latency (docs/benchmarks.md, "Slurm commands"): wall time of one whole invocation of
# squeue and of 'sbatch --wrap true', as a user types them, against 'cadre up' from this checkout on free
# ports and a fresh data directory. Uses hyperfine when it is installed (Debian: hyperfine), else a loop of
# its own; prints p50, p90, mean and min in milliseconds.
#
#   bench/run-cli-bench.sh [--runs N] [--warmup N] [--queue N] [--no-cds]
#
# --queue N  jobs held in the queue while squeue runs (default 20: squeue prints 20 lines)
# --no-cds   runs the commands without the class-data-sharing archive, to see what it saves
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs=50
warmup=5
queue=20
cds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --queue) queue="$2"; shift 2 ;;
    --no-cds) cds=0; shift ;;
    *) echo "usage: $0 [--runs N] [--warmup N] [--queue N] [--no-cds]" >&2; exit 2 ;;
  esac
done

if [ ! -f "$root/cli/target/cadre-cli.jar" ]; then
  echo "bench: building (mvn -q -DskipTests package) ..." >&2
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl cli -am)
fi
if [ "$cds" = 1 ] && [ ! "$root/cli/target/cadre-client.jsa" -nt "$root/cli/target/cadre-cli.jar" ]; then
  "$root/bin/cadre" --make-cds-archive
fi

work="$(mktemp -d)"
head_pid=
cleanup() {
  if [ -n "$head_pid" ]; then
    kill "$head_pid" 2>/dev/null || true
    wait "$head_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
: >"$work/head.log"
"$root/bin/cadre" up --data-dir "$work/data" --http-port "$(free_port)" --broker-port "$(free_port)" \
  --amqp-port "$(free_port)" --stomp-port "$(free_port)" --mdns-address off --cores 1 >"$work/head.log" 2>&1 &
head_pid=$!
for _ in $(seq 1 240); do
  grep -q "Cadre is up" "$work/head.log" && break
  kill -0 "$head_pid" 2>/dev/null || { cat "$work/head.log" >&2; exit 1; }
  sleep 0.25
done
grep -q "Cadre is up" "$work/head.log" || { echo "bench: the head did not start" >&2; exit 1; }
export CADRE_CONFIG="$work/data/client.json"
cd "$work"
# A queue to list: held jobs stay pending and leave the node free.
for _ in $(seq 1 "$queue"); do
  "$root/bin/sbatch" --hold --wrap true >/dev/null
done
if [ "$cds" = 0 ]; then
  export CADRE_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
fi

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "# archive: $([ "$cds" = 1 ] && echo "cli/target/cadre-client.jsa" || echo none), $runs runs after $warmup warm-up"
printf '%-28s %8s %8s %8s %8s\n' command p50_ms p90_ms mean_ms min_ms

# Percentiles of a list of milliseconds, one per line.
summarise() {
  sort -n | awk -v name="$1" '{ v[NR] = $1; s += $1 } END {
    p50 = v[int((NR + 1) * 0.5)]; p90 = v[int(NR * 0.9) > 0 ? int(NR * 0.9) : 1];
    printf "%-28s %8.1f %8.1f %8.1f %8.1f\n", name, p50, p90, s / NR, v[1] }'
}

measure() {
  local name="$1"; shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$work/h.json" "$*" >/dev/null 2>&1
    python3 -c 'import json,sys; [print(t * 1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
      "$work/h.json" | summarise "$name"
  else
    for _ in $(seq 1 "$warmup"); do "$@" >/dev/null; done
    for _ in $(seq 1 "$runs"); do
      local start end
      start=$(date +%s%N)
      "$@" >/dev/null
      end=$(date +%s%N)
      echo "$(( (end - start) / 1000 )) / 1000" | bc -l
    done | summarise "$name"
  fi
}

measure "java -version (floor)" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -version
measure "squeue" "$root/bin/squeue"
measure "sbatch --wrap true" "$root/bin/sbatch" --wrap true
measure "sacct -X" "$root/bin/sacct" -X
measure "sinfo" "$root/bin/sinfo"
