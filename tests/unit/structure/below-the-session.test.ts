import { describe, expect, it } from 'vitest';
import { importClosure } from '../../helpers/import-graph.ts';

// Issue 12 "Done means": nothing below the session imports the domain. The session, and all it
// loads (the trail, the store, the keyring, crypto), stand under the domain services, never on them.
const ABOVE_THE_SESSION = [
  /^electron\/vault\/domain\//,
  /^electron\/vault\/handlers\//,
  /^electron\/vault\/health\//,
  /^electron\/vault\/(vault|router)\.ts$/,
  /^electron\/vault\/audit\/(export(-\w+)?|evidence|verify|people-view)\.ts$/,
];

describe('below the session', () => {
  const closure = importClosure('electron/vault/session.ts');

  it('loads no domain service, handler, health rule, vault.ts or exporter', () => {
    const above = [...closure.files].filter((f) => ABOVE_THE_SESSION.some((p) => p.test(f)));
    expect(above).toEqual([]);
  });

  it('does load the trail and the store it stands on (so the check above is not vacuous)', () => {
    expect(closure.files).toContain('electron/vault/audit/log.ts');
    expect(closure.files).toContain('electron/vault/store/connection.ts');
  });
});
