// Electron's IPC channel names, apart from the contract so the preload bundles no schema code.

/** The Electron IPC channel the preload's `invoke` travels on (all requests share it; see the router). */
export const IPC_INVOKE_CHANNEL = 'custodian:invoke';
/** Main tells the window it locked (idle, suspend, screen lock) on this channel. */
export const IPC_LOCKED_CHANNEL = 'custodian:locked';
/** Main forwards a menu command (find, new account, copy username or password) on this channel. */
export const IPC_MENU_CHANNEL = 'custodian:menu';
