#!/usr/bin/env bash
# The quick start: install what is missing, build, then run the kfp-eventd daemon against a fake
# Kubernetes API server that plays two recorded Kubeflow Pipelines runs
# (examples/events/kfp-runs.jsonl) as a live cluster would (scripts/quickstart-run.sh).
# No cluster needed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
exec scripts/quickstart-run.sh build
