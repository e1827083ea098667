import { appendFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { isServerUrl } from './postgres/server-url.ts';

/**
 * Failed unlocks (DESIGN.md: audited) cannot be written into the vault: the attempt holds no key
 * to seal or sign with, and a wrong passphrase must leave the vault file byte for byte as it was.
 * So they go to a side file beside it, and the next successful unlock folds them into the signed
 * trail and removes the file. The file holds when and where; never what was typed, and from format 8
 * on no member either (a name-bound slot cannot say whose it would have been, ADR 0022; `member`
 * stays for lines written before). Deleting it hides attempts; that gap is written down in ADR 0003.
 */
const attemptSchema = z.object({
  at: z.string(),
  host: z.string(),
  pid: z.number().int(),
  member: z.string().nullable(),
});
export type FailedUnlock = z.infer<typeof attemptSchema>;

/** Beyond this the file is not grown further (a flood of guesses is itself visible by then). */
const MAX_BYTES = 256 * 1024;

export function failedUnlocksPathFor(vaultPath: string): string {
  return `${vaultPath}.failed-unlocks`;
}

/**
 * A server vault has no folder to put the side file in; its failed unlocks are not recorded yet
 * (a gap, written down in ADR 0026: the next step is an unauthenticated table on the server).
 */
const besideAFile = (vaultPath: string) => !isServerUrl(vaultPath);

export function recordFailedUnlock(vaultPath: string, memberId: string | null, at: string): void {
  if (!besideAFile(vaultPath)) return;
  const path = failedUnlocksPathFor(vaultPath);
  try {
    if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) return;
    const attempt: FailedUnlock = { at, host: hostname(), pid: process.pid, member: memberId };
    appendFileSync(path, `${JSON.stringify(attempt)}\n`, { mode: 0o600 });
  } catch {
    // Recording is best effort: a read-only folder must not turn a wrong passphrase into a crash.
  }
}

/** The recorded attempts, oldest first; lines that do not parse are reported as such, not dropped. */
export function readFailedUnlocks(vaultPath: string): (FailedUnlock | 'unreadable')[] {
  if (!besideAFile(vaultPath)) return [];
  let text: string;
  try {
    text = readFileSync(failedUnlocksPathFor(vaultPath), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = attemptSchema.safeParse(JSON.parse(line));
        return parsed.success ? parsed.data : 'unreadable';
      } catch {
        return 'unreadable';
      }
    });
}

export function clearFailedUnlocks(vaultPath: string): void {
  if (!besideAFile(vaultPath)) return;
  rmSync(failedUnlocksPathFor(vaultPath), { force: true });
}
