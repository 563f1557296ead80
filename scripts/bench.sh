#!/usr/bin/env bash
# Builds the micro benchmarks in Release (build-bench/) and runs them; extra arguments go to the
# benchmark binaries (e.g. --benchmark_repetitions=5). Needs Debian's libbenchmark-dev.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
if ! dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed"; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends libbenchmark-dev >/dev/null
fi
BUILD_DIR=build-bench BUILD_TYPE=Release scripts/build.sh -DKFPEVENTS_BUILD_BENCHMARKS=ON \
  -DKFPEVENTS_BUILD_TESTS=OFF -DKFPEVENTS_BUILD_EXAMPLES=OFF -DKFPEVENTS_BUILD_CLI=OFF
for bench in pipeline_parts_bench workflow_summary_bench outbox_bench; do
  build-bench/bench/$bench "$@"
done

# NATS JetStream publishing, against Debian's nats-server on loopback with a throwaway store.
nats_store=$(mktemp -d)
nats-server --jetstream --store_dir "$nats_store" --addr 127.0.0.1 --port 14222 2>/dev/null &
nats_pid=$!
trap 'kill $nats_pid 2>/dev/null; rm -rf "$nats_store"' EXIT
sleep 1
NATS_URL=nats://127.0.0.1:14222 build-bench/bench/nats_publish_bench "$@"
