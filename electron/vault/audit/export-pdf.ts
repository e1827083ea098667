import type { AuditEntry } from '../../../shared/domain/audit.ts';
import { toHex } from '../crypto/hash.ts';
import type { VaultSession } from '../session.ts';
import { founderFingerprint } from '../trust/session-trust.ts';
import type { HeaderLine } from './bundle.ts';
import type { OutputFile } from './export-file.ts';
import type { PeopleRow } from './people-row.ts';
import { describeForPeople } from './people-view.ts';

/**
 * The case file (pdf.ts): every entry in words with people, devices and accounts by name, the
 * checkpoint's root and the founder's fingerprint on the cover to check it against.
 */
export async function writePdf(
  session: VaultSession,
  file: OutputFile,
  header: HeaderLine,
  entries: AsyncIterable<AuditEntry & { leaf: Uint8Array }>,
  root: Uint8Array,
): Promise<number> {
  const rows: PeopleRow[] = [];
  for await (const entry of entries) rows.push(describeForPeople(session, entry, { names: true }));
  // pdf-lib and fontkit (fontkit unpacks its Unicode tables when loaded, ~0.1 s) are loaded by
  // the export that writes a PDF, not by every command (issue 17).
  const { renderPdf } = await import('./pdf.ts');
  file.writeBytes(
    await renderPdf({
      header,
      rows,
      checkpointRoot: toHex(root),
      founderFingerprint: founderFingerprint(session),
    }),
  );
  return rows.length;
}
