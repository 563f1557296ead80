// Runs one built agent task under azure-pipelines-task-lib's TaskMockRunner, as the agent would:
//   node run-task.js DIST/tasks/KubeflowExperimentRun '{"kubeflowEndpoint": "...", ...}'
// The inputs come from the JSON argument; nothing else is mocked (the real task library and the
// real kfp-eventd run), so stdout carries the logging commands the agent would read.
'use strict';
const path = require('path');

const taskDir = path.resolve(process.argv[2]);
const inputs = JSON.parse(process.argv[3] || '{}');
const { TaskMockRunner } = require(
  path.join(taskDir, 'node_modules', 'azure-pipelines-task-lib', 'mock-run'));

const runner = new TaskMockRunner(path.join(taskDir, 'index.js'));
for (const [name, value] of Object.entries(inputs)) runner.setInput(name, value);
runner.run(true);  // true: the real azure-pipelines-task-lib/task, not its mock
