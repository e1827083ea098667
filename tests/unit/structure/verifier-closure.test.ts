import { describe, expect, it } from 'vitest';
import { importClosure } from '../../helpers/import-graph.ts';

// Issue 12 item 3: security staff run the offline verifier on any machine, with no vault. So what
// it loads holds no storage code (no SQLite, no migrations read at import), no domain and no
// session: it checks a bundle with public keys, hashes and the bundle format alone.
const VERIFIER = 'electron/vault/audit/verify-export.ts';

const STORAGE_OR_DOMAIN = [
  /^electron\/vault\/store\//,
  /^electron\/vault\/domain\//,
  /^electron\/vault\/handlers\//,
  /^electron\/vault\/health\//,
  /^electron\/vault\/(vault|session|keyring|router|backup)\.ts$/,
  /^electron\/vault\/audit\/(log|export(-\w+)?|evidence|entry-pages|verify|people-view)\.ts$/,
];

describe('the offline verifier', () => {
  const closure = importClosure(VERIFIER);

  it('loads no storage, domain or session module', () => {
    const forbidden = [...closure.files].filter((f) => STORAGE_OR_DOMAIN.some((p) => p.test(f)));
    expect(forbidden).toEqual([]);
  });

  it('loads no SQLite driver and no password hashing', () => {
    expect([...closure.packages].filter((p) => /better-sqlite3|argon2/.test(p))).toEqual([]);
  });

  it('starts signature workers that load no storage code either (issue 17)', () => {
    // The worker is loaded from its file at run time (new Worker), which no import names.
    const worker = importClosure('electron/vault/crypto/signature-worker.mjs');
    expect([...worker.files].filter((f) => STORAGE_OR_DOMAIN.some((p) => p.test(f)))).toEqual([]);
    expect([...worker.packages].sort()).toEqual(['libsodium-wrappers-sumo', 'node:worker_threads']);
    expect(closure.files).toContain('electron/vault/crypto/signature-checks.ts');
  });

  it('still loads what it checks with: the bundle format, seal, trail hashes and certificates', () => {
    // Guards the test itself: a closure that lost these would pass the checks above vacuously.
    for (const file of [
      'electron/vault/audit/bundle.ts',
      'electron/vault/audit/seal.ts',
      'electron/vault/audit/merkle.ts',
      'electron/vault/audit/checkpoint.ts',
      'electron/vault/member-certificate.ts',
    ]) {
      expect(closure.files).toContain(file);
    }
  });
});
