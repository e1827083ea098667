#!/usr/bin/env node
// `npm start`: build and open the desktop app where an Electron runtime exists; where none does,
// say why and what to use instead, and exit non-zero (scripts/electron-runtime.js finds it).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-runtime.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = electronBinary();

if (!binary) {
  console.error(
    'Custodian cannot open its desktop window here: no Electron runtime is installed, and it could not be ' +
      'downloaded (this machine has no route to its download site). Everything except the window itself ' +
      'works without it: use the command line, `npx custodian --help` (create a vault with ' +
      '`npx custodian init VAULT --as NAME`), see the real console in Chromium with `npm run preview`, and run ' +
      'the tests with `npm test`. On a workstation that can ' +
      'reach the Electron download, `npm start` fetches the runtime once and opens the app.',
  );
  process.exit(1);
}

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const app = spawnSync(binary, ['.'], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 1);
