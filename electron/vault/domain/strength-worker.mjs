// The CSV import's password scorer (issue 11): zxcvbn on a worker thread, so the score, about
// four fifths of an imported row's time, is computed outside the write transaction and beside
// it, and so zxcvbn's garbage (it grew the importing process's heap by 130 MiB) stays in this
// thread's bounded heap. It is handed passwords and answers with their 0-4 scores, nothing
// else: it keeps nothing, logs nothing and writes nothing.
import { parentPort } from 'node:worker_threads';
import { buildEstimator } from './zxcvbn-estimator.mjs';

const estimator = buildEstimator();

parentPort.on('message', ({ id, items }) => {
  try {
    const scores = items.map((item) => estimator.check(item.password, item.context).score);
    parentPort.postMessage({ id, scores });
  } catch {
    parentPort.postMessage({ id, failed: true });
  }
});
