import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runBundle } from './code-cache.ts';

/**
 * The entry of the built CLI (out/cli/custodian.mjs, scripts/build-cli.js): it runs the CommonJS
 * bundle beside it, and its chunks when a command needs them, each with its V8 code cache (code-cache.ts). V8 accepts a cache only under the flags
 * it was made with, and the vault sets --clear-free-memory as soon as it loads (crypto/sodium.ts),
 * before any cache is made; so it is set here first, before the bundle is compiled, or no cache
 * would ever be accepted. Setting it earlier changes nothing else: the vault sets it at once anyway.
 */
setFlagsFromString('--clear-free-memory');
// The bundle, and each chunk a command requires (the PDF, KeePass libraries), has its cache saved
// at exit, when the command has compiled what it used: the next run then finds that compiled too.
runBundle(fileURLToPath(new URL('./custodian.cjs', import.meta.url)), process.env, (_, run) => {
  if (run.saveCache) process.once('exit', run.saveCache);
});
