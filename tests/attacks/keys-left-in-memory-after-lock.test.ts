import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { newVault, PASSPHRASES, tempDir, vaultLocation } from '../helpers/vault.ts';

/**
 * Issue 13, attack 13: after unlock, reveal and lock, the process's memory still held K_vault (raw
 * and base64), an X25519 secret key, the passphrase and the revealed password: the slot was JSON
 * with base64 strings, libsodium's WASM copies were freed without zeroing, and JS strings stay
 * until their memory is reused. A child process unlocks, reveals and locks, then the test reads
 * every readable region of its memory (/proc/PID/maps and /proc/PID/mem) for each secret.
 */
const CHILD = fileURLToPath(new URL('./memory-after-lock-child.ts', import.meta.url));
const PASSWORD = 'Zq7-memory-canary-password-Wx4';

interface Secrets {
  path: string;
  account: string;
  vaultKey: Buffer;
  boxSecretKey: Buffer;
}

/** Every readable mapping of the process, as [start, end) addresses. */
function readableRegions(pid: number): [bigint, bigint][] {
  return readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split(/\s+/))
    .filter(
      ([, perms, , , , name]) =>
        perms!.startsWith('r') && name !== '[vvar]' && name !== '[vsyscall]',
    )
    .map(([range]) => {
      const [start, end] = range!.split('-');
      return [BigInt(`0x${start}`), BigInt(`0x${end}`)] as [bigint, bigint];
    });
}

/** Which of the needles occur anywhere in the process's readable memory. */
function foundInMemory(pid: number, needles: Record<string, Buffer>): string[] {
  const found = new Set<string>();
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  const overlap = Math.max(...Object.values(needles).map((n) => n.length));
  try {
    for (const [start, end] of readableRegions(pid)) {
      const chunk = Buffer.alloc(8 * 1024 * 1024 + overlap);
      for (let at = start; at < end; at += BigInt(8 * 1024 * 1024)) {
        const want = Number(end - at < BigInt(chunk.length) ? end - at : BigInt(chunk.length));
        let read: number;
        try {
          read = readSync(fd, chunk, 0, want, at);
        } catch {
          break; // a region the kernel will not read (a guard page): nothing of ours is there
        }
        const view = chunk.subarray(0, read);
        for (const [name, needle] of Object.entries(needles)) {
          if (!found.has(name) && view.includes(needle)) found.add(name);
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return [...found].sort();
}

function utf16(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

/** Run the child to the point where it has locked, and read its memory for the needles. */
async function scanChildAfterLock(
  secrets: Secrets,
  needles: Record<string, Buffer>,
): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const ready = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (data: Buffer) => {
        out += data.toString();
        if (out.includes('\n')) resolve(out);
      });
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it locked`)));
    });
    child.stdin.write(
      `${JSON.stringify({ path: secrets.path, member: 'Lena Lead', account: secrets.account })}\n`,
    );
    child.stdin.write(`${PASSPHRASES.lead}\n\n`);
    expect(await ready).toBe(`ready ${PASSWORD.length}\n`);
    const control = Buffer.from(`control-${PASSWORD.length}-${'k'.repeat(24)}`);
    const found = foundInMemory(child.pid!, { ...needles, control });
    // The scan reads the child's memory: it finds what the child keeps on purpose.
    expect(found).toContain('control');
    return found.filter((name) => name !== 'control');
  } finally {
    child.stdin.end();
    child.kill();
  }
}

describe.runIf(process.platform === 'linux')(
  'nothing secret is left in a process after lock (issue 13, attack 13)',
  () => {
    let cleanup: () => void;
    let secrets: Secrets;
    beforeEach(async () => {
      let dir: string;
      ({ dir, cleanup } = tempDir());
      const path = vaultLocation(`${dir}/team.vault`);
      const lead = await newVault(path);
      try {
        const { id } = createAccount(lead, {
          platform: 'x',
          handle: 'NorfolkPolice',
          force: 'norfolk',
          unitType: 'department',
          unitName: 'Corporate Communications',
          username: 'norfolk-comms',
          password: PASSWORD,
        });
        secrets = {
          path,
          account: id,
          vaultKey: Buffer.from(lead.keys.vault.reveal()),
          boxSecretKey: Buffer.from(lead.keys.box.secretKey.reveal()),
        };
      } finally {
        lead.close();
      }
    });
    afterEach(() => cleanup());

    it('K_vault and the member secret key, raw or base64, are nowhere in its memory', async () => {
      const found = await scanChildAfterLock(secrets, {
        'K_vault raw': secrets.vaultKey,
        'K_vault base64': Buffer.from(secrets.vaultKey.toString('base64')),
        'X25519 secret key raw': secrets.boxSecretKey,
        'X25519 secret key base64': Buffer.from(secrets.boxSecretKey.toString('base64')),
      });
      expect(found).toEqual([]);
    }, 60_000);

    it('the passphrase and the revealed password are nowhere in its memory', async () => {
      const found = await scanChildAfterLock(secrets, {
        'passphrase UTF-8': Buffer.from(PASSPHRASES.lead),
        'passphrase UTF-16': utf16(PASSPHRASES.lead),
        'password UTF-8': Buffer.from(PASSWORD),
        'password UTF-16': utf16(PASSWORD),
      });
      expect(found).toEqual([]);
    }, 60_000);
  },
);
