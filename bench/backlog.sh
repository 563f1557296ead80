#!/usr/bin/env bash
# Memory with a long backlog: generated KFP runs sent by the fake API server to `kfp-eventd watch`
# with a state dir and one subscriber that is down (connection refused, retried in an hour), so
# every message stays queued. Prints the daemon's peak RSS once it has taken in every event, with
# the outbox holding 1,000 messages per subscriber in memory (the default) and holding all of
# them (--outbox-memory-rows 0), side by side.
#   bench/backlog.sh [RUNS [NODES [REPEATS]]]   (defaults: 4546 runs of 10 nodes: 100,012 events)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-4546}
nodes=${2:-10}
repeats=${3:-3}

source bench/lib.sh
build_bench kfp-eventd kfp-fake-apiserver kfp-stream-generator >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/bench/kfp-stream-generator" "$runs" "$nodes" >"$work/runs.jsonl"
events=$((runs * (2 + 2 * nodes)))
printf 'subscribers:\n  - name: down\n    url: http://127.0.0.1:9/hook\n' >"$work/config.yaml"

# Peak RSS in kB once every event is notified and queued. With "restart" first, the daemon
# starts on the state dir the last run left (its backlog) instead of an empty one, and the peak is
# read once it has taken that backlog up.
backlog_run() {
  local restart=false
  if [ "$1" = restart ]; then restart=true; shift; fi
  $restart || rm -rf "$work/state"
  rm -f "$work/daemon.err"
  local api
  start_fake_apiserver "$work/runs.jsonl" --pace-ms 0
  "$bin/cli/kfp-eventd" watch --kubeconfig "$work/kubeconfig" --config "$work/config.yaml" \
    --state-dir "$work/state" --retry-schedule 1h --metrics-address 127.0.0.1:0 "$@" \
    2>"$work/daemon.err" >/dev/null &
  local daemon=$!
  local port
  port=$(metrics_port)
  if $restart; then  # it resumes from its checkpoints: the backlog is all there is
    until grep -q "left in the outbox" "$work/daemon.err"; do sleep 0.2; done
  else
    local notified=0
    while [ "$notified" -lt "$events" ]; do
      sleep 0.2
      notified=$(metric_sum "$port" '^kfp_eventd_notifications_total')
    done
  fi
  sleep 2  # the last commits reach the delivery loop
  awk '/^VmHWM/ {print $2}' "/proc/$daemon/status"
  kill -TERM "$daemon" "$api"
  wait "$daemon" "$api" 2>/dev/null || true
}


echo "$runs runs of $((2 + 2 * nodes)) events ($events messages queued for one subscriber that is down), medians of $repeats"
echo
echo "| Outbox in memory | Peak RSS taking the events in | Peak RSS restarting with the backlog |"
echo "|---|---|---|"
for rows in 1000 0; do
  peaks=$(for _ in $(seq "$repeats"); do
    echo "$(backlog_run --outbox-memory-rows "$rows") $(backlog_run restart --outbox-memory-rows "$rows")"
  done)
  intake=$(awk '{print $1}' <<<"$peaks" | median)
  restart=$(awk '{print $2}' <<<"$peaks" | median)
  label=$([ "$rows" = 0 ] && echo "every message (--outbox-memory-rows 0)" || echo "$rows per subscriber (default)")
  echo "| $label | $((intake / 1024)) MB | $((restart / 1024)) MB |"
done
