#!/usr/bin/env bash
# Packs the assembled Azure DevOps extension with tfx-cli, as a publisher would, and checks the
# package: tfx validates each task.json and only warns, so a warning fails here; then every task
# must carry what the agent runs (its handler, the shared runner, the task library).
# Usage: azure_devops_package_test.sh SOURCE_DIR DIST_DIR OUTPUT.vsix
set -euo pipefail
source_dir=$1 dist_dir=$2 vsix=$3

tfx="$source_dir/node_modules/tfx-cli/_build/tfx-cli.js"
[ -f "$tfx" ] || { echo "no tfx-cli in $source_dir/node_modules: run scripts/install-deps.sh" >&2; exit 1; }
rm -f "$vsix"
log=$(node "$tfx" extension create --root "$dist_dir" --manifest-globs vss-extension.json \
  --output-path "$vsix" --no-color --no-prompt 2>&1)
echo "$log"
if grep -qi "warning" <<<"$log"; then echo "FAIL: tfx-cli warned" >&2; exit 1; fi
[ -s "$vsix" ] || { echo "FAIL: no $vsix" >&2; exit 1; }

listing=$(unzip -Z1 "$vsix")
expect() {
  grep -qx "$1" <<<"$listing" || { echo "FAIL: $vsix lacks $1" >&2; exit 1; }
}
expect extension.vsixmanifest
for task in KubeflowUploadPipeline KubeflowExperimentRun; do
  for file in task.json index.js kfp-eventd.js node_modules/azure-pipelines-task-lib/task.js \
              node_modules/azure-pipelines-task-lib/package.json; do
    expect "tasks/$task/$file"
  done
done
expect tasks/KubeflowExperimentRunAsync/task.json
# A server task runs nothing on an agent: no handler, no node_modules.
if grep -q "^tasks/KubeflowExperimentRunAsync/node_modules/" <<<"$listing"; then
  echo "FAIL: the agentless task carries node_modules" >&2; exit 1
fi
echo "PASS: $vsix"
