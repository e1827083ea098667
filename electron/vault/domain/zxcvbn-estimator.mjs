// The one zxcvbn set-up, shared by strength.ts (in the process) and strength-worker.mjs (the
// import's scorer on a worker thread), so a score is the same wherever it is computed. Plain
// JavaScript, so a worker runs it without a TypeScript loader. createRequire keeps the load
// synchronous: the dictionaries are loaded on first use, not at start (docs/BENCHMARKS.md).
import { createRequire } from 'node:module';

export function buildEstimator() {
  const require = createRequire(import.meta.url);
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core');
  const common = require('@zxcvbn-ts/language-common');
  const english = require('@zxcvbn-ts/language-en');
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    // The default (100) costs ~90 ms for a long random password; 5 still catches the usual
    // "p@55w0rd" substitutions at ~10 ms (tests/unit/domain/strength.test.ts).
    l33tMaxSubstitutions: 5,
    maxLength: 128,
  });
}
