// Assembles the extension in dist/ (or the folder given as the first argument): the manifest, the three tasks, and beside each agent task its
// runtime (common/kfp-eventd.js and task-runtime's node_modules, installed from its lockfile),
// since the agent downloads each task on its own. `npm run package` then packs dist/ with tfx.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const here = __dirname;
const dist = path.resolve(process.argv[2] || path.join(here, 'dist'));
const runtime = path.join(here, 'task-runtime');

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

// task-runtime/node_modules as its lockfile pins it; installed again when the lockfile changed.
function installRuntime() {
  const lock = path.join(runtime, 'package-lock.json');
  const installed = path.join(runtime, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: runtime, stdio: 'inherit' });
}

function main() {
  installRuntime();
  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(path.join(dist, 'tasks'), { recursive: true });
  copy(path.join(here, 'vss-extension.json'), path.join(dist, 'vss-extension.json'));
  copy(path.join(here, 'overview.md'), path.join(dist, 'overview.md'));
  for (const task of fs.readdirSync(path.join(here, 'tasks'))) {
    const target = path.join(dist, 'tasks', task);
    copy(path.join(here, 'tasks', task), target);
    const manifest = JSON.parse(fs.readFileSync(path.join(target, 'task.json'), 'utf8'));
    if (!manifest.runsOn.includes('Agent')) continue;  // a server task has no handler
    copy(path.join(here, 'common', 'kfp-eventd.js'), path.join(target, 'kfp-eventd.js'));
    copy(path.join(runtime, 'node_modules'), path.join(target, 'node_modules'));
  }
  console.log(`build.js: the extension is in ${dist}`);
}

main();
