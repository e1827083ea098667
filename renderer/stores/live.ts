import { create } from 'zustand';

interface LiveState {
  /**
   * Goes up each time another workstation's change has been checked by `vault.refresh` (ADR
   * 0033): the account list, the open account and the dashboard load again when it does. Holds
   * nothing of the vault.
   */
  readonly revision: number;
  /**
   * When this window last took in such a checked change, by its own clock: what the notice says
   * (LiveUpdateNotice). Never anything the server's notification carried (ADR 0033: the window
   * hears no detail of it), only that the verified refresh answered `changed`.
   */
  readonly updatedAt: Date | null;
  readonly changed: () => void;
  /** The person dismissed the notice; the next checked change shows it again. */
  readonly dismissUpdate: () => void;
}

export const useLive = create<LiveState>()((set) => ({
  revision: 0,
  updatedAt: null,
  changed: () => set((s) => ({ revision: s.revision + 1, updatedAt: new Date() })),
  dismissUpdate: () => set({ updatedAt: null }),
}));
