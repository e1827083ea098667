// A workstation with the vault open (issue 14 lock tests): argv is the vault, the member's name and
// passphrase. Unlocks as the console does, which takes the writer lock and keeps its heartbeat,
// prints "held" and stays open until it is killed (kill -9: a workstation that crashed).
import { unlockVault } from '../../electron/vault/vault.ts';

const [vault = '', memberName = '', passphrase = ''] = process.argv.slice(2);
await unlockVault(vault, { memberName, passphrase });
process.stdout.write('held\n');
// The heartbeat's timer does not keep a process alive on its own; an open console does.
setInterval(() => undefined, 60_000);
