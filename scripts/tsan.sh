#!/usr/bin/env bash
# The test suite under ThreadSanitizer (build-tsan/). Not part of .ci/run yet (CI time);
# tests/tsan.supp lists what is suppressed and why.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
BUILD_DIR=build-tsan BUILD_TYPE=RelWithDebInfo scripts/build.sh \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"
cd build-tsan
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/../tests/tsan.supp" \
  ctest --output-on-failure --parallel "$(nproc)" --timeout 300
