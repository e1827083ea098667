import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { invalidInput } from './errors.ts';
import { isServerUrl, redactServerUrl } from '../../shared/vault-location.ts';

/** What a chosen file is for: a vault to open or create, an export's destination, a file to import. */
export type FilePurpose = 'open-vault' | 'new-vault' | 'export' | 'import-source' | 'backup';

/**
 * Where a window's file paths come from. In Electron it is main's system dialog (`dialog`): the
 * person picks the file and the window never names a path. The preview and the tests have no
 * dialog (`typed`): the window types a path, which goes through the same handles.
 */
export interface FileChooser {
  readonly kind: 'dialog' | 'typed';
  /** The path picked (or typed), or null when the person cancels. */
  choose(purpose: FilePurpose, extension?: string, typedPath?: string): Promise<string | null>;
}

/** The preview's and the tests' chooser: the typed path is the choice. */
export const typedPathChooser: FileChooser = {
  kind: 'typed',
  choose: (_purpose, _extension, typedPath) => Promise.resolve(typedPath ?? null),
};

export interface FileHandle {
  readonly handle: string;
  /** The file's name for the window to show; its folder stays in main. */
  readonly name: string;
}

const HANDLE = /^fh-[0-9a-f]{32}$/;
/** Handles kept at once; an older one must be chosen again. */
const KEPT = 64;

/**
 * Opaque handles for the files a chooser returned. The window gets `fh-` and 128 random bits;
 * the path stays in this map, in the process that owns the router (Electron's main). Only the
 * router's `files.choose`, which calls the host's chooser, adds to it, so a handle the router
 * resolves is one its host issued: a window cannot make one up for a path it picked itself.
 * A handle is good for the purpose it was chosen for only (a file chosen to open is not an
 * export destination).
 */
export class FileHandles {
  readonly #issued = new Map<string, { path: string; purpose: FilePurpose }>();

  issue(path: string, purpose: FilePurpose): FileHandle {
    const handle = `fh-${randomBytes(16).toString('hex')}`;
    this.#issued.set(handle, { path, purpose });
    if (this.#issued.size > KEPT) {
      const oldest = this.#issued.keys().next().value;
      if (oldest !== undefined) this.#issued.delete(oldest);
    }
    // A server vault is shown by its URL, never with a password in it.
    return { handle, name: isServerUrl(path) ? redactServerUrl(path) : basename(path) };
  }

  resolve(handle: string, purpose: FilePurpose): string {
    const issued = HANDLE.test(handle) ? this.#issued.get(handle) : undefined;
    if (!issued || issued.purpose !== purpose) {
      throw invalidInput(
        'That file choice is not known here (or has expired): choose the file again.',
      );
    }
    return issued.path;
  }
}

export const isFileHandle = (text: string): boolean => HANDLE.test(text);
