// Kubeflow Experiment and Run: `kfp-eventd kfp experiment create`, then `run create` (or
// `pipeline get` when no run is wanted), publishing every kf_* output of both.
'use strict';
const tl = require('azure-pipelines-task-lib/task');
const kfpEventd = require('./kfp-eventd');

function main() {
  const experiment = kfpEventd.run([
    'experiment', 'create', '--name', tl.getInput('experimentName', true),
    ...kfpEventd.optional('--description', tl.getInput('experimentDescription')),
  ]);
  if (experiment.code !== 0) return kfpEventd.finish(experiment);
  kfpEventd.publish(experiment.outputs);

  const pipeline = ['--pipeline-name', tl.getInput('pipeline', true)];
  if (!tl.getBoolInput('useDefaultVersion')) {
    pipeline.push('--version-name', tl.getInput('pipelineVersion', true));
  }
  if (!tl.getBoolInput('createNewRun')) {
    return kfpEventd.finish(kfpEventd.run(['pipeline', 'get', ...pipeline]));
  }
  const args = [
    'run', 'create', '--name', tl.getInput('runName', true), ...pipeline,
    '--experiment-id', experiment.outputs.kf_experiment_id,
    ...kfpEventd.optional('--params', (tl.getInput('pipelineParams') || '').trim()),
    ...kfpEventd.optional('--description', tl.getInput('runDescription')),
  ];
  if (tl.getBoolInput('waitForRunComplete')) {
    args.push('--wait', '--interval', tl.getInput('pollInterval') || '15s',
              '--timeout', tl.getInput('timeout') || '6h');
  }
  return kfpEventd.finish(kfpEventd.run(args));
}

kfpEventd.guard(main);
