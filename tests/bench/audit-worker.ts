// Child process for `npm run bench -- audit`: one export, one verify-export, one vault verify or
// one default-strength key derivation, reporting its own time and peak memory (so the figures are
// not mixed with building the vault). The export also reports its resident memory just after
// the unlock, so the export's own working memory can be told from what was there before it.
import { exportAudit } from '../../electron/vault/audit/export.ts';
import { verifyExport } from '../../electron/vault/audit/verify-export.ts';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { DEFAULT_KDF, deriveKek } from '../../electron/vault/crypto/kdf.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const [mode, vault, file] = process.argv.slice(2) as [string, string, string];
const unlock = () =>
  unlockVault(vault, { memberName: 'Bench Lead', passphrase: 'a benchmark passphrase' });
const mib = (bytes: number) => bytes / 2 ** 20;
const start = performance.now();
let detail: unknown;
if (mode === 'export') {
  const session = await unlock();
  const rssAfterUnlockMiB = mib(process.memoryUsage.rss());
  const peakBeforeMiB = process.resourceUsage().maxRSS / 1024;
  const started = performance.now();
  // Each run exports to the same file: it replaces the last run's (an existing file is refused otherwise).
  detail = await exportAudit(session, { format: 'jsonl', out: file, replace: true });
  detail = {
    ...(detail as object),
    exportMs: performance.now() - started,
    rssAfterUnlockMiB,
    peakBeforeMiB,
  };
  session.close();
} else if (mode === 'verify-vault') {
  // `custodian audit verify`: the whole vault as its lead sees it, the trail first.
  const session = await unlock();
  const started = performance.now();
  const report = await verifyVault(session);
  detail = { ok: report.ok, entries: report.entries, verifyMs: performance.now() - started };
  session.close();
} else if (mode === 'kdf') {
  // The unlock's own peak at the default strength (Argon2id, 256 MiB): what an export after a
  // real unlock has on top of the export's working memory, until the process ends.
  const before = mib(process.memoryUsage.rss());
  (await deriveKek('a benchmark passphrase', new Uint8Array(16), DEFAULT_KDF)).wipe();
  detail = { rssBeforeMiB: before };
} else {
  detail = await verifyExport(file);
}
const ms = performance.now() - start;
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, detail }));
