import { create } from 'zustand';

/** A secret main placed on the clipboard: what it was and when main will clear it. Never the secret. */
export interface Copied {
  readonly what: string;
  readonly seconds: number;
  readonly clearsAt: number;
}

interface ClipboardState {
  readonly copied: Copied | null;
  readonly copiedNow: (what: string, clearsInSeconds: number) => void;
  readonly forget: () => void;
}

/**
 * The console's note of the last copy, for the countdown to clearing (issue 15). Main holds the
 * clipboard and clears it; this only knows what to say and when to ask how it went.
 */
export const useClipboard = create<ClipboardState>()((set) => ({
  copied: null,
  copiedNow: (what, clearsInSeconds) =>
    set({
      copied: { what, seconds: clearsInSeconds, clearsAt: Date.now() + clearsInSeconds * 1000 },
    }),
  forget: () => set({ copied: null }),
}));
