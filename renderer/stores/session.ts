import { create } from 'zustand';
import type { Role } from '../../shared/domain/roles.ts';
import type { FileChoice } from '../components/FileField.tsx';

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export type View =
  | 'dashboard'
  | 'accounts'
  | 'requests'
  | 'people'
  | 'devices'
  | 'audit'
  | 'members'
  | 'settings'
  | 'generator';

interface SessionState {
  readonly member: Member | null;
  readonly view: View;
  /** Shown on the unlock screen after an automatic lock, so the user knows why. */
  readonly lockedBecause: string | null;
  /** An integrity refusal (the core locked the vault): shown on its own screen until dismissed. */
  readonly refusal: string | null;
  readonly refused: (message: string) => void;
  readonly dismissRefusal: () => void;
  /** The unlock trusted the vault on first use on this workstation (ADR 0024): said once. */
  readonly firstUse: boolean;
  readonly trustedOnFirstUse: (firstUse: boolean) => void;
  readonly selectedAccount: string | null;
  /**
   * A copy asked for by a shortcut, the menu or a double-click (issue 15), for the account shown
   * to pick up and ask the reason for; dropped when another account is chosen.
   */
  readonly copyAsked: CopyField | null;
  /** The vault file and member name last unlocked (not secrets), so unlocking again is quick. */
  /**
   * The vault last unlocked (its name or typed path, and main's handle) and who; for a team
   * server, its URL as it may be shown (never with a password: issue 14).
   */
  readonly lastUnlock: {
    readonly file: FileChoice;
    readonly name: string;
    readonly server?: string;
  } | null;
  readonly remember: (file: FileChoice, name: string, server?: string) => void;
  readonly unlocked: (member: Member) => void;
  readonly locked: (because: string | null) => void;
  readonly show: (view: View) => void;
  readonly select: (account: string | null) => void;
  readonly askCopy: (field: CopyField | null) => void;
}

/** What the console copies: as `credentials.copy` takes it. */
export type CopyField = 'username' | 'password' | 'totp';

/**
 * Who is signed in and which view is open. Never a secret: a revealed password lives only in the
 * component that shows it, for as long as it shows it.
 */
export const useSession = create<SessionState>()((set) => ({
  member: null,
  view: 'dashboard',
  lockedBecause: null,
  refusal: null,
  refused: (message) => set({ member: null, refusal: message, selectedAccount: null }),
  dismissRefusal: () => set({ refusal: null }),
  firstUse: false,
  trustedOnFirstUse: (firstUse) => set({ firstUse }),
  selectedAccount: null,
  copyAsked: null,
  lastUnlock: null,
  remember: (file, name, server) =>
    set({ lastUnlock: server === undefined ? { file, name } : { file, name, server } }),
  unlocked: (member) =>
    set({ member, view: 'dashboard', lockedBecause: null, selectedAccount: null, copyAsked: null }),
  locked: (because) =>
    set({
      member: null,
      lockedBecause: because,
      selectedAccount: null,
      copyAsked: null,
      firstUse: false,
    }),
  show: (view) => set({ view }),
  select: (account) => set({ selectedAccount: account, copyAsked: null }),
  askCopy: (field) => set({ copyAsked: field }),
}));
