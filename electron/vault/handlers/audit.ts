import { ErrorCode } from '../../../shared/errors.ts';
import { parseCheckpoint } from '../audit/checkpoint.ts';
import { auditDetailsSchema, knownKind } from '../audit/entry.ts';
import { currentCheckpointText } from '../audit/evidence.ts';
import { describeForPeople, exportAudit } from '../audit/export.ts';
import { auditEntryAddress } from '../audit/log.ts';
import { verifyVault } from '../audit/verify.ts';
import { toHex } from '../crypto/hash.ts';
import { VaultError } from '../errors.ts';
import { auditStore } from '../store/audit-store.ts';
import { openRow } from '../store/sealed-row.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** The audit trail for the console: a page at a time, verify, and the checkpoint to keep. */
export function auditHandlers(ctx: HandlerContext): Handlers<'audit'> {
  return {
    'audit.page': (r) => {
      const session = ctx.session();
      const total = auditStore.countEntries(session.db);
      const rows = auditStore.entriesPage(session.db, r.offset, r.limit).map((row) => {
        const kind = knownKind(row.kind);
        if (!kind)
          throw new VaultError(
            ErrorCode.INTEGRITY,
            `Audit entry #${row.seq} has an unknown kind; verify the vault.`,
          );
        const details = openRow(
          session.keys.vault,
          auditEntryAddress(row),
          row.sealed,
          auditDetailsSchema,
        );
        const view = describeForPeople(session, {
          seq: row.seq,
          at: row.at,
          kind,
          actor: row.actor_id,
          account: row.account_id,
          details,
          leaf: row.leaf_hash,
        });
        return {
          seq: view.seq,
          at: view.at,
          event: view.event,
          actor: view.actor,
          account: view.account,
          reason: view.reason,
          details: view.details,
        };
      });
      return { total, rows };
    },
    'audit.export': (r) =>
      exportAudit(ctx.session(), {
        format: r.format,
        out: r.out,
        onProgress: ctx.progress('export'),
        ...(r.filters
          ? { filters: Object.fromEntries(Object.entries(r.filters).filter(([, v]) => v)) }
          : {}),
      }),
    'audit.verify': async () => {
      const report = await verifyVault(ctx.session(), { onProgress: ctx.progress('verify') });
      return report.ok
        ? {
            ok: true,
            entries: report.entries,
            message: `The vault and its audit trail verify: ${report.entries} entries, ${report.checkpoints} signed checkpoints.`,
          }
        : {
            ok: false,
            entries: report.entries,
            message: `Verification failed at ${report.where}: ${report.problem}.`,
          };
    },
    'audit.checkpoint': () => {
      const text = currentCheckpointText(ctx.session());
      const checkpoint = parseCheckpoint(text);
      return { text, size: checkpoint.size, root: toHex(checkpoint.root) };
    },
  };
}
