// One timed step on a long-trail vault, in a process of its own, for comparing two versions of the
// code on the same file (docs/BENCHMARKS.md, "Issue 13 at a million entries"): copy this file into
// a `git archive` of the old commit and run the same command in both trees, in turn.
//   node --import tsx tests/bench/trail-worker.ts unlock VAULT NAME PASSPHRASE   (the first unlock of a
//        format-4 file is its upgrade)
//   node --import tsx tests/bench/trail-worker.ts verify VAULT NAME PASSPHRASE   (`audit verify`)
//   node --import tsx tests/bench/trail-worker.ts remove VAULT NAME PASSPHRASE MEMBER
// Prints one JSON line: the step's own milliseconds, the process's CPU milliseconds (every
// thread) and its peak resident memory.
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { removeMember } from '../../electron/vault/domain/members.ts';
import { unlockVault } from '../../electron/vault/vault.ts';

const [mode, vault, memberName, passphrase, other] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
];
const unlock = () => unlockVault(vault, { memberName, passphrase });
let detail: unknown;
const started = performance.now();
if (mode === 'unlock') {
  (await unlock()).close();
  detail = { stepMs: performance.now() - started };
} else if (mode === 'verify') {
  const session = await unlock();
  const from = performance.now();
  const report = await verifyVault(session);
  detail = { stepMs: performance.now() - from, ok: report.ok };
  session.close();
} else if (mode === 'remove') {
  const session = await unlock();
  const from = performance.now();
  removeMember(session, other!);
  detail = { stepMs: performance.now() - from };
  session.close();
} else {
  throw new Error(`Unknown step "${mode}": unlock, verify or remove.`);
}
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    mode,
    ...(detail as object),
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
