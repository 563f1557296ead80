#!/usr/bin/env bash
# The end-to-end benchmark: generated KFP runs replayed through kfp-eventd to nginx on loopback,
# beside the ceilings measured in the same run (wrk POSTing the same body to the same nginx, and
# a minimal libcurl-multi client at the same concurrency). Prints a Markdown table; with
# --record, also writes it into docs/BENCHMARKS.md with the machine it ran on.
#   bench/e2e.sh [--record] [RUNS [NODES [REPEATS]]]   (STANDING=N: Workflows cached, 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
record=false
if [ "${1:-}" = "--record" ]; then record=true; shift; fi
runs=${1:-400}
nodes=${2:-10}
repeats=${3:-3}
concurrency=16
offered=2000  # events/s offered in the latency rows
standing=${STANDING:-10000}  # Workflows listed and cached in the memory row

source bench/lib.sh
EXTRA_PACKAGES="nginx-light wrk libbenchmark-dev time" scripts/install-deps.sh
build_bench kfp-eventd kfp-fake-apiserver kfp-stream-generator curl-multi-ceiling
work=$(mktemp -d)
cleanup() {
  stop_nginx_sink
  rm -rf "$work"
}
trap cleanup EXIT

start_nginx_sink

"$bin/bench/kfp-stream-generator" "$runs" "$nodes" >"$work/runs.jsonl"
"$bin/bench/kfp-stream-generator" "$standing" "$nodes" --workflows-only >"$work/standing.jsonl"
events=$((runs * (2 + 2 * nodes)))
# The body every ceiling sends: the first message kfp-eventd makes of this recording.
head -n 1 "$work/runs.jsonl" >"$work/one.jsonl"
grep -m 1 '"kind":"Workflow"' "$work/runs.jsonl" >>"$work/one.jsonl"
"$bin/cli/kfp-eventd" replay "$work/one.jsonl" --stdout 2>/dev/null | head -n 1 | tr -d '\n' >"$work/body.json"
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/body.json", "rb")
wrk.body = f:read("*a")
f:close()
LUA

subscribers_config() {  # N subscribers to the same nginx, each with the concurrency
  local n=$1
  echo "subscribers:"
  for i in $(seq 1 "$n"); do
    printf '  - name: sink-%s\n    url: %s\n    concurrency: %s\n' "$i" "$url" "$concurrency"
  done
}
subscribers_config 1 >"$work/one-subscriber.yaml"
subscribers_config 10 >"$work/ten-subscribers.yaml"
printf 'subscribers:\n  - name: none\n    url: %s\n    events: [NoSuchReason]\n' "$url" \
  >"$work/intake-only.yaml"


# One replay: "wall_seconds cpu_seconds peak_rss_kb".
replay() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin/cli/kfp-eventd" replay "$work/runs.jsonl" --config "$1" --retries 0 \
    >/dev/null 2>"$work/replay.log" || { cat "$work/replay.log" >&2; exit 1; }
  awk '{print $1, $2 + $3, $4}' "$work/time"
}

# Interpolated quantile (as Prometheus' histogram_quantile) of the first subscriber's delivery
# latency histogram in a /metrics text: "q" of 0.5 or 0.99, printed in milliseconds.
latency_quantile() {
  awk -v q="$1" '/^kfp_eventd_delivery_latency_seconds_bucket\{subscriber="sink-1"/ {
         match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
         n++; bound[n] = (le == "+Inf") ? -1 : le; count[n] = $2 }
       END { rank = q * count[n]; lower = 0; below = 0
             for (i = 1; i <= n; i++) {
               if (count[i] >= rank) {
                 if (bound[i] < 0 || count[i] == below) { printf "%.2f", lower * 1000; exit }
                 printf "%.2f", (lower + (bound[i] - lower) * (rank - below) / (count[i] - below)) * 1000
                 exit }
               lower = bound[i]; below = count[i] } }'
}


# One watch run: the fake API server sends the recording (as fast as it can, or at a fixed rate)
# to `kfp-eventd watch`, which delivers. Prints "wall_seconds p50_ms p99_ms cpu_seconds
# peak_rss_kb": wall from the daemon's start until /metrics counts every delivery; latency from
# each event's arrival to its delivery (the daemon's histogram, interpolated).
watch_run() {
  local config=$1 expected=$2 store=$3
  shift 3
  rm -rf "$work/state" "$work/daemon.err"
  local api
  start_fake_apiserver "$work/runs.jsonl" "$@"
  local state_flags=()
  [ "$store" = on ] && state_flags=(--state-dir "$work/state")
  local begin
  begin=$(date +%s.%N)
  # As deployed: reconciliation on, so the Workflow list and watch keep the resolver's cache warm.
  "$bin/cli/kfp-eventd" watch --kubeconfig "$work/kubeconfig" --config "$config" \
    --retry-schedule none --metrics-address 127.0.0.1:0 "${state_flags[@]}" \
    2>"$work/daemon.err" >/dev/null &
  local daemon=$!
  local port
  port=$(metrics_port)
  local delivered=0 metrics=""
  while [ "$delivered" -lt "$expected" ]; do
    sleep 0.05
    metrics=$(curl -s "http://127.0.0.1:$port/metrics")
    delivered=$(awk '/^kfp_eventd_delivery_attempts_total\{.*outcome="delivered"/ {n += $2} END {print n + 0}' <<<"$metrics")
  done
  local end
  end=$(date +%s.%N)
  local rss cpu
  rss=$(awk '/^VmHWM/ {print $2}' "/proc/$daemon/status")
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$daemon/stat")
  kill -TERM "$daemon" "$api"
  wait "$daemon" "$api" 2>/dev/null || true
  awk -v b="$begin" -v e="$end" 'BEGIN {printf "%.3f ", e - b}'
  echo "$(latency_quantile 0.5 <<<"$metrics") $(latency_quantile 0.99 <<<"$metrics") $cpu $rss"
}

