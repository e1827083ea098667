import type { MenuItemConstructorOptions } from 'electron';
import type { LockReason } from '../vault/router.ts';

/** Menu commands the window acts on (shortcuts as a password manager's users expect). */
export type MenuCommand = 'find' | 'new-account' | 'copy-username' | 'copy-password' | 'copy-totp';

export function menuTemplate(
  send: (command: MenuCommand) => void,
  lock: (why: LockReason) => void,
): MenuItemConstructorOptions[] {
  return [
    {
      label: 'Vault',
      submenu: [
        { label: 'Lock', accelerator: 'CmdOrCtrl+L', click: () => lock('asked') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find account', accelerator: 'CmdOrCtrl+F', click: () => send('find') },
      ],
    },
    {
      label: 'Account',
      submenu: [
        { label: 'New account', accelerator: 'CmdOrCtrl+N', click: () => send('new-account') },
        { label: 'Copy username', accelerator: 'CmdOrCtrl+B', click: () => send('copy-username') },
        {
          label: 'Copy password',
          accelerator: 'CmdOrCtrl+Shift+C',
          click: () => send('copy-password'),
        },
        // KeePassXC's keys: Ctrl+B username, Ctrl+T TOTP; Ctrl+C for the password is the
        // window's own (it is Copy when text is selected), Ctrl+Shift+C here.
        { label: 'Copy TOTP code', accelerator: 'CmdOrCtrl+T', click: () => send('copy-totp') },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
}
