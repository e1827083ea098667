import { describe, expect, it, vi } from 'vitest';
import {
  CHANGED_EVENT,
  IPC_CHANGED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_MENU_CHANNEL,
  IPC_PROGRESS_CHANNEL,
  PROGRESS_EVENT,
} from '../../../shared/ipc/channels.ts';

const exposed = new Map<string, Record<string, unknown>>();
const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
const invoke = vi.fn((...args: unknown[]) => Promise.resolve({ ok: true, value: args.length }));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api),
  },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      listeners.set(channel, listener),
  },
}));

// The preload dispatches its notifications on the page's global: here, a stand-in EventTarget.
const dispatched: Event[] = [];
Object.assign(globalThis, { dispatchEvent: (event: Event) => dispatched.push(event) });

describe('the preload', () => {
  it('exposes exactly one object with exactly one function, invoke, on one channel', async () => {
    await import('../../../electron/preload/index.ts');
    expect([...exposed.keys()]).toEqual(['custodian']);
    const api = exposed.get('custodian')!;
    expect(Object.keys(api)).toEqual(['invoke']);
    await (api['invoke'] as (c: string, p: unknown) => Promise<unknown>)('accounts.list', {});
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'accounts.list', {});
    expect([...listeners.keys()].sort()).toEqual(
      [IPC_CHANGED_CHANNEL, IPC_LOCKED_CHANNEL, IPC_MENU_CHANNEL, IPC_PROGRESS_CHANNEL].sort(),
    );
  });

  it('passes on a progress report as three checked fields, and drops anything else', async () => {
    await import('../../../electron/preload/index.ts');
    const progress = listeners.get(IPC_PROGRESS_CHANNEL)!;
    dispatched.length = 0;
    progress({}, { task: 'export', done: 2000, total: 5000, extra: 'not passed on' });
    for (const bad of [
      null,
      'export',
      { task: 'delete', done: 1, total: 2 },
      { task: 'verify', done: -1, total: 2 },
      { task: 'verify', done: 3, total: 2 },
      { task: 'verify', done: '1', total: 2 },
      { task: 'verify', done: 0.5, total: 2 },
    ]) {
      progress({}, bad);
    }
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]!.type).toBe(PROGRESS_EVENT);
    expect((dispatched[0] as CustomEvent).detail).toEqual({
      task: 'export',
      done: 2000,
      total: 5000,
    });
  });

  it('passes on a change event with no detail, whatever main (or anything posing as it) sends (ADR 0033)', async () => {
    await import('../../../electron/preload/index.ts');
    const changed = listeners.get(IPC_CHANGED_CHANNEL)!;
    dispatched.length = 0;
    for (const payload of [undefined, { vault: 'v', head: 1 }, 'DROP TABLE', { detail: 'x' }]) {
      changed({}, payload);
    }
    expect(dispatched).toHaveLength(4);
    for (const event of dispatched) {
      expect(event.type).toBe(CHANGED_EVENT);
      // A plain Event: nothing of what came over the channel reaches the page.
      expect(event).not.toBeInstanceOf(CustomEvent);
    }
  });
});
