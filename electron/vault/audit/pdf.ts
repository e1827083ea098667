import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { HeaderLine } from './bundle.ts';
import type { PeopleRow } from './people-row.ts';
import { auditLabel } from '../../../shared/domain/audit-labels.ts';
import {
  embedCaseFileFonts,
  MISSING_GLYPH_MARKER,
  PrintableText,
  textWidthFor,
  type TextWidth,
} from './pdf-text.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 48 } as const; // A4 portrait

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

function wrap(text: string, widthOf: TextWidth, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (widthOf(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    if (widthOf(word, size) <= width) {
      line = word;
      continue;
    }
    // A word longer than the column (a hash) is cut to fit, between graphemes, so no character
    // (an emoji with its skin tone) is split in two.
    let rest = Array.from(GRAPHEMES.segment(word), (part) => part.segment);
    while (widthOf(rest.join(''), size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && widthOf(rest.slice(0, cut).join(''), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    line = rest.join('');
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
  const { regular, bold, mono } = await embedCaseFileFonts(pdf);
  const regularWidth = textWidthFor('regular');
  const { header } = input;
  // Everything that came from people (names, reasons, details) is made printable first, so the
  // cover can say how much the font could not show before the table is drawn.
  const printable = new PrintableText();
  const rows = input.rows.map((row) => [
    String(row.seq),
    row.at.replace('T', ' ').replace('Z', ''),
    // The label people read, and the kind the JSON Lines and CSV name it by (issue 15).
    printable.of(`${auditLabel(row.event)} (${row.event})`),
    printable.of(row.actor),
    printable.of(
      [row.account, row.reason ? `reason: ${row.reason}` : '', row.details]
        .filter(Boolean)
        .join(' | '),
    ),
  ]);

  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const text = (p: PDFPage, value: string, x: number, size: number, font: PDFFont) =>
    p.drawText(value, { x, y, size, font, color: rgb(0, 0, 0) });

  text(page, 'Custodian audit trail export', PAGE.margin, 20, bold);
  y -= 36;
  const filters =
    Object.entries(header.filters)
      .map(([k, v]) => `${k} = ${v}`)
      .join('; ') || 'none (the whole trail)';
  const cover: [string, string][] = [
    ['Vault', printable.of(header.vault)],
    ['Origin', printable.of(header.origin)],
    ['Exported by', printable.of(`${header.exportedBy.name} (${header.exportedBy.id})`)],
    ['Exported at', header.exportedAt],
    ['Filters', printable.of(filters)],
    ['Entries in this export', String(input.rows.length)],
    ['Checkpoint size', String(header.treeSize)],
    ['Founder fingerprint', input.founderFingerprint],
  ];
  cover.push([
    'Characters replaced',
    printable.replaced === 0
      ? 'none: every character is printed as recorded'
      : `${printable.replaced}: characters the font cannot show (such as emoji) are printed as ${MISSING_GLYPH_MARKER}; the JSON Lines export of the same trail holds the exact text`,
  ]);
  for (const [label, value] of cover) {
    text(page, label, PAGE.margin, 11, bold);
    for (const line of wrap(value, regularWidth, 11, PAGE.width - 2 * PAGE.margin - 150)) {
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
    regularWidth,
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
  for (const cells of rows) {
    const wrapped = cells.map((cell, i) => wrap(cell, regularWidth, size, columns[i]!.width - 6));
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
