// Where the Electron runtime is, for `npm start` and `npm run dist`. Install never downloads it
// (its install script is denied in package.json "allowScripts"), so the download is tried here,
// once, outside CI; where it cannot be had, the caller says why and what to use instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function installedBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function tryDownloadElectron() {
  const installer = require.resolve('electron/install.js');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  console.error('Fetching the Electron runtime (one time)...');
  // Its output is kept back: a refused download is a stack trace, and the caller explains it.
  spawnSync(process.execPath, [installer], { stdio: 'ignore', env, timeout: 120_000 });
}

/** The Electron binary's path, fetched once if it can be; undefined where there is none. */
export function electronBinary() {
  let binary = installedBinary();
  if (!binary && process.env.CI !== 'true') {
    tryDownloadElectron();
    binary = installedBinary();
  }
  return binary;
}
