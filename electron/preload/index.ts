// The preload (sandboxed, context-isolated): exposes exactly one function, `invoke`, and four
// notifications, and nothing of ipcRenderer itself (Electron security checklist: contextBridge).
import { contextBridge, ipcRenderer } from 'electron';
import {
  asTaskProgress,
  CHANGED_EVENT,
  IPC_CHANGED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_MENU_CHANNEL,
  IPC_PROGRESS_CHANNEL,
  LOCKED_EVENT,
  MENU_EVENT,
  PROGRESS_EVENT,
} from '../../shared/ipc/channels.ts';

// The preload runs in the page: its global is the window.
const page = globalThis as unknown as EventTarget;

contextBridge.exposeInMainWorld('custodian', {
  invoke: (channel: unknown, payload: unknown): Promise<unknown> =>
    ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, payload),
});

// Main locked the vault: the renderer hears it as a DOM event and drops every view of the vault.
ipcRenderer.on(IPC_LOCKED_CHANNEL, () => {
  page.dispatchEvent(new Event(LOCKED_EVENT));
});
// Another workstation may have changed the vault: no detail crosses; the window asks the contract.
ipcRenderer.on(IPC_CHANGED_CHANNEL, () => {
  page.dispatchEvent(new Event(CHANGED_EVENT));
});
// A menu command (only its name, one of a fixed set, crosses over).
ipcRenderer.on(IPC_MENU_CHANNEL, (_event, command: unknown) => {
  if (typeof command === 'string')
    page.dispatchEvent(new CustomEvent(MENU_EVENT, { detail: command }));
});
// How far an export or verify has got: three checked numbers and a task name, nothing else.
ipcRenderer.on(IPC_PROGRESS_CHANNEL, (_event, report: unknown) => {
  const progress = asTaskProgress(report);
  if (progress) page.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: progress }));
});
