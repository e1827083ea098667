import { parseCheckpoint } from '../audit/checkpoint.ts';
import { currentCheckpointText, singleEventEvidence } from '../audit/evidence.ts';
import { exportAudit, openEntryRow, resolveFilters } from '../audit/export.ts';
import { describeForPeople, detailFields } from '../audit/people-view.ts';
import { auditLabel } from '../../../shared/domain/audit-labels.ts';
import type { ExportFilters } from '../audit/bundle.ts';
import type { VaultSession } from '../session.ts';
import { verifyVault } from '../audit/verify.ts';
import { toHex } from '../crypto/hash.ts';
import { checkDestination, writeOutputFile } from '../output-file.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { founderFingerprint } from '../trust/session-trust.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** The audit trail for the console: a page at a time, verify, and the checkpoint to keep. */
export function auditHandlers(ctx: HandlerContext): Handlers<'audit'> {
  return {
    'audit.page': (r) => {
      const session = ctx.session();
      const filters = presentOnly(r.filters);
      const { total, rows } =
        Object.keys(filters).length === 0
          ? {
              total: auditStore.countEntries(session.db),
              rows: auditStore.entriesPage(session.db, r.offset, r.limit),
            }
          : auditStore.filteredPage(
              session.db,
              resolveFilters(session, filters),
              r.offset,
              r.limit,
            );
      return { total, rows: rows.map((row) => logRow(session, row)) };
    },
    'audit.export': (r) =>
      exportAudit(ctx.session(), {
        format: r.format,
        out: ctx.file(r.file, 'export'),
        replace: r.replace ?? false,
        onProgress: ctx.progress('export'),
        filters: presentOnly(r.filters),
        ...(r.since === undefined ? {} : { since: r.since }),
      }),
    'audit.evidence': (r) => {
      const session = ctx.session();
      const out = ctx.file(r.file, 'export');
      const output = { vaultPath: session.path, replace: r.replace ?? false };
      // Refused before anything is recorded: an existing file unasked, the vault or its files.
      checkDestination(out, output);
      const evidence = singleEventEvidence(session, r.seq);
      writeOutputFile(out, `${JSON.stringify(evidence, null, 2)}\n`, output);
      return { seq: r.seq, treeSize: evidence.checkpoint.size, root: evidence.checkpoint.root };
    },
    'audit.verify': async () => {
      const report = await verifyVault(ctx.session(), { onProgress: ctx.progress('verify') });
      return report.ok
        ? {
            ok: true,
            entries: report.entries,
            message: `The vault and its audit trail verify: ${report.entries} entries, ${report.checkpoints} signed checkpoints.`,
            report,
          }
        : {
            ok: false,
            entries: report.entries,
            message: `Verification failed at ${report.where}: ${report.problem}.`,
            report,
          };
    },
    'audit.checkpoint': () => {
      const session = ctx.session();
      const text = currentCheckpointText(session);
      const checkpoint = parseCheckpoint(text);
      return {
        text,
        size: checkpoint.size,
        root: toHex(checkpoint.root),
        // The chain's own founder (as on the PDF cover), not a key any members row claims.
        founderFingerprint: founderFingerprint(session),
      };
    },
  };
}

/** The filters a form filled in: an empty field is no filter. */
function presentOnly(filters: Record<string, string | undefined> | undefined): ExportFilters {
  return Object.fromEntries(Object.entries(filters ?? {}).filter(([, v]) => v));
}

/** One entry as the log shows it: names, not ids, and the reason apart from the other details. */
function logRow(session: VaultSession, row: AuditEntryRow) {
  const entry = openEntryRow(session, row);
  const view = describeForPeople(session, entry, { names: true });
  return {
    seq: view.seq,
    at: view.at,
    event: view.event,
    label: auditLabel(view.event),
    actor: view.actor,
    account: view.account,
    reason: view.reason,
    details: view.details,
    fields: detailFields(session, entry.details, { names: true }),
  };
}
