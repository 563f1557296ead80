#!/usr/bin/env bash
# The test suite with the clock a year ahead (Debian's faketime), the proof that no test, fixture
# or recording depends on the calendar date. CLOCK_AHEAD (default +365d) moves it elsewhere.
# Every process the tests start inherits the same offset: kfp-eventd, the fake servers, openssl.
# The monotonic clock stays real, so waits with deadlines mean what they say. The build tools that
# the package test runs keep the real clock too: they compare the time with files' modification
# times, which the kernel writes from the real clock, and would see every new file a year old.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES=faketime scripts/install-deps.sh
scripts/build.sh
cd build
offset="${CLOCK_AHEAD:-+365d}"
echo "test-clock-ahead: the suite on $(FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" date -u)"
FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_SKIP_CMDS=cmake,ninja faketime -f "$offset" \
  ctest --output-on-failure --parallel "$(nproc)" --timeout 300
