import { describe, expect, it } from 'vitest';
import { newSigningKeyPair, sign } from '../../../electron/vault/crypto/keys.ts';
import { SignatureChecks } from '../../../electron/vault/crypto/signature-checks.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';

await readySodium();
const pair = newSigningKeyPair();
const message = (i: number) => new TextEncoder().encode(`custodian.vault/x\n${i}\nroot\n`);
const signed = (i: number) => sign(pair.secretKey, message(i));

/** Add n checks, each reporting its index, with the signatures at `bad` broken. */
function addChecks(checks: SignatureChecks<number>, n: number, bad: readonly number[]): void {
  for (let i = 0; i < n; i++) {
    const signature = signed(i);
    if (bad.includes(i)) signature[i % 64]! ^= 0x01;
    checks.add(pair.publicKey, message(i), signature, i);
  }
}

describe('signature checks on worker threads (issue 17)', () => {
  it('pass when every signature verifies, on workers and inline', async () => {
    for (const inlineUpTo of [0, 1000]) {
      const checks = new SignatureChecks<number>({ inlineUpTo, workers: 2 });
      try {
        addChecks(checks, 300, []);
        expect(await checks.firstFailure()).toBeUndefined();
      } finally {
        await checks.close();
      }
    }
  });

  it('name the first bad signature in the order added, whichever worker answers first', async () => {
    // Batches of 64 go to the two workers in turn: 70 is in the second batch, 200 in the fourth,
    // 10 in the first (inline up to 5, so the first batch starts at 5).
    for (const bad of [[200], [70, 200], [10, 70, 200], [299]]) {
      const checks = new SignatureChecks<number>({ inlineUpTo: 5, workers: 2 });
      try {
        addChecks(checks, 300, bad);
        expect(await checks.firstFailure()).toBe(bad[0]);
      } finally {
        await checks.close();
      }
    }
  });

  it('count an inline failure after a pending batch only once the batch is known good', async () => {
    const checks = new SignatureChecks<number>({ inlineUpTo: 0, workers: 1 });
    try {
      addChecks(checks, 10, [3]);
      // A malformed signature is refused inline, at once; the batch before it still decides.
      checks.add(pair.publicKey, message(10), new Uint8Array(10), 10);
      expect(checks.settledFailure()).toBeUndefined();
      expect(await checks.firstFailure()).toBe(3);
      expect(checks.settledFailure()).toBe(3);
    } finally {
      await checks.close();
    }
  });

  it('refuse a key or signature of the wrong length, as verifySignature does', async () => {
    const checks = new SignatureChecks<string>({ inlineUpTo: 0 });
    try {
      checks.add(pair.publicKey.subarray(0, 31), message(1), signed(1), 'short key');
      expect(await checks.firstFailure()).toBe('short key');
    } finally {
      await checks.close();
    }
  });

  it.each(['exits-on-first-message', 'throws-on-first-message'])(
    'fail with an error, not a pass and not a hang, when a worker %s',
    async (name) => {
      const checks = new SignatureChecks<number>({
        inlineUpTo: 0,
        workers: 1,
        workerFile: new URL(`../../fixtures/workers/${name}.mjs`, import.meta.url),
      });
      try {
        addChecks(checks, 10, []);
        await expect(checks.firstFailure()).rejects.toThrow();
      } finally {
        await checks.close();
      }
    },
  );
});
