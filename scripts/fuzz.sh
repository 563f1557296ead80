#!/usr/bin/env bash
# Fuzzes every target for a bounded time: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds build-fuzz/ with clang, libFuzzer, ASan and UBSan. Each target starts from its seed
# corpus (tests/fuzz/corpus/<target>, never modified) in a scratch copy. A crash stops the run
# with the input saved under build-fuzz/crashes/<target>/: reproduce it with
# `build-fuzz/tests/fuzz/fuzz_<target> FILE`, fix it, and add the file to
# tests/fuzz/regressions/<target>/ so the ordinary suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=(watch_stream event workflow config callback retry_after kubeconfig)
[ $# -gt 0 ] && targets=("$@")

EXTRA_PACKAGES="clang libclang-rt-14-dev" scripts/install-deps.sh
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
flags+=" -fsanitize-ignorelist=$PWD/tests/fuzz/ubsan_ignorelist.txt"  # what and why: in the file
BUILD_DIR=build-fuzz BUILD_TYPE=RelWithDebInfo CC=clang CXX=clang++ BUILD_TARGETS="${targets[*]/#/fuzz_}" \
  scripts/build.sh -DKFPEVENTS_BUILD_FUZZERS=ON -DKFPEVENTS_WERROR=OFF -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"

for target in "${targets[@]}"; do
  work="build-fuzz/corpus/$target"
  crashes="build-fuzz/crashes/$target"
  mkdir -p "$work" "$crashes"
  cp -n "tests/fuzz/corpus/$target"/* "$work"/
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$work" >"build-fuzz/fuzz-$target.log" 2>&1; then
    tail -n 40 "build-fuzz/fuzz-$target.log" >&2
    echo "fuzz: $target found a failure; the input is in $crashes/" >&2
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "build-fuzz/fuzz-$target.log" | tail -n 2 >&2 || true
done
echo "fuzz: ${targets[*]}: no failures in ${seconds}s each" >&2
