// Child process for faults.test.ts: unlock, start a write, and die by SIGKILL half-way through it.
import { accountStore } from '../../../electron/vault/store/account-store.ts';
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
    sealed: Buffer.alloc(64),
  });
  audit({ kind: 'account.created', account: 'f'.repeat(32), details: {} });
  process.stdout.write('inside the transaction\n');
  process.kill(process.pid, 'SIGKILL');
});
