// What the agent tasks share: run `kfp-eventd kfp ... -o json` with the task's connection inputs,
// publish its kf_* outputs as variables, and end the task with kfp-eventd's verdict. build.js
// copies this file into each agent task, since the agent downloads every task on its own.
'use strict';
const { spawnSync } = require('child_process');
const tl = require('azure-pipelines-task-lib/task');

// [flag, value] when the value is set; [] otherwise.
function optional(flag, value) {
  return value ? [flag, value] : [];
}

// Runs `kfp-eventd kfp <args> -o json`. The endpoint, token and namespace go in the environment
// (KFP_ENDPOINT, KFP_TOKEN, KFP_NAMESPACE), so no secret is on a command line. Progress lines
// on stderr reach the log as they come. Returns {code, outputs, error}.
function run(args) {
  const binary = tl.getInput('kfpEventdPath') || 'kfp-eventd';
  const env = { ...process.env, KFP_ENDPOINT: tl.getInput('kubeflowEndpoint', true) };
  const token = tl.getInput('bearerToken');
  if (token) {
    tl.setSecret(token);
    env.KFP_TOKEN = token;
  }
  const namespace = tl.getInput('namespace');
  if (namespace) env.KFP_NAMESPACE = namespace;
  const argv = ['kfp', ...args, '-o', 'json'];
  console.log(`${binary} ${argv.join(' ')}`);
  const result = spawnSync(binary, argv, {
    env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) {
    return {
      code: -1, outputs: {},
      error: `cannot run ${binary}: ${result.error.message}; install kfp-eventd on the agent ` +
             'or give its path in the kfp-eventd input',
    };
  }
  let outputs;
  try {
    outputs = JSON.parse(result.stdout);
  } catch (e) {
    return { code: result.status, outputs: {}, error: `kfp-eventd printed no JSON: ${result.stdout}` };
  }
  const error = outputs.error;
  delete outputs.error;
  return { code: result.status, outputs, error };
}

// Each kf_* output as a variable of the job ($(kf_run_id)), as the tasks this replaces set them,
// and as an output variable of the step ($(stepName.kf_run_id)) for later jobs and stages.
function publish(outputs) {
  for (const [name, value] of Object.entries(outputs)) {
    tl.setVariable(name, value);
    tl.setVariable(name, value, false, true);
  }
}

// Publishes what kfp-eventd found (a timed-out wait still names its run) and ends the task.
function finish(result) {
  publish(result.outputs);
  if (result.code === 0) {
    tl.setResult(tl.TaskResult.Succeeded, '');
  } else {
    tl.setResult(tl.TaskResult.Failed, result.error || `kfp-eventd exited with ${result.code}`);
  }
}

// Runs the task's main, failing the task (rather than crashing) on a missing input.
function guard(main) {
  try {
    main();
  } catch (e) {
    tl.setResult(tl.TaskResult.Failed, e.message);
  }
}

module.exports = { optional, run, publish, finish, guard };
