import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { HeaderLine } from './bundle.ts';
import type { PeopleRow } from './export.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 48 } as const; // A4 portrait

/** The standard PDF fonts speak WinAnsi only: anything else is shown as "?" rather than failing. */
function printable(text: string): string {
  return text.replace(
    /[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g,
    '?',
  );
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A word longer than the column (a hash) is cut to fit.
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/**
 * A case-file PDF: a cover page (vault, filters, who exported and when, entry count, and the
 * checkpoint's size and root to copy by hand), then the entries as a readable table.
 */
export async function renderPdf(input: {
  header: HeaderLine;
  rows: readonly PeopleRow[];
  checkpointRoot: string;
  /** What `custodian init` printed: the reader compares it with the one they kept (issue 13, attack 7). */
  founderFingerprint: string;
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Custodian audit trail export');
  pdf.setCreator('Custodian');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  const { header } = input;

  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const text = (p: PDFPage, value: string, x: number, size: number, font: PDFFont) =>
    p.drawText(printable(value), { x, y, size, font, color: rgb(0, 0, 0) });

  text(page, 'Custodian audit trail export', PAGE.margin, 20, bold);
  y -= 36;
  const filters =
    Object.entries(header.filters)
      .map(([k, v]) => `${k} = ${v}`)
      .join('; ') || 'none (the whole trail)';
  const cover: [string, string][] = [
    ['Vault', header.vault],
    ['Origin', header.origin],
    ['Exported by', `${header.exportedBy.name} (${header.exportedBy.id})`],
    ['Exported at', header.exportedAt],
    ['Filters', filters],
    ['Entries in this export', String(input.rows.length)],
    ['Checkpoint size', String(header.treeSize)],
    ['Founder fingerprint', input.founderFingerprint],
  ];
  for (const [label, value] of cover) {
    text(page, label, PAGE.margin, 11, bold);
    for (const line of wrap(value, regular, 11, PAGE.width - 2 * PAGE.margin - 150)) {
      text(page, line, PAGE.margin + 150, 11, regular);
      y -= 16;
    }
  }
  y -= 8;
  text(page, 'Checkpoint root (SHA-256), to copy by hand:', PAGE.margin, 11, bold);
  y -= 18;
  for (let i = 0; i < input.checkpointRoot.length; i += 32) {
    text(
      page,
      input.checkpointRoot
        .slice(i, i + 32)
        .replace(/(.{8})/g, '$1 ')
        .trim(),
      PAGE.margin,
      13,
      mono,
    );
    y -= 18;
  }
  y -= 12;
  for (const line of wrap(
    'Check this export without the vault: custodian audit verify-export on the JSON Lines bundle of the same trail, with the checkpoint you kept last time (--since) or the founder fingerprint printed when the vault was made (--founder). No password or other secret appears in any export.',
    regular,
    10,
    PAGE.width - 2 * PAGE.margin,
  )) {
    text(page, line, PAGE.margin, 10, regular);
    y -= 14;
  }

  const columns = [
    { title: '#', width: 38 },
    { title: 'Time (UTC)', width: 108 },
    { title: 'Event', width: 100 },
    { title: 'Who', width: 80 },
    { title: 'Account / reason / details', width: PAGE.width - 2 * PAGE.margin - 326 },
  ];
  const size = 8;
  const newPage = () => {
    page = pdf.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
    let x = PAGE.margin;
    for (const column of columns) {
      text(page, column.title, x, 9, bold);
      x += column.width;
    }
    y -= 14;
  };
  newPage();
  for (const row of input.rows) {
    const last = [row.account, row.reason ? `reason: ${row.reason}` : '', row.details]
      .filter(Boolean)
      .join(' | ');
    const cells = [
      String(row.seq),
      row.at.replace('T', ' ').replace('Z', ''),
      row.event,
      row.actor,
      last,
    ];
    const wrapped = cells.map((cell, i) => wrap(cell, regular, size, columns[i]!.width - 6));
    const height = Math.max(...wrapped.map((lines) => lines.length)) * 10 + 4;
    if (y - height < PAGE.margin) newPage();
    let x = PAGE.margin;
    const top = y;
    wrapped.forEach((lines, i) => {
      y = top;
      for (const line of lines) {
        text(page, line, x, size, regular);
        y -= 10;
      }
      x += columns[i]!.width;
    });
    y = top - height;
  }
  return pdf.save();
}
