import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  acquireWriterLock,
  HEARTBEAT_MS,
  lockPathFor,
  STALE_AFTER_MS,
} from '../../../electron/vault/store/writer-lock.ts';
import { tempDir } from '../../helpers/vault.ts';

describe('the writer lock', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('lets one holder in and tells the next who holds it', async () => {
    const path = `${dir}/v.vault`;
    const lock = await acquireWriterLock(path);
    await expect(acquireWriterLock(path)).rejects.toMatchObject({
      code: ErrorCode.IN_USE,
      message: expect.stringContaining(`process ${process.pid}`),
    });
    lock.release();
    (await acquireWriterLock(path)).release();
  });

  it('waits for a holder that lets go within the wait', async () => {
    const path = `${dir}/v.vault`;
    const lock = await acquireWriterLock(path);
    setTimeout(() => lock.release(), 100);
    const second = await acquireWriterLock(path, { waitMs: 2000 });
    second.release();
  });

  it('an empty lock (a writer killed mid-create, before this release) is held briefly, then taken over', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(lockPathFor(path), '');
    await expect(acquireWriterLock(path)).rejects.toMatchObject({ code: ErrorCode.IN_USE });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(path), old, old);
    const lock = await acquireWriterLock(path);
    expect(JSON.parse(readFileSync(lockPathFor(path), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    // Nothing is left beside the vault: no lock, no staging file.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock left by a process on this machine that no longer runs', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(
      lockPathFor(path),
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: hostname(),
        since: '2026-01-01T00:00:00Z',
        token: 'dead',
      }),
    );
    (await acquireWriterLock(path)).release();
  });

  it('does not take over a lock held on another machine', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(
      lockPathFor(path),
      JSON.stringify({ pid: 1, host: 'another-host', since: 'x', token: 't' }),
    );
    await expect(acquireWriterLock(path)).rejects.toMatchObject({ code: ErrorCode.IN_USE });
  });

  it('clears the staging file a killed writer left, and only one whose writer is gone', async () => {
    const path = `${dir}/v.vault`;
    const staging = (token: string, pid: number, host = hostname()) =>
      writeFileSync(
        `${lockPathFor(path)}.${token}.tmp`,
        JSON.stringify({ pid, host, since: '2026-01-01T00:00:00Z', token }),
      );
    staging('dead', 2 ** 22 + 12345);
    staging('alive', process.pid);
    staging('elsewhere', 2 ** 22 + 12345, 'another-host');
    writeFileSync(`${dir}/v.vault.lock.notes.txt`, 'not ours');
    const lock = await acquireWriterLock(path);
    lock.release();
    expect(readdirSync(dir).sort()).toEqual([
      'v.vault.lock.alive.tmp',
      'v.vault.lock.elsewhere.tmp',
      'v.vault.lock.notes.txt',
    ]);
  });

  it('keeps a heartbeat in the lock while it is held, and leaves nothing behind at release (issue 14)', async () => {
    const path = `${dir}/v.vault`;
    const lock = await acquireWriterLock(path, { member: 'm1' });
    const read = () =>
      JSON.parse(readFileSync(lockPathFor(path), 'utf8')) as {
        heartbeat: string;
        token: string;
        member: string;
      };
    const first = read();
    expect(first.member).toBe('m1');
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS + 500));
    const later = read();
    expect(later.token).toBe(first.token);
    expect(Date.parse(later.heartbeat)).toBeGreaterThan(Date.parse(first.heartbeat));
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on this machine a live process keeps its lock, however old its heartbeat, even from a lead (the pid decides)', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(
      lockPathFor(path),
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        since: '2026-01-01T00:00:00Z',
        heartbeat: '2026-01-01T00:00:00Z',
        token: 'live',
      }),
    );
    await expect(
      acquireWriterLock(path, { takeOver: { byLead: true }, watchMs: 10 }),
    ).rejects.toMatchObject({ code: ErrorCode.IN_USE });
    expect(readFileSync(lockPathFor(path), 'utf8')).toContain('"token":"live"');
  });

  const foreign = (heartbeat: string) =>
    JSON.stringify({
      pid: 4242,
      host: 'another-host',
      since: '2026-01-01T00:00:00Z',
      heartbeat,
      token: 'theirs',
      member: 'm9',
    });

  it('from another host, a lock silent past the timeout is taken over by a lead only, naming whose it was (issue 14)', async () => {
    const path = `${dir}/v.vault`;
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000).toISOString();
    writeFileSync(lockPathFor(path), foreign(old));
    await expect(
      acquireWriterLock(path, { takeOver: { byLead: false }, watchMs: 10 }),
    ).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(acquireWriterLock(path)).rejects.toMatchObject({
      code: ErrorCode.IN_USE,
      message: expect.stringContaining('no sign of life for 3 minutes'),
    });
    const lock = await acquireWriterLock(path, { takeOver: { byLead: true }, watchMs: 10 });
    expect(lock.tookOverFrom).toMatchObject({ host: 'another-host', member: 'm9', pid: 4242 });
    lock.release();
  });

  it('a heartbeat dated far ahead (one line written into the file) does not keep a dead lock alive for ever', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(lockPathFor(path), foreign(new Date(Date.now() + 3_600_000).toISOString()));
    await expect(acquireWriterLock(path)).rejects.toMatchObject({
      message: expect.stringContaining('no sign of life for an unknown time'),
    });
    const lock = await acquireWriterLock(path, { takeOver: { byLead: true }, watchMs: 10 });
    expect(lock.tookOverFrom?.token).toBe('theirs');
    lock.release();
  });

  it('from another host, a lock whose heartbeat is recent is not taken over, even by a lead', async () => {
    const path = `${dir}/v.vault`;
    writeFileSync(lockPathFor(path), foreign(new Date().toISOString()));
    await expect(
      acquireWriterLock(path, { takeOver: { byLead: true }, watchMs: 10 }),
    ).rejects.toMatchObject({ code: ErrorCode.IN_USE });
    expect(readFileSync(lockPathFor(path), 'utf8')).toContain('"token":"theirs"');
  });
});
