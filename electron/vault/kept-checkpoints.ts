import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode } from '../../shared/errors.ts';
import { keyNameOf, originOf, parseCheckpoint } from './audit/checkpoint.ts';
import { frontierGives, type KeptCheckpoint } from './audit/kept-checkpoint.ts';
import { bytesEqual, toBase64 } from './crypto/hash.ts';
import { VaultError } from './errors.ts';

/** The environment variable that names the folder instead (tests, and a force's managed profiles). */
export const KEPT_CHECKPOINT_DIR_VARIABLE = 'CUSTODIAN_CHECKPOINT_DIR';

/**
 * The per-user folder where this workstation keeps its last verified checkpoint of each vault
 * (ADR 0024). One function for the CLI, the console and the preview, so all three agree: not
 * Electron's userData, which the CLI cannot ask for. The OS user's own state folder, outside any
 * vault folder, so that whoever can write a vault cannot reach it by the same permission.
 */
export function keptCheckpointDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): string {
  const chosen = env[KEPT_CHECKPOINT_DIR_VARIABLE];
  if (chosen) return chosen;
  const home = env['HOME'] ?? env['USERPROFILE'] ?? homedir();
  if (platform === 'win32') {
    return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'Custodian', 'checkpoints');
  }
  if (platform === 'darwin') {
    return join(home, 'Library', 'Application Support', 'Custodian', 'checkpoints');
  }
  return join(env['XDG_STATE_HOME'] ?? join(home, '.local', 'state'), 'custodian', 'checkpoints');
}

const FORMAT = 'custodian-kept-checkpoint/1';

const fileSchema = z
  .object({
    format: z.literal(FORMAT),
    vault: z.string().regex(/^[0-9a-f]{32}$/),
    size: z.number().int().min(1),
    root: z.string(),
    signer: z.string().min(1),
    keptAt: z.string().min(1),
    note: z.string().min(1),
    frontier: z
      .array(z.object({ level: z.number().int().min(0).max(62), hash: z.string() }).strict())
      .max(63)
      .optional(),
  })
  .strict();

/**
 * The kept checkpoints of one OS user, a file per vault id. Public data only (size, root, signer,
 * the signed note); what matters is that nobody else writes it, so the folder is the user's alone.
 */
export class KeptCheckpointFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  fileOf(vaultId: string): string {
    if (!/^[0-9a-f]{32}$/.test(vaultId)) throw new Error('A vault id is 32 hex digits.');
    return join(this.dir, `${vaultId}.checkpoint.json`);
  }

  /**
   * The checkpoint kept for this vault, or undefined if none was (first use). A file that cannot
   * be read as one is an integrity error: never taken as "nothing kept", which would trust the
   * vault as it is, and never a crash.
   */
  read(vaultId: string): KeptCheckpoint | undefined {
    const file = this.fileOf(vaultId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unreadable(
        file,
        `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unreadable(file, 'it is not JSON');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw unreadable(file, 'it is not a kept checkpoint');
    const kept = parsed.data;
    if (kept.vault !== vaultId) throw unreadable(file, 'it names another vault');
    const root = Buffer.from(kept.root, 'base64');
    let note;
    try {
      note = parseCheckpoint(kept.note);
    } catch (error) {
      throw unreadable(file, `its signed note is malformed (${(error as Error).message})`);
    }
    // The note is what people are shown and hand on: the figures beside it must be the note's.
    if (
      root.length !== 32 ||
      toBase64(root) !== kept.root ||
      note.origin !== originOf(vaultId) ||
      note.size !== kept.size ||
      !bytesEqual(note.root, root) ||
      note.signatures[0]?.keyName !== keyNameOf(kept.signer)
    ) {
      throw unreadable(file, 'its figures do not match its signed note');
    }
    const frontier = kept.frontier?.map((node) => ({
      level: node.level,
      hash: new Uint8Array(Buffer.from(node.hash, 'base64')),
    }));
    if (frontier && !frontierGives(frontier, kept.size, root)) {
      throw unreadable(file, 'its tree edge does not give its root');
    }
    return {
      size: kept.size,
      root: new Uint8Array(root),
      signerId: kept.signer,
      keptAt: kept.keptAt,
      note: kept.note,
      ...(frontier ? { frontier } : {}),
    };
  }

  /**
   * Keep a checkpoint that has been verified against the one kept before (or made by this
   * workstation's own write on top of it). Never goes back: a smaller one than is kept (another
   * process of this user kept a later one meanwhile) leaves the file as it is.
   */
  keep(vaultId: string, kept: KeptCheckpoint): void {
    const current = this.read(vaultId);
    if (current && current.size >= kept.size) return;
    this.#write(vaultId, kept);
  }

  /** Replace whatever is kept: only for a restore a lead accepted, with its audited entry. */
  replace(vaultId: string, kept: KeptCheckpoint): void {
    this.#write(vaultId, kept);
  }

  /** Temporary file, fsync, rename, fsync of the folder: a crash leaves the old file or the new. */
  #write(vaultId: string, kept: KeptCheckpoint): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(vaultId);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const text = `${JSON.stringify(
      {
        format: FORMAT,
        vault: vaultId,
        size: kept.size,
        root: toBase64(kept.root),
        signer: kept.signerId,
        keptAt: kept.keptAt,
        note: kept.note,
        ...(kept.frontier
          ? {
              frontier: kept.frontier.map((node) => ({
                level: node.level,
                hash: toBase64(node.hash),
              })),
            }
          : {}),
      },
      null,
      2,
    )}\n`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    try {
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    syncFolder(this.dir);
  }
}

/** The rename is durable only once the folder is flushed (not possible on Windows: skipped). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, why: string): VaultError {
  return new VaultError(
    ErrorCode.INTEGRITY,
    `Integrity check failed: the checkpoint this workstation kept of the vault (${file}) is unreadable: ${why}. It was not trusted, and the vault was not opened. Restore that file from this workstation's backup, or report it to Information Security; only they should remove it, since the next unlock would then trust the vault as it is.`,
  );
}
