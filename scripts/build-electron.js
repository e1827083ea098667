#!/usr/bin/env node
// Bundles Electron's main process (ESM) and preload (CommonJS: a sandboxed preload cannot load
// ES modules) from TypeScript into out/. Dependencies stay in node_modules (native modules, WASM).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['electron/main/index.ts'],
  outfile: 'out/main/index.js',
  format: 'esm',
  external: ['electron'],
});
await build({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'out/preload/index.cjs',
  format: 'cjs',
  // The sandboxed preload may require only 'electron': everything else is bundled in.
  packages: undefined,
  external: ['electron'],
});
console.log('Built out/main/index.js and out/preload/index.cjs.');
