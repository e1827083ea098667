import { describe, expect, it, vi } from 'vitest';
import {
  IPC_INVOKE_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_MENU_CHANNEL,
} from '../../../shared/ipc/channels.ts';

const exposed = new Map<string, Record<string, unknown>>();
const listened: string[] = [];
const invoke = vi.fn((...args: unknown[]) => Promise.resolve({ ok: true, value: args.length }));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api),
  },
  ipcRenderer: { invoke, on: (channel: string) => listened.push(channel) },
}));

describe('the preload', () => {
  it('exposes exactly one object with exactly one function, invoke, on one channel', async () => {
    await import('../../../electron/preload/index.ts');
    expect([...exposed.keys()]).toEqual(['custodian']);
    const api = exposed.get('custodian')!;
    expect(Object.keys(api)).toEqual(['invoke']);
    await (api['invoke'] as (c: string, p: unknown) => Promise<unknown>)('accounts.list', {});
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'accounts.list', {});
    expect(listened.sort()).toEqual([IPC_LOCKED_CHANNEL, IPC_MENU_CHANNEL].sort());
  });
});
