// strength-worker.mjs runs only as a worker thread (strength-scorer.ts); it exports nothing.
export {};
