// Unlock, then import a large CSV in one transaction (argv[2] is the CSV file). Prints one JSON
// line: how many accounts and audit entries the vault held before the import, then how it ended.
import { readFileSync, writeSync } from 'node:fs';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { toErrorInfo } from '../../electron/vault/errors.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const report = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);
const [vault, csvFile] = process.argv.slice(2) as [string, string];
try {
  const session = await unlockVault(vault, {
    memberName: process.env['FULL_MEMBER']!,
    passphrase: process.env['FULL_PASSPHRASE']!,
  });
  const before = {
    accounts: listAccounts(session).length,
    entries: auditStore.countEntries(session.db),
  };
  try {
    await importAccounts(session, readFileSync(csvFile, 'utf8'));
    report({ before, outcome: 'written' });
  } catch (error) {
    report({ before, outcome: 'failed', error: toErrorInfo(error) });
  } finally {
    session.close();
  }
} catch (error) {
  report({ outcome: 'unlock failed', error: toErrorInfo(error) });
}
