// A process that rotates one account's password in a loop until it is killed (kill -9), printing
// each rotation's number only after rotatePassword has returned (the transaction is committed).
import { writeSync } from 'node:fs';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const vault = process.env['CRASH_VAULT']!;
const account = process.env['CRASH_ACCOUNT']!;
const run = process.env['CRASH_RUN']!;
let next = 0;
const session = await unlockVault(vault, {
  memberName: process.env['CRASH_MEMBER']!,
  passphrase: process.env['CRASH_PASSPHRASE']!,
  lockWaitMs: 5000,
});
writeSync(1, 'unlocked\n');
for (;;) {
  rotatePassword(session, account, { reason: 'scheduled', password: `crash-${run}-${next}` });
  writeSync(1, `${next}\n`);
  next += 1;
}
