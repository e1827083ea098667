#!/usr/bin/env node
// `npm run dist`: the installers (AppImage and deb for Linux, an NSIS installer for Windows) with
// the fuses and ASAR integrity of electron-builder.yml. electron-builder packs the Electron
// runtime into each, so where none can be had this says why, plainly, and exits non-zero; where
// a packaging step fails (a tool or runtime it must fetch, a native module to rebuild), it names
// the step and the first error, and leaves the whole output in a log rather than a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-runtime.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'dist', 'packages');

const binary = electronBinary();
if (!binary) {
  console.error(
    "Custodian's installers cannot be built here: electron-builder packs the Electron runtime into " +
      'each installer, and no Electron runtime is installed, nor could one be downloaded (this ' +
      'machine has no route to its download site). Nothing was built. On a workstation that can ' +
      'reach the Electron download, `npm run dist` fetches the runtime once and writes the AppImage, ' +
      'the deb and the NSIS installer to dist/packages/, with the fuses of electron-builder.yml set ' +
      '(checked by `npx vitest run tests/unit/packaging`). Everything else works without it: the ' +
      'command line (`npx custodian --help`), the console in Chromium (`npm run preview`) and the ' +
      'tests (`npm test`).',
  );
  process.exit(1);
}

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The installed runtime is for this machine's platform; another platform's is fetched by
// electron-builder itself (from its cache where it has been fetched before).
const here = process.platform === 'win32' ? 'win' : 'linux';
const steps = [
  { platform: 'linux', targets: ['AppImage', 'deb'], what: 'the Linux AppImage and deb' },
  { platform: 'win', targets: ['nsis'], what: 'the Windows NSIS installer' },
];
const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
mkdirSync(output, { recursive: true });
const logPath = join(output, 'electron-builder.log');
writeFileSync(logPath, '');

const failed = [];
for (const step of steps) {
  const args = [cli, `--${step.platform}`, ...step.targets, '--publish', 'never'];
  if (step.platform === here) args.push(`-c.electronDist=${dirname(binary)}`);
  console.error(`Building ${step.what}...`);
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const text = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  writeFileSync(logPath, `$ electron-builder ${args.slice(1).join(' ')}\n${text}\n`, { flag: 'a' });
  if (run.status !== 0) failed.push({ ...step, reason: firstError(text) });
}

const built = readdirSync(output).filter((name) => /\.(AppImage|deb|exe)$/.test(name));
if (built.length > 0) console.error(`Built in dist/packages/: ${built.join(', ')}.`);
if (failed.length > 0) {
  console.error(
    failed.map((step) => `Could not build ${step.what}: ${step.reason}`).join('\n') +
      `\nelectron-builder fetches the tools and the other platform's runtime it needs on first use; ` +
      `where this machine cannot reach them, build on one that can. The whole output is in ${logPath}.`,
  );
  process.exit(1);
}

/** electron-builder's own first error line (it marks them with ⨯), without the stack under it. */
function firstError(text) {
  const lines = text.split('\n').map((line) => line.trim());
  const marked = lines.find((line) => line.startsWith('⨯')) ?? lines.find((l) => /error/i.test(l));
  return (marked ?? 'electron-builder failed (no error line was printed)').replace(/^⨯\s*/, '');
}
