#!/usr/bin/env bash
# The quick start's run, on a built tree: kfp-eventd watches a fake Kubernetes API server that
# plays the recorded runs as a live cluster would, on whatever date it is: two KFP 1.x runs
# (examples/events/kfp-runs.jsonl), then two KFP 2.x runs (kfp-v2-runs.jsonl, whose plumbing is
# not notified). It lists and watches the Events, fetches each Workflow, and delivers every
# notification to stdout and to a local webhook sink. Exits 0 when the sink got every one.
# The suite runs it too (test quickstart.run). Usage: quickstart-run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Each helper prints "listening on ..." once its socket is ready.
wait_listening() {
  for _ in $(seq 1 200); do
    grep -q '^listening on ' "$1" && return 0
    sleep 0.05
  done
  echo "quickstart: $2 did not start" >&2
  exit 1
}

cat examples/events/kfp-runs.jsonl examples/events/kfp-v2-runs.jsonl >"$work/recording.jsonl"
# One notification per KFP 1.x Event, one per KFP 2.x task transition.
expected=$(cat tests/e2e/data/kfp-runs.expected.jsonl tests/e2e/data/kfp-v2-runs.expected.jsonl |
  wc -l)
"$build"/examples/kfp-webhook-sink 0 --max "$expected" >"$work/sink.log" &
sink_pid=$!
pids+=("$sink_pid")
wait_listening "$work/sink.log" "the webhook sink"
port=$(sed -n 's/^listening on //p' "$work/sink.log")

"$build"/tests/kfp-fake-apiserver "$work/recording.jsonl" "$work/kubeconfig" --pace-ms 30 \
  >"$work/api.log" &
pids+=($!)
wait_listening "$work/api.log" "the fake API server"

echo
echo "== kfp-eventd watch --kubeconfig KUBECONFIG --state-dir STATE --stdout --subscriber http://127.0.0.1:$port/kfp-events --metrics-address 127.0.0.1:0"
echo "   (a fake API server at $(sed -n 's/^listening on //p' "$work/api.log") plays the recorded runs)"
# /healthz, /readyz and /metrics on a free loopback port (it is logged), not the default :9090.
"$build"/cli/kfp-eventd watch --kubeconfig "$work/kubeconfig" --state-dir "$work/state" --stdout \
  --subscriber "http://127.0.0.1:$port/kfp-events" --metrics-address 127.0.0.1:0 &
daemon_pid=$!
pids+=("$daemon_pid")

# The sink exits once it has received every notification; then stop the daemon as Kubernetes
# would, with SIGTERM.
status=0
for _ in $(seq 1 600); do
  kill -0 "$sink_pid" 2>/dev/null || break
  sleep 0.05
done
if kill -0 "$sink_pid" 2>/dev/null; then
  echo "quickstart: the sink did not receive all $expected notifications in time" >&2
  status=1
fi
kill -TERM "$daemon_pid"
wait "$daemon_pid" || status=$?

echo
echo "== what the webhook sink at 127.0.0.1:$port received (path, webhook-id, body):"
grep -v '^listening on ' "$work/sink.log"
echo
echo "== kfp-eventd outbox list --state-dir STATE   (what is left to deliver: nothing)"
"$build"/cli/kfp-eventd outbox list --state-dir "$work/state" || status=$?
exit $status
