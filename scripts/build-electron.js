#!/usr/bin/env node
// Bundles Electron's main process (ESM) and preload (CommonJS: a sandboxed preload cannot load
// ES modules) from TypeScript into out/. Dependencies stay in node_modules (native modules, WASM).
import { cpSync, readdirSync } from 'node:fs';
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
// The vault reads its migrations beside the module that runs them (store/migrate.ts): in the bundle,
// that is out/main/migrations.
cpSync('electron/vault/store/migrations', 'out/main/migrations', { recursive: true });
// The audit export's page reader runs as a worker thread from its own file, beside the bundle.
cpSync('electron/vault/store/entry-reader.mjs', 'out/main/entry-reader.mjs');
// So does `audit verify`'s SQLite integrity check of a large trail's file, beside the trail's reading.
cpSync('electron/vault/store/integrity-worker.mjs', 'out/main/integrity-worker.mjs');
// The trail verifiers' signature checks run on worker threads from their own file too.
cpSync('electron/vault/crypto/signature-worker.mjs', 'out/main/signature-worker.mjs');
// The verifiers' line and trail checks too, with the leaf code they share with the bundle.
for (const file of ['leaf-worker.mjs', 'trail-worker.mjs', 'entry-leaf.mjs', 'jcs.mjs']) {
  cpSync(`electron/vault/audit/${file}`, `out/main/${file}`);
}
// A server vault's connection answers from a worker thread of its own file (ADR 0026).
cpSync('electron/vault/store/postgres/pg-worker.mjs', 'out/main/pg-worker.mjs');
// The CSV import's password scorer too, with the zxcvbn set-up it shares with the bundle.
for (const file of ['strength-worker.mjs', 'zxcvbn-estimator.mjs']) {
  cpSync(`electron/vault/domain/${file}`, `out/main/${file}`);
}
const copied = readdirSync('out/main/migrations').filter((name) => name.endsWith('.sql')).length;
console.log(
  `Built out/main/index.js (with ${copied} migrations, the export's page reader, the verifiers' signature worker and the import's scorer) and out/preload/index.cjs.`,
);
