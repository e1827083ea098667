#!/usr/bin/env node
// `npm run build:cli`: the `custodian` command as it ships, in out/cli/ (issue 17). Two files:
//   custodian.cjs  the whole CLI and its pure-JavaScript dependencies in one CommonJS bundle (the
//                  native modules stay in node_modules), so V8 can keep a code cache of it,
//                  which it cannot do for an ES module on Node 20;
//   custodian.mjs  the entry: runs the bundle with its code cache (electron/cli/code-cache.ts).
// Run it as `node out/cli/custodian.mjs ...`. bin/custodian.js stays the development entry (tsx).
import { cpSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';

// A folder may be named (the tests build their own copy); out/cli otherwise.
const out = process.argv[2] ?? 'out/cli';
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/cli/main.ts'],
  outfile: `${out}/custodian.cjs`,
  format: 'cjs',
  // synckit too: it starts its worker with a preload file it finds beside its own module
  // (../register.cjs), which inside the bundle is a path that does not exist, so every server
  // vault's first statement waited out the 5-minute guard (pg-connection.ts) with no answer.
  external: ['better-sqlite3', '@node-rs/argon2', 'synckit'],
  // The core finds its migrations and workers beside the module that runs (import.meta.url),
  // which CommonJS has not: the bundle's own file stands in for it.
  define: { 'import.meta.url': '__custodianBundleUrl' },
  banner: {
    js: "const __custodianBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});
await build({
  ...common,
  entryPoints: ['electron/cli/launcher.ts'],
  outfile: `${out}/custodian.mjs`,
  format: 'esm',
});
// As build-electron.js does for the app: what the core reads or starts from its own folder.
cpSync('electron/vault/store/migrations', `${out}/migrations`, { recursive: true });
cpSync('electron/vault/store/entry-reader.mjs', `${out}/entry-reader.mjs`);
cpSync('electron/vault/crypto/signature-worker.mjs', `${out}/signature-worker.mjs`);
cpSync('electron/vault/store/postgres/pg-worker.mjs', `${out}/pg-worker.mjs`);
for (const file of ['strength-worker.mjs', 'zxcvbn-estimator.mjs']) {
  cpSync(`electron/vault/domain/${file}`, `${out}/${file}`);
}
const copied = readdirSync(`${out}/migrations`).filter((name) => name.endsWith('.sql')).length;
console.log(`Built ${out}/custodian.mjs and its bundle custodian.cjs (with ${copied} migrations).`);
