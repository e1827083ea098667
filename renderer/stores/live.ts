import { create } from 'zustand';

interface LiveState {
  /**
   * Goes up each time another workstation's change has been checked by `vault.refresh` (ADR
   * 0033): the account list, the open account and the dashboard load again when it does. Holds
   * nothing of the vault.
   */
  readonly revision: number;
  readonly changed: () => void;
}

export const useLive = create<LiveState>()((set) => ({
  revision: 0,
  changed: () => set((s) => ({ revision: s.revision + 1 })),
}));
