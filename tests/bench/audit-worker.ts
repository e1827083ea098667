// Child process for `npm run bench -- audit`: one export or one verify, reporting its own time
// and peak memory (so the figures are not mixed with building the vault).
import { exportAudit } from '../../electron/vault/audit/export.ts';
import { verifyExport } from '../../electron/vault/audit/verify-export.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const [mode, vault, file] = process.argv.slice(2) as [string, string, string];
const start = performance.now();
let detail: unknown;
if (mode === 'export') {
  const session = await unlockVault(vault, {
    memberName: 'Bench Lead',
    passphrase: 'a benchmark passphrase',
  });
  const started = performance.now();
  // Each run exports to the same file: it replaces the last run's (an existing file is refused otherwise).
  detail = await exportAudit(session, { format: 'jsonl', out: file, replace: true });
  detail = { ...(detail as object), exportMs: performance.now() - started };
  session.close();
} else {
  detail = await verifyExport(file);
}
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, detail }));
