#!/usr/bin/env bash
# Installs whatever the build and the tests need that this Debian machine lacks (apt-get).
# Safe to run again: it only installs what is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libcurl4-openssl-dev libssl-dev rapidjson-dev libcli11-dev libyaml-cpp-dev libsqlite3-dev
  libsimdjson-dev zlib1g-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev openssl
  prometheus  # promtool: the tests check /metrics with Prometheus' own parser
)

# EXTRA_PACKAGES (space-separated) adds what one script needs (scripts/fuzz.sh: clang).
# shellcheck disable=SC2206
packages+=(${EXTRA_PACKAGES:-})

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
