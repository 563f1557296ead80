#!/usr/bin/env bash
# Installs whatever the build and the tests need that this Debian machine lacks: Debian packages
# (apt-get), then the npm packages the CI integrations are built and tested with (ci/*/package-
# lock.json) and those the message checks use (tests/format). Safe to run again: it only
# installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build ccache pkg-config
  libcurl4-openssl-dev libssl-dev rapidjson-dev libcli11-dev libyaml-cpp-dev libsqlite3-dev
  libsimdjson-dev zlib1g-dev libkainjow-mustache-dev libnats-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev openssl
  prometheus  # promtool: the tests check /metrics with Prometheus' own parser
  unzip       # the tests look inside the packaged Azure DevOps extension
  nats-server # the NATS tests publish to a real JetStream server on loopback
)
# Node.js and npm build and test the Azure DevOps extension (tfx-cli, azure-pipelines-task-lib).
# A Node.js from elsewhere (NodeSource bundles npm) is used as it is.
command -v npm >/dev/null || packages+=(nodejs npm)

# EXTRA_PACKAGES (space-separated) adds what one script needs (scripts/fuzz.sh: clang).
# shellcheck disable=SC2206
packages+=(${EXTRA_PACKAGES:-})

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
install_debian_packages() {
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Install packages without starting their services (the prometheus package would start a
  # server): Debian's policy-rc.d convention, only while we install and only if none exists.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
[ ${#missing[@]} -eq 0 ] || install_debian_packages

# npm packages, exactly as each lockfile pins them; again only when the lockfile is newer than
# what is installed.
for dir in ci/azure-devops ci/azure-devops/task-runtime tests/format; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done
