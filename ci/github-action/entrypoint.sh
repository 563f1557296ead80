#!/usr/bin/env bash
# The GitHub Action's entrypoint: its inputs (INPUT_* variables, as the runner passes them to a
# container action) become one `kfp-eventd kfp` command whose `-o github` output sets the step's
# outputs in $GITHUB_OUTPUT and annotates a failure. KFP_EVENTD overrides the binary (tests).
set -euo pipefail

kfp_eventd=${KFP_EVENTD:-/usr/local/bin/kfp-eventd}
command=${INPUT_COMMAND:-run}
args=()

fail() {
  echo "::error title=kfp-eventd::$1"
  exit 2
}
# Fails unless each input named (lower case, as action.yml spells them) is set.
need() {
  local input variable
  for input in "$@"; do
    variable="INPUT_${input^^}"
    [ -n "${!variable:-}" ] || fail "the input $input is required for command $command"
  done
}
# Adds "$1 <value>" when the input $2 is set.
optional() {
  local variable="INPUT_${2^^}"
  if [ -n "${!variable:-}" ]; then args+=("$1" "${!variable}"); fi
}
pipeline() {
  [ -n "${INPUT_PIPELINE_ID:-}${INPUT_PIPELINE_NAME:-}" ] ||
    fail "the input pipeline_name or pipeline_id is required for command $command"
  optional --pipeline-id pipeline_id
  optional --pipeline-name pipeline_name
}
wait_flags() {
  args+=(--interval "${INPUT_INTERVAL:-30s}" --timeout "${INPUT_TIMEOUT:-5h30m}")
}

# The connection goes in the environment, so that no token is on a command line.
if [ -n "${INPUT_ENDPOINT:-}" ]; then export KFP_ENDPOINT=$INPUT_ENDPOINT; fi
if [ -n "${INPUT_TOKEN:-}" ]; then
  echo "::add-mask::$INPUT_TOKEN"
  export KFP_TOKEN=$INPUT_TOKEN
fi
if [ -n "${INPUT_NAMESPACE:-}" ]; then export KFP_NAMESPACE=$INPUT_NAMESPACE; fi
# Relative paths are the workspace's, which the runner mounts and makes the working directory.
if [ -n "${GITHUB_WORKSPACE:-}" ] && [ -d "$GITHUB_WORKSPACE" ]; then cd "$GITHUB_WORKSPACE"; fi

case "$command" in
  upload)
    need pipeline_file pipeline_name
    args=(pipeline upload --file "$INPUT_PIPELINE_FILE" --name "$INPUT_PIPELINE_NAME")
    optional --description pipeline_description
    ;;
  upload-version)
    need pipeline_file version_name
    args=(pipeline upload-version --file "$INPUT_PIPELINE_FILE" --version-name "$INPUT_VERSION_NAME")
    pipeline
    ;;
  get)
    args=(pipeline get)
    if [ -z "${INPUT_VERSION_ID:-}" ]; then pipeline; fi
    optional --version-id version_id
    optional --version-name version_name
    ;;
  run)
    need run_name
    args=(run create --name "$INPUT_RUN_NAME")
    if [ -z "${INPUT_VERSION_ID:-}" ]; then pipeline; fi
    optional --version-id version_id
    optional --version-name version_name
    [ -n "${INPUT_EXPERIMENT_ID:-}${INPUT_EXPERIMENT_NAME:-}" ] ||
      fail "the input experiment_name or experiment_id is required for command run"
    optional --experiment-id experiment_id
    optional --experiment-name experiment_name
    optional --params params
    optional --description run_description
    if [ "${INPUT_WAIT:-true}" = "true" ]; then
      args+=(--wait)
      wait_flags
    fi
    ;;
  wait)
    need run_id
    args=(run wait --run-id "$INPUT_RUN_ID")
    wait_flags
    ;;
  *)
    fail "unknown command \"$command\": use run, upload, upload-version, get or wait"
    ;;
esac
exec "$kfp_eventd" kfp "${args[@]}" --api "${INPUT_API:-auto}" -o github
