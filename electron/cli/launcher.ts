import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runBundle } from './code-cache.ts';

/**
 * The entry of the built CLI (out/cli/custodian.mjs, scripts/build-cli.js): it runs the CommonJS
 * bundle beside it with its V8 code cache (code-cache.ts). V8 accepts a cache only under the flags
 * it was made with, and the vault sets --clear-free-memory as soon as it loads (crypto/sodium.ts),
 * before any cache is made; so it is set here first, before the bundle is compiled, or no cache
 * would ever be accepted. Setting it earlier changes nothing else: the vault sets it at once anyway.
 */
setFlagsFromString('--clear-free-memory');
const { saveCache } = runBundle(
  fileURLToPath(new URL('./custodian.cjs', import.meta.url)),
  process.env,
);
// At exit, when the command has compiled what it used: the next run then finds that compiled too.
if (saveCache) process.once('exit', saveCache);
