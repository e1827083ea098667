import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNAUTHENTICATED_REPORT_NOTE } from '../../shared/domain/audit.ts';
import { exportAudit } from '../../electron/vault/audit/export.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { failedUnlocksPathFor } from '../../electron/vault/store/failed-unlocks.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 13, attack 12: the failed-unlock side file holds no signature (a failed attempt has no
 * key), yet its lines were folded into the signed trail as plain facts. A hand-written line
 * became a signed `session.unlock-failed` entry accusing a named member from a named host. The
 * entry now says, in the trail and in words in every export, that it is an unauthenticated report.
 */
describe('a forged failed-unlock line is recorded as an unauthenticated report (ADR 0009)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('the trail marks it, and the CSV and the PDF say so next to the accusation', async () => {
    const accused = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const dmtId = findMemberByName(accused, 'Dev Dmt').id;
    accused.close();
    appendFileSync(
      failedUnlocksPathFor(path),
      `${JSON.stringify({ at: '2026-11-30T23:59:00.000Z', host: 'WS-FRAMED', pid: 4242, member: dmtId })}\n`,
    );

    const session = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    try {
      const row = session.db
        .prepare("SELECT seq FROM audit_entries WHERE kind = 'session.unlock-failed'")
        .get() as { seq: number } | undefined;
      expect(row).toBeDefined();
      await exportAudit(session, { format: 'jsonl', out: `${dir}/trail.jsonl` });
      await exportAudit(session, { format: 'csv', out: `${dir}/trail.csv` });
      await exportAudit(session, { format: 'pdf', out: `${dir}/trail.pdf` });
    } finally {
      session.close();
    }

    const jsonl = readFileSync(`${dir}/trail.jsonl`, 'utf8')
      .split('\n')
      .filter((line) => line.includes('session.unlock-failed'));
    expect(jsonl).toHaveLength(1);
    expect(jsonl[0]).toContain('"unauthenticated":true');
    expect(jsonl[0]).toContain('WS-FRAMED');

    const csvRow = readFileSync(`${dir}/trail.csv`, 'utf8')
      .split('\r\n')
      .find((line) => line.includes('session.unlock-failed'));
    expect(csvRow).toContain(UNAUTHENTICATED_REPORT_NOTE);
    expect(csvRow).toContain('WS-FRAMED');

    const pdf = execFileSync('pdftotext', [`${dir}/trail.pdf`, '-'])
      .toString()
      .replace(/\s+/g, ' ');
    expect(pdf).toContain('UNAUTHENTICATED REPORT');
  });
});
