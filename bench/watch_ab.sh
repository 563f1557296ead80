#!/usr/bin/env bash
# A change measured side by side: `kfp-eventd watch` with one webhook subscriber (store off,
# nginx answering 204), run in turn with a baseline binary and with this build's, over a recording
# long enough that its start and Workflow list do not dominate. Prints each run and the medians
# of CPU per event and of deliveries per second after the first one, and their ratios.
#   bench/watch_ab.sh BASELINE_KFP_EVENTD [RUNS [NODES [PAIRS]]]    (defaults 2000 10 5)
# A baseline is any earlier build, e.g.:
#   git worktree add /tmp/base <commit> && cd /tmp/base && BUILD_DIR=build-bench \
#     BUILD_TYPE=Release BUILD_TARGETS=kfp-eventd scripts/build.sh -DKFPEVENTS_BUILD_CLI=ON
set -euo pipefail
if [ $# -lt 1 ]; then sed -n '2,9p' "$0" >&2; exit 2; fi
baseline=$(realpath "$1")
cd "$(dirname "$0")/.."
runs=${2:-2000}
nodes=${3:-10}
pairs=${4:-5}

source bench/lib.sh
EXTRA_PACKAGES="nginx-light" scripts/install-deps.sh
build_bench kfp-eventd kfp-fake-apiserver kfp-stream-generator
work=$(mktemp -d)
trap 'stop_nginx_sink; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
start_nginx_sink
"$bin/bench/kfp-stream-generator" "$runs" "$nodes" >"$work/runs.jsonl"
events=$((runs * (2 + 2 * nodes)))
printf 'subscribers:\n  - name: sink-1\n    url: %s\n    concurrency: 16\n' "$url" >"$work/config.yaml"

# One run: "cpu_us_per_event deliveries_per_second_after_the_first".
watch_run() {
  local daemon_binary=$1
  start_fake_apiserver "$work/runs.jsonl" --pace-ms 0
  "$daemon_binary" watch --kubeconfig "$work/kubeconfig" --config "$work/config.yaml" \
    --retry-schedule none --metrics-address 127.0.0.1:0 2>"$work/daemon.err" >/dev/null &
  local daemon=$!
  local port
  port=$(metrics_port)
  local delivered=0 first="" first_count=0
  while [ "$delivered" -lt "$events" ]; do
    sleep 0.02
    delivered=$(metric_sum "$port" '^kfp_eventd_delivery_attempts_total\\{.*outcome="delivered"')
    if [ -z "$first" ] && [ "$delivered" -gt 0 ]; then
      first=$(date +%s.%N)
      first_count=$delivered
    fi
  done
  local end
  end=$(date +%s.%N)
  local cpu
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$daemon/stat")
  kill -TERM "$daemon" "$api"
  wait "$daemon" "$api" 2>/dev/null || true
  awk -v c="$cpu" -v e="$events" -v f="$first" -v t="$end" -v n="$first_count" \
    'BEGIN {printf "%.1f %d\n", c / e * 1e6, (e - n) / (t - f)}'
}

echo "$runs runs of $((2 + 2 * nodes)) events ($events deliveries), $pairs pairs, baseline first"
echo
echo "| Pair | Baseline µs/event | This build µs/event | Baseline deliveries/s | This build deliveries/s |"
echo "|---|---|---|---|---|"
base=() this=()
for i in $(seq "$pairs"); do
  base+=("$(watch_run "$baseline")")
  this+=("$(watch_run "$bin/cli/kfp-eventd")")
  echo "| $i | ${base[-1]%% *} | ${this[-1]%% *} | ${base[-1]##* } | ${this[-1]##* } |"
done
column_median() { printf '%s\n' "${@:2}" | awk -v f="$1" '{print $f}' | median; }
base_cpu=$(column_median 1 "${base[@]}") this_cpu=$(column_median 1 "${this[@]}")
base_rate=$(column_median 2 "${base[@]}") this_rate=$(column_median 2 "${this[@]}")
echo "| median | $base_cpu | $this_cpu | $base_rate | $this_rate |"
echo
awk -v a="$this_cpu" -v b="$base_cpu" -v c="$this_rate" -v d="$base_rate" \
  'BEGIN {printf "This build / baseline: CPU per event %.2f, deliveries per second %.2f\n", a / b, c / d}'
