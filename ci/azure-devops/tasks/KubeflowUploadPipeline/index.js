// Kubeflow Upload Pipeline: the task's inputs as `kfp-eventd kfp pipeline upload[-version]`.
'use strict';
const tl = require('azure-pipelines-task-lib/task');
const kfpEventd = require('./kfp-eventd');

function main() {
  const file = tl.getPathInput('pipelineFilePath', true, true);
  const args = tl.getInput('kubeflowPipelineTask', true) === 'uploadNewVersion'
    ? ['pipeline', 'upload-version', '--file', file,
       '--pipeline-name', tl.getInput('existingPipelineName', true),
       '--version-name', tl.getInput('versionName', true)]
    : ['pipeline', 'upload', '--file', file, '--name', tl.getInput('newPipelineName', true),
       ...kfpEventd.optional('--description', tl.getInput('pipelineDescription'))];
  kfpEventd.finish(kfpEventd.run(args));
}

kfpEventd.guard(main);
