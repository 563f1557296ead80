#!/usr/bin/env bash
# The quick start: install what is missing, build, then replay the example Kubeflow Pipelines runs
# (examples/events/kfp-runs.jsonl) to stdout and to a local webhook sink, and show what the sink
# received. No cluster needed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

bin=build/cli/kfp-eventd
sink_log=$(mktemp)
build/examples/kfp-webhook-sink 0 >"$sink_log" &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true; rm -f "$sink_log"' EXIT

# The sink prints "listening on PORT" once its socket is ready.
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$sink_log" && break
  sleep 0.05
done
port=$(sed -n 's/^listening on //p' "$sink_log")
[ -n "$port" ] || { echo "quickstart: the webhook sink did not start" >&2; exit 1; }

echo
echo "== kfp-eventd replay examples/events/kfp-runs.jsonl --stdout --subscriber http://127.0.0.1:$port/kfp-events"
status=0
"$bin" replay examples/events/kfp-runs.jsonl --stdout --subscriber "http://127.0.0.1:$port/kfp-events" \
  || status=$?
kill "$sink_pid" 2>/dev/null || true
wait "$sink_pid" 2>/dev/null || true

echo
echo "== what the webhook sink at 127.0.0.1:$port received (path, webhook-id, body):"
grep -v '^listening on ' "$sink_log"
exit $status
