#!/usr/bin/env bash
# examples/embedded_daemon against the fake API server playing the recorded KFP 1.x runs: the
# daemon the program embeds watches, resolves and delivers, and its own subscriber sees both runs
# end (one succeeded, one failed), then stops it.
# Usage: embedded_daemon_test.sh EMBEDDED_DAEMON FAKE_APISERVER RECORDING
set -euo pipefail
work=$(mktemp -d)
trap 'kill "$api_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$2" "$3" "$work/kubeconfig" --pace-ms 10 >"$work/api.log" &
api_pid=$!
for _ in $(seq 1 200); do
  grep -q '^listening on ' "$work/api.log" && break
  sleep 0.05
done
timeout 60 "$1" "$work/kubeconfig" 2 >"$work/out.log" 2>"$work/err.log" || {
  echo "embedded-daemon failed:"; cat "$work/err.log"; exit 1
}
cat "$work/out.log"
grep -q 'tacos-vs-burritos.*"EventType":"WorkflowSucceeded"' "$work/out.log"
grep -q 'fraud-detector.*"EventType":"WorkflowFailed"' "$work/out.log"
[ "$(grep -c '^run ended: ' "$work/out.log")" -eq 2 ]
