import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import { ExclusiveOutput, type OutputOptions } from '../output-file.ts';

/**
 * Buffered synchronous writes to a new file created exclusively beside the destination, put in
 * place only when complete and never over an existing file or the open vault (output-file.ts).
 */
export class OutputFile {
  readonly #file: ExclusiveOutput;
  #chunks: string[] = [];
  #size = 0;

  constructor(path: string, options: OutputOptions) {
    this.#file = new ExclusiveOutput(path, options);
  }

  write(text: string): void {
    this.#chunks.push(text);
    this.#size += text.length;
    if (this.#size > 1 << 20) this.flush();
  }

  writeBytes(bytes: Uint8Array): void {
    this.flush();
    this.#file.write(bytes);
  }

  flush(): void {
    if (this.#chunks.length === 0) return;
    this.#file.write(this.#chunks.join(''));
    this.#chunks = [];
    this.#size = 0;
  }

  commit(): void {
    this.flush();
    this.#file.commit();
  }

  abandon(): void {
    this.#file.abandon();
  }
}

export function storageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The disk is full: the export was not written. Free some space and try again.',
    );
  }
  if (code === 'EACCES' || code === 'ENOENT' || code === 'EROFS' || code === 'EISDIR') {
    return new VaultError(
      ErrorCode.STORAGE,
      'The export file cannot be written there: check the folder exists and is writable.',
    );
  }
  return error;
}
