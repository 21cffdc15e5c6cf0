#!/usr/bin/env bash
# The MPI launch benchmark (bench/README.md): a two-host MPI hello submitted to Cadre again and again, its
# daemons started through cadre-rsh or through a bare agent (ip netns exec) on the same hosts. Prints a
# Markdown table: submit -> every rank running, submit -> COMPLETED, and mpirun's own wall time.
#
#   bench/run-mpi-launch-bench.sh [--runs N]        (root, iproute2, Open MPI with mpicc, jq, curl)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=20
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench: --runs must be 1-9999" >&2; exit 2; }
for tool in ip mpicc mpirun jq curl; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces)" >&2; exit 2; }
if [ ! -f "$root/cli/target/cadre-cli.jar" ]; then
  (cd "$root" && mvn -q ${CADRE_MVN_OPTS:--o} -DskipTests package -pl cli -am)
fi

hosts="$root/cli/src/test/netns/netns-hosts"
prefix=mpibench
work="$(mktemp -d /tmp/cadre-mpi-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$hosts" down "$prefix" || true
  rm -rf "$work"
}
trap cleanup EXIT
"$hosts" up "$prefix" 3 10.215.0
mpicc -O2 -o "$work/hello" "$root/bench/mpi/launch-hello.c"

await_line() { # file text seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || { echo "bench: no '$2' in $1 within $3 s" >&2; cat "$1" >&2; exit 1; }
    sleep 0.2
  done
}
"$hosts" exec "$prefix" h0 "$root/bin/cadre" server --bind 10.215.0.10 --data-dir "$work/head" \
  >"$work/head.log" 2>&1 &
pids+=($!)
disown
await_line "$work/head.log" "Cadre is up" 60
for h in h1 h2; do
  "$hosts" exec "$prefix" "$h" "$root/bin/cadre" node --config "$work/head/node.json" \
    --state-dir "$work/$h" --heartbeat 500 >"$work/node-$h.log" 2>&1 &
  pids+=($!)
  disown
done
await_line "$work/node-h1.log" joined 60
await_line "$work/node-h2.log" joined 60

url="$(jq -r .httpUrl "$work/head/client.json")"
token="$(jq -r .token "$work/head/client.json")"
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
mpirun_line="mpirun --allow-run-as-root --hostfile \$CADRE_HOSTFILE --mca btl tcp,self --mca btl_tcp_if_include eth0"
mpirun_line+=" --mca oob_tcp_if_include eth0 -np 2"

# One job; prints "ranks_running_s completed_s mpirun_s", all from the scheduler's and the ranks' clocks.
run_job() { # mode n
  local agent=""
  [ "$1" = bare ] && agent="--mca plm_rsh_agent '$hosts rsh $prefix'"
  local script="#!/bin/bash
s=\$(date +%s.%N)
$mpirun_line $agent $work/hello
echo mpirun \$s \$(date +%s.%N)
"
  local body id state="" deadline=$((SECONDS + 60)) job
  body="$(jq -n --arg s "$script" --arg w "$work" --arg id "bench-$1-$2-$$" \
    '{submissionId: $id, spec: {name: "hello", user: "bench", script: $s, workDir: $w, nodes: 2, tasks: 2,
      stdout: "%j.out"}}')"
  id="$(api -X POST -d "$body" "$url/api/jobs" | jq -r .jobId)"
  until [ "$state" = COMPLETED ]; do
    job="$(api "$url/api/jobs/$id")"
    state="$(jq -r .state <<<"$job")"
    case "$state" in FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|DEADLINE) echo "bench: job $id $state" >&2; cat "$work/$id.out" >&2; exit 1 ;; esac
    [ $SECONDS -lt "$deadline" ] || { echo "bench: job $id still $state after 60 s" >&2; exit 1; }
    sleep 0.05
  done
  python3 - "$work/$id.out" "$(jq -r .submitTime <<<"$job")" "$(jq -r .endTime <<<"$job")" <<'PY'
import sys, datetime
out, submitted, ended = sys.argv[1], sys.argv[2], sys.argv[3]
def instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
starts, hosts, mpirun = [], set(), None
for line in open(out):
    w = line.split()
    if w and w[0] == "rank":
        starts.append(float(w[7])); hosts.add(w[5])
    elif w and w[0] == "mpirun":
        mpirun = float(w[2]) - float(w[1])
if len(starts) != 2 or len(hosts) != 2 or mpirun is None:
    sys.exit("bench: unexpected output in " + out + ": " + open(out).read())
print("%.4f %.4f %.4f" % (max(starts) - instant(submitted), instant(ended) - instant(submitted), mpirun))
PY
}

declare -A results
for ((i = 0; i < runs + 2; i++)); do
  for mode in cadre bare; do
    r="$(run_job "$mode" "$i")"
    # The first two rounds warm the JVMs up and are not counted.
    [ "$i" -ge 2 ] && results[$mode]+="$r"$'\n'
    echo "bench: $mode run $i: $r" >&2
  done
done

python3 - "$runs" "${results[cadre]}" "${results[bare]}" <<'PY'
import sys, statistics
runs = int(sys.argv[1])
modes = {"cadre-rsh": sys.argv[2], "bare agent (ip netns exec)": sys.argv[3]}
names = ["submit -> all ranks running", "submit -> COMPLETED", "mpirun wall time"]
table = {m: list(zip(*[map(float, l.split()) for l in t.strip().splitlines()])) for m, t in modes.items()}
print(f"{runs} runs per agent, two hosts, one rank each; milliseconds, p50 (min-max)\n")
print("| measure | " + " | ".join(modes) + " | cadre-rsh - bare (p50) |")
print("|---|" + "---|" * (len(modes) + 1))
for i, name in enumerate(names):
    cells, p50 = [], []
    for m in modes:
        v = [x * 1000 for x in table[m][i]]
        p50.append(statistics.median(v))
        cells.append(f"{p50[-1]:.0f} ({min(v):.0f}-{max(v):.0f})")
    print(f"| {name} | " + " | ".join(cells) + f" | {p50[0] - p50[1]:+.0f} |")
PY
