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
