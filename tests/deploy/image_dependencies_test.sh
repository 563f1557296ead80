#!/usr/bin/env bash
# Keeps the Dockerfile's package lists in step with what kfp-eventd is built from and links:
# - every shared library the binary needs (readelf NEEDED) comes from a package the runtime stage
#   installs (the C and C++ runtimes excepted: every Debian image has them);
# - that library's -dev package, and the package of every third-party header lib/, cli/ and
#   include/ use, is installed by the build stage and by scripts/install-deps.sh;
# - the build stage installs nothing that scripts/install-deps.sh does not.
# Usage: image_dependencies_test.sh KFP_EVENTD_BINARY SOURCE_DIR
set -euo pipefail
binary=$1 source_dir=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The packages of the `apt-get install` in stage $1 (1: build, 2: runtime) of the Dockerfile.
stage_packages() {
  awk -v want="$1" '/^FROM /{stage++} stage==want' "$source_dir/Dockerfile" |
    sed -n '/apt-get install/,/&&/p' | tr ' \\' '\n\n' |
    grep -E '^[a-z0-9][a-z0-9.+-]*$' | grep -vxE 'apt-get|install|rm|update' | sort -u
}
# The packages=( ... ) list of scripts/install-deps.sh, without comments.
install_deps_packages() {
  sed -n '/^packages=(/,/^)/p' "$source_dir/scripts/install-deps.sh" | sed 's/#.*//' |
    tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]*$' | sort -u
}
# The Debian package that owns a file, trying the merged-/usr spellings of its path.
owner() {
  local path
  for path in "$1" "$(realpath -m "$1")" "${1#/usr}" "/usr${1}"; do
    dpkg-query -S "$path" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  return 1
}

build=$(stage_packages 1)
runtime=$(stage_packages 2)
deps=$(install_deps_packages)
[ -n "$build" ] && [ -n "$runtime" ] && [ -n "$deps" ] || { echo "FAIL: no package lists read" >&2; exit 1; }
has() { grep -qx "$2" <<<"$1"; }

triplet=$(gcc -print-multiarch)
for library in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  case "$library" in
    libc.so.*|libm.so.*|ld-linux*|libstdc++.so.*|libgcc_s.so.*) continue ;;
    libasan.so.*|libubsan.so.*|libtsan.so.*|liblsan.so.*) continue ;;  # sanitizer builds
  esac
  path=$(ldd "$binary" | awk -v l="$library" '$1 == l {print $3}')
  package=$(owner "$path") || { fail "no package owns $library ($path)"; continue; }
  has "$runtime" "$package" || fail "the runtime stage lacks $package (for $library)"
  dev=$(owner "/usr/lib/$triplet/${library%%.so*}.so") || { fail "no -dev package for $library"; continue; }
  has "$build" "$dev" || fail "the build stage lacks $dev (for $library)"
  has "$deps" "$dev" || fail "scripts/install-deps.sh lacks $dev (for $library)"
done

# Third-party headers: <dir/...> and <file.h> includes that /usr/include holds.
includes=$(grep -rhoE '#include <[^>]+>' "$source_dir/lib" "$source_dir/cli" "$source_dir/include" |
  sed -E 's/#include <([^>]+)>/\1/' | sed -E 's|^([^/]+)/.*|\1|' | sort -u)
for include in $includes; do
  [ -e "/usr/include/$include" ] || continue
  package=$(owner "/usr/include/$include") || continue
  case "$package" in libc6-dev|linux-libc-dev|libstdc++*) continue ;; esac
  has "$build" "$package" || fail "the build stage lacks $package (for <$include>)"
  has "$deps" "$package" || fail "scripts/install-deps.sh lacks $package (for <$include>)"
done

for package in $build; do
  has "$deps" "$package" || fail "the build stage installs $package, which scripts/install-deps.sh does not"
done

[ "$failures" -eq 0 ] || exit 1
echo "PASS: the Dockerfile installs what kfp-eventd is built from and links"
