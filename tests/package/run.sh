#!/usr/bin/env bash
# The installed package, checked as its users meet it: `cmake --install` into a temporary prefix,
# then examples/embedded_subscriber built against it twice (find_package, then pkg-config) and
# run on the example recording, and examples/plugin_subscriber built from the installed plugin
# headers alone and loaded by kfp-eventd. Usage: run.sh BUILD_DIR SOURCE_DIR [CXXFLAGS [LDFLAGS]]
# (the build's own compile and link flags, so that a sanitizer build's library links).
set -euo pipefail
build_dir=$1
source_dir=$2
cxxflags=${3:-}
ldflags=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
example="$source_dir/examples/embedded_subscriber/embedded_subscriber.cpp"
recording="$source_dir/examples/events/kfp-runs.jsonl"

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log"
for wanted in include/kfpevents/kfpevents.hpp include/kfpevents/export.hpp; do
  [ -f "$prefix/$wanted" ] || { echo "package: $wanted was not installed" >&2; exit 1; }
done

expect_pages() {  # the example prints a PAGE line per failure it would page someone for
  local output
  output=$("$@" "$recording")
  grep -q '^PAGE msg_[0-9a-f]* WorkflowFailed kubeflow/fraud-detector-x7k2p run 3f9a8c21' \
    <<<"$output" || {
    echo "package: $1 did not page the failed run; it printed:" >&2
    echo "$output" >&2
    exit 1
  }
}

# 1. CMake: find_package(kfpevents) -> kfpevents::kfpevents
cmake -S "$source_dir/tests/package" -B "$work/cmake-consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DKFPEVENTS_EXAMPLE_SOURCE="$example" \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >"$work/configure.log"
cmake --build "$work/cmake-consumer" >"$work/build.log"
expect_pages "$work/cmake-consumer/embedded-subscriber"

# 2. pkg-config
pc_dir=$(dirname "$(find "$prefix" -name kfpevents.pc | head -n 1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs --static kfpevents)
# shellcheck disable=SC2086  # the flags are words
c++ -std=c++20 $cxxflags "$example" -o "$work/pc-consumer" $flags $ldflags
expect_pages "$work/pc-consumer"
# A subscriber on the public curl path uses libcurl itself: the package's flags bring it.
printf '#include <kfpevents/curl_transfer.hpp>\nint main() { return kfpevents::CurlEasy(curl_easy_init()) ? 0 : 1; }\n' \
  >"$work/curl_consumer.cpp"
# shellcheck disable=SC2046,SC2086  # the flags are words
c++ -std=c++20 $cxxflags "$work/curl_consumer.cpp" -o "$work/curl-consumer" \
  $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs kfpevents) $ldflags
"$work/curl-consumer"

# 3. A Tier 2 plugin from the installed headers only (no link against the library), loaded by the
# installed kfp-eventd (or the build's, when the install has no CLI).
# shellcheck disable=SC2086  # the flags are words
c++ -std=c++20 -shared -fPIC $cxxflags -I"$prefix/include" \
  "$source_dir/examples/plugin_subscriber/file_sink_plugin.cpp" -o "$work/libkfp_file_sink.so" $ldflags
daemon="$prefix/bin/kfp-eventd"
[ -x "$daemon" ] || daemon="$build_dir/cli/kfp-eventd"
printf 'subscribers:\n  - name: archive\n    type: plugin\n    path: %s\n    settings: {path: %s}\n' \
  "$work/libkfp_file_sink.so" "$work/runs.log" >"$work/plugin.yaml"
"$daemon" replay "$recording" --config "$work/plugin.yaml" 2>"$work/replay.log" || {
  echo "package: kfp-eventd could not deliver through the plugin:" >&2
  cat "$work/replay.log" >&2
  exit 1
}
[ "$(wc -l <"$work/runs.log")" -eq 18 ] || {
  echo "package: the plugin wrote $(wc -l <"$work/runs.log") lines, not 18" >&2
  exit 1
}
echo "package: find_package(kfpevents) and pkg-config consumers and the plugin built and ran"
