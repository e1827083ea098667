// Child process for faults.test.ts: unlock, start a write, and die by SIGKILL half-way through it.
import { accountStore, type AccountRow } from '../../../electron/vault/store/account-store.ts';
import { unlockVault } from '../../../electron/vault/vault.ts';

const path = process.argv[2]!;
const session = await unlockVault(path, {
  memberName: 'Lena Lead',
  passphrase: process.env['CUSTODIAN_PASSPHRASE']!,
});
session.write(({ db, audit }) => {
  accountStore.insert(db, {
    id: 'f'.repeat(32),
    handle_tag: Buffer.alloc(32),
    created_at: 'now',
    created_by: session.member.id,
    version: 1,
    // Bytes that never open: the write is killed before anything reads them.
    sealed: Buffer.alloc(64) as AccountRow['sealed'],
  });
  audit({ kind: 'account.created', account: 'f'.repeat(32), details: {} });
  process.stdout.write('inside the transaction\n');
  process.kill(process.pid, 'SIGKILL');
});