# The daemon with the cluster's standing Workflows: it lists them (pages of 10) and caches each
# summary. Prints "cached_entries peak_rss_kb rss_after_kb" once the list is done.
cache_run() {
  rm -rf "$work/daemon.err"
  local api
  start_fake_apiserver "$work/standing.jsonl"
  "$bin/cli/kfp-eventd" watch --kubeconfig "$work/kubeconfig" --config "$work/one-subscriber.yaml" \
    --metrics-address 127.0.0.1:0 2>"$work/daemon.err" >/dev/null &
  local daemon=$!
  local port
  port=$(metrics_port)
  local lists=0 metrics=""
  while [ "$lists" -lt 1 ]; do
    sleep 0.2
    metrics=$(curl -s "http://127.0.0.1:$port/metrics")
    lists=$(awk '/^kfp_eventd_watch_lists_total\{resource="workflows"\}/ {print $2 + 0}' <<<"$metrics")
    lists=${lists:-0}
  done
  sleep 1  # settled: the watch that follows the list is open
  local entries
  entries=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^kfp_eventd_resolver_cache_entries / {print $2}')
  echo "$entries $(awk '/^VmHWM/ {print $2}' "/proc/$daemon/status") $(awk '/^VmRSS/ {print $2}' "/proc/$daemon/status")"
  kill -TERM "$daemon" "$api"
  wait "$daemon" "$api" 2>/dev/null || true
}

declare -A wrk_rps curl_rps
rows=()
watches=()
caches=()
for i in $(seq 1 "$repeats"); do
  wrk_rps[$i]=$(wrk -t1 -c"$concurrency" -d5s -s "$work/post.lua" "$url" |
    awk '/Requests\/sec/ {print int($2)}')
  curl_rps[$i]=$("$bin/bench/curl-multi-ceiling" "$url" "$work/body.json" 50000 "$concurrency")
  for config in intake-only one-subscriber ten-subscribers; do
    rows+=("$config $(replay "$work/$config.yaml")")
  done
  for store in off on; do
    watches+=("one-$store-max $(watch_run "$work/one-subscriber.yaml" "$events" "$store" --pace-ms 0)")
    watches+=("ten-$store-max $(watch_run "$work/ten-subscribers.yaml" $((events * 10)) "$store" --pace-ms 0)")
    watches+=("one-$store-$offered $(watch_run "$work/one-subscriber.yaml" "$events" "$store" --rate "$offered")")
  done
  caches+=("$(cache_run)")
done

wrk_median=$(printf '%s\n' "${wrk_rps[@]}" | median)
curl_median=$(printf '%s\n' "${curl_rps[@]}" | median)
row_median() {  # config field
  printf '%s\n' "${rows[@]}" | awk -v c="$1" -v f="$2" '$1 == c {print $f}' | median
}
intake=$(row_median intake-only 2)
table="| Run | Deliveries | Wall (median) | Deliveries/s | Beyond intake | vs curl-multi | vs wrk | CPU per event | Peak RSS |
|---|---|---|---|---|---|---|---|---|
| wrk, $concurrency connections, 5 s | | | $wrk_median | | | 1.00 | | |
| libcurl multi, concurrency $concurrency | 50000 | | $curl_median | | 1.00 | $(awk -v a="$curl_median" -v b="$wrk_median" 'BEGIN {printf "%.2f", a / b}') | | |"
for config in intake-only one-subscriber ten-subscribers; do
  case $config in
    intake-only) deliveries=0 ;;
    one-subscriber) deliveries=$events ;;
    ten-subscribers) deliveries=$((events * 10)) ;;
  esac
  wall=$(row_median "$config" 2)
  cpu=$(row_median "$config" 3)
  rss=$(row_median "$config" 4)
  rate=$(awk -v d="$deliveries" -v w="$wall" 'BEGIN {printf "%d", (w > 0) ? d / w : 0}')
  # Deliveries over the time the run took beyond the intake-only run: an estimate of the
  # delivery rate itself, since intake and delivery overlap. Only meaningful when delivering
  # outlasts intake; else the two overlap too much to tell apart and the row says so.
  beyond=$(awk -v d="$deliveries" -v w="$wall" -v i="$intake" 'BEGIN {printf "%d", (w - i > i) ? d / (w - i) : 0}')
  beyond_text=$beyond vs_curl="" vs_wrk=""
  if [ "$beyond" -gt 0 ]; then
    vs_curl=$(awk -v a="$beyond" -v b="$curl_median" 'BEGIN {printf "%.2f", a / b}')
    vs_wrk=$(awk -v a="$beyond" -v b="$wrk_median" 'BEGIN {printf "%.2f", a / b}')
  elif [ "$deliveries" -gt 0 ]; then
    beyond_text="overlaps intake"
  fi
  table+="
