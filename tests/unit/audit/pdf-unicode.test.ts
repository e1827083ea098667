import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeaderLine } from '../../../electron/vault/audit/bundle.ts';
import { renderPdf } from '../../../electron/vault/audit/pdf.ts';
import { MISSING_GLYPH_MARKER, PrintableText } from '../../../electron/vault/audit/pdf-text.ts';
import { exportAudit } from '../../../electron/vault/audit/export.ts';
import type { PeopleRow } from '../../../electron/vault/audit/people-row.ts';
import { addDevice, reportLostDevice } from '../../../electron/vault/domain/devices.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

const NAMES = ["Zoë O'Brien", 'Łukasz Wróbel', 'Ŵyn Llŷr', 'Αλέξης', 'Дмитрий', 'Ā ŵ ł'];
// Police car, and a thumbs-up with a skin tone: not in DejaVu Sans. The second is one character.
const POLICE_CAR = '\u{1F693}';
const THUMBS_UP_MEDIUM = '\u{1F44D}\u{1F3FD}';

const header: HeaderLine = {
  type: 'header',
  format: 'custodian-audit-bundle/1',
  vault: 'Norfolk & Suffolk DMT',
  origin: 'custodian/0123456789abcdef',
  exportedAt: '2026-12-01T10:00:00.000Z',
  exportedBy: { id: 'abc123', name: 'Αλέξης Παπαδόπουλος' },
  filters: {},
  filtered: false,
  treeSize: NAMES.length,
  root: 'a'.repeat(64),
};

const rows: PeopleRow[] = NAMES.map((name, i) => ({
  seq: i + 1,
  at: `2026-11-30T09:0${i}:00.000Z`,
  event: 'credential.revealed',
  actor: name,
  account: 'x:NorfolkPolice',
  reason:
    i === 0 ? `witness appeal ${POLICE_CAR} for ${name}` : `asked by ${name} ${THUMBS_UP_MEDIUM}`,
  details: `field: password; person: ${name}`,
  leaf: 'b'.repeat(64),
}));

/** A fingerprint in the form `custodian init` prints (keyFingerprint): its own line on the cover. */
const FOUNDER = '0768 e66c c935 1724 0df8 9142 6280 7659';

describe('the PDF case file prints every name as recorded (issue 16)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('Latin Extended, Greek and Cyrillic names read back exactly with pdftotext; emoji as the marker, counted on the cover', async () => {
    writeFileSync(
      `${dir}/case.pdf`,
      await renderPdf({ header, rows, checkpointRoot: header.root, founderFingerprint: FOUNDER }),
    );
    const read = (layout: string[]) =>
      execFileSync('pdftotext', [...layout, `${dir}/case.pdf`, '-'], { encoding: 'utf8' });
    const text = read([]).replace(/\s+/g, ' ');
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain('Αλέξης Παπαδόπουλος');
    expect(text).not.toContain('??');
    expect(text).not.toContain(POLICE_CAR);
    expect(text).toContain(`witness appeal ${MISSING_GLYPH_MARKER} for`);
    const cover = read(['-layout']).split('\f')[0]!.replace(/\s+/g, ' ');
    // One police car and five skin-toned thumbs, each one character: six replaced.
    expect(cover).toContain(`Characters replaced 6: characters the font cannot show`);
  });

  it('a clean trail says nothing was replaced', async () => {
    const plain = rows.map((row) => ({ ...row, reason: 'scheduled check' }));
    writeFileSync(
      `${dir}/plain.pdf`,
      await renderPdf({
        header,
        rows: plain,
        checkpointRoot: header.root,
        founderFingerprint: FOUNDER,
      }),
    );
    const cover = execFileSync('pdftotext', ['-layout', `${dir}/plain.pdf`, '-'], {
      encoding: 'utf8',
    })
      .split('\f')[0]!
      .replace(/\s+/g, ' ');
    expect(cover).toContain('Characters replaced none: every character is printed as recorded');
  });
});

describe('PrintableText', () => {
  it('replaces one grapheme with one marker, keeps what the font has, and turns control characters into the marker', () => {
    const printable = new PrintableText();
    expect(printable.of(`Zoë ${THUMBS_UP_MEDIUM} O'Brien`)).toBe(
      `Zoë ${MISSING_GLYPH_MARKER} O'Brien`,
    );
    expect(printable.of('bell\u0007 here')).toBe(`bell${MISSING_GLYPH_MARKER} here`);
    expect(printable.of('two\nlines')).toBe('two lines');
    expect(printable.of('Zoe\u0308 (typed with a combining mark)')).toBe(
      'Zoë (typed with a combining mark)',
    );
    expect(printable.replaced).toBe(2);
  });
});

describe('the case file names people, devices and incidents instead of ids (issue 16)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('a lost device and its owner appear by name in the PDF, while the CSV keeps the ids', async () => {
    const path = `${dir}/team.vault`;
    await populatedVault(path);
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    let ids: string[];
    try {
      const person = addPerson(session, { name: 'Łukasz Wróbel' });
      const device = addDevice(session, {
        owner: person.id,
        kind: 'force',
        label: 'Дмитрий work phone',
        accounts: ['x:NorfolkPolice'],
      });
      const incident = reportLostDevice(session, { device: device.id });
      ids = [person.id, device.id, incident.id];
      await exportAudit(session, { format: 'pdf', out: `${dir}/case.pdf` });
      await exportAudit(session, { format: 'csv', out: `${dir}/case.csv` });
    } finally {
      session.close();
    }
    const pdf = execFileSync('pdftotext', [`${dir}/case.pdf`, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    expect(pdf).toContain('person: Łukasz Wróbel');
    expect(pdf).toContain('owner: Łukasz Wróbel');
    expect(pdf).toContain('device: Дмитрий work phone');
    expect(pdf).toContain('incident: loss of Дмитрий work phone on');
    expect(pdf).toContain('exposed: x:NorfolkPolice');
    for (const id of ids) expect(pdf.replace(/ /g, '')).not.toContain(id);
    const csv = readFileSync(`${dir}/case.csv`, 'utf8');
    for (const id of ids) expect(csv).toContain(id);
  });
});