| replay, $config (store off) | $deliveries | ${wall} s | $rate | $beyond_text | $vs_curl | $vs_wrk | $(awk -v c="$cpu" -v e="$events" 'BEGIN {printf "%.0f µs", c / e * 1e6}') | $((rss / 1024)) MB |"
done
watch_table="| Run | Offered | Deliveries | Wall (median) | Events/s | Deliveries/s | vs curl-multi | Latency p50 | Latency p99 | CPU per event | Peak RSS |
|---|---|---|---|---|---|---|---|---|---|---|"
for run in one-off-max ten-off-max one-off-$offered one-on-max ten-on-max one-on-$offered; do
  subscribers=1
  [[ $run == ten-* ]] && subscribers=10
  store=$(cut -d- -f2 <<<"$run")
  pace=$(cut -d- -f3 <<<"$run")
  deliveries=$((events * subscribers))
  field() { printf '%s\n' "${watches[@]}" | awk -v c="$run" -v f="$1" '$1 == c {print $f}' | sort -g | median; }
  wall=$(field 2)
  rate_seen=$(awk -v d="$deliveries" -v w="$wall" 'BEGIN {printf "%d", d / w}')
  events_rate=$(awk -v d="$events" -v w="$wall" 'BEGIN {printf "%d", d / w}')
  watch_table+="
| watch, $subscribers subscriber(s), store $store$([ "$store" = on ] && echo ' (FULL)') | $([ "$pace" = max ] && echo 'all at once' || echo "$pace events/s") | $deliveries | ${wall} s | $events_rate | $rate_seen | $(awk -v a="$rate_seen" -v b="$curl_median" 'BEGIN {printf "%.2f", a / b}') | $(field 3) ms | $(field 4) ms | $(awk -v c="$(field 5)" -v e="$events" 'BEGIN {printf "%.0f µs", c / e * 1e6}') | $(($(field 6) / 1024)) MB |"
done
cache_entries=$(printf '%s\n' "${caches[@]}" | awk '{print $1}' | median)
cache_peak=$(printf '%s\n' "${caches[@]}" | awk '{print $2}' | median)
cache_after=$(printf '%s\n' "${caches[@]}" | awk '{print $3}' | median)
cache_line="Standing Workflows: kfp-eventd watch (store off) listed $standing generated Workflows (the same mix of sizes) in pages of 10 and cached $cache_entries summaries; peak RSS $((cache_peak / 1024)) MB, $((cache_after / 1024)) MB once listed (medians of $repeats)."
machine="$(nproc) vCPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), nginx $(nginx -v 2>&1 | cut -d/ -f2), wrk and kfp-eventd on the same cores"
summary="$(date -u +%Y-%m-%d), $machine. $runs runs of $((2 + 2 * nodes)) events ($events events; Workflows of 50 KB, 1 in 20 of 1 MB, 1 in 50 of 2 MB), medians of $repeats. Wall time is the whole replay: reading the file and summarizing its Workflows (the intake-only row: a subscriber whose filter passes nothing) as well as delivering. Beyond intake: deliveries over (wall - intake-only wall), the replay ratios use it; when delivery ends within an intake's time of it, the two overlap too much to separate and the row says so. Watch rows: the fake API server sends the recording's events to \`kfp-eventd watch\` (as deployed: it also lists and watches the Workflows, which keeps its cache warm) all at once or at a fixed rate; wall is from the daemon's start (its Workflow list included) to the last delivery counted on /metrics; latency is from each event's arrival to its delivery (the daemon's histogram, interpolated within its buckets); CPU is the daemon's user and system time."
echo "$summary"
echo
echo "$table"
echo
echo "$watch_table"
echo
echo "$cache_line"
if $record; then
  python3 - "$summary" "$table" "$watch_table" "$cache_line" <<'PY'
import sys, re
summary, table, watch_table, cache_line = sys.argv[1:5]
path = "docs/BENCHMARKS.md"
text = open(path).read()
block = ("<!-- bench-e2e:begin -->\n" + summary + "\n\n" + table + "\n\n" + watch_table +
         "\n\n" + cache_line + "\n<!-- bench-e2e:end -->")
text = re.sub(r"<!-- bench-e2e:begin -->.*<!-- bench-e2e:end -->", lambda m: block, text, flags=re.S)
open(path, "w").write(text)
PY
fi
