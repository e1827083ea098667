import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_KDF, kdfRefusal, type KdfParams } from '../vault/crypto/kdf.ts';
import { invalidInput } from '../vault/errors.ts';
import { currentIo, type Io } from './io.ts';

/** How long a command waits for another process's writer lock before exiting 3. */
export const LOCK_WAIT_MS = 5000;

export { console_, type Io } from './io.ts';

export function acting(options: { as?: string }): string {
  const name = options.as ?? currentIo().env['CUSTODIAN_USER'];
  if (!name) throw invalidInput('Who is acting? Pass --as NAME or set CUSTODIAN_USER.');
  return name;
}

export function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T => {
    const found = allowed.find((candidate) => candidate === value);
    if (!found) throw new InvalidArgumentError(`${what} must be one of: ${allowed.join(', ')}.`);
    return found;
  };
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

/** A password from a file (a single trailing newline dropped) or freshly generated. */
/**
 * `--generate`: the vault generates the password once it is open (generator.generate), so the
 * session knows it made it and stores the strength its parameters give (issue 17).
 */
export const GENERATE = Symbol('generate');

/** The password a command was given in a file, read before the vault opens; or GENERATE. */
export function newPassword(options: {
  passwordFile?: string;
  generate?: boolean;
}): string | typeof GENERATE {
  if (options.passwordFile && options.generate) {
    throw invalidInput('Give either --password-file or --generate, not both.');
  }
  if (options.generate) return GENERATE;
  if (!options.passwordFile)
    throw invalidInput('Give the password with --password-file FILE, or --generate.');
  return readInputFile(options.passwordFile, 'the password file').replace(/\r?\n$/, '');
}

export function kdfFrom(options: { kdfMemoryMib?: number; kdfPasses?: number }): KdfParams {
  const kdf: KdfParams = {
    ...DEFAULT_KDF,
    memoryKiB: (options.kdfMemoryMib ?? DEFAULT_KDF.memoryKiB / 1024) * 1024,
    passes: options.kdfPasses ?? DEFAULT_KDF.passes,
  };
  const refusal = kdfRefusal(kdf);
  if (refusal) throw invalidInput(refusal);
  return kdf;
}

export const asOption = () => new Option('--as <name>', 'acting member (or CUSTODIAN_USER)');

/**
 * `--expected-version N` (ADR 0023): the record's version as `shownBy` printed it (an account's
 * by `account show`). If the record changed since, nothing is saved and the command exits 6
 * saying who changed it and when.
 */
export const expectedVersionOption = (shownBy = 'account show', record = 'account') =>
  new Option(
    '--expected-version <n>',
    `the version \`${shownBy}\` printed; if the ${record} changed since, nothing is saved (exit 6)`,
  ).argParser((value) => {
    const n = Number(value);
    if (!/^[1-9][0-9]{0,9}$/.test(value) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(
        'a version is a whole number from 1, as `account show` prints it',
      );
    return n;
  });

/** The request's `expectedVersion`, when the option was given. */
export const expected = (o: { expectedVersion?: number }) =>
  o.expectedVersion === undefined ? {} : { expectedVersion: o.expectedVersion };

/**
 * Read a small text file given on the command line; the error names the option. The text must
 * be UTF-8: a password saved in another encoding (a Latin-1 "£") would otherwise become U+FFFD
 * and the registry would hold a password the platform does not (9.8), so it is refused instead.
 */
export function readInputFile(path: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw invalidInput(`Cannot read ${what} ${path}: check the path.`);
  }
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw invalidInput(
      `${what.charAt(0).toUpperCase()}${what.slice(1)} ${path} is not UTF-8 text; save it as UTF-8 and try again. Nothing was changed.`,
    );
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** "a,b , c" as ["a", "b", "c"]. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Print rows as tab-separated lines, or the value as JSON with --json. */
export function output(
  io: Io,
  json: boolean | undefined,
  value: unknown,
  lines: () => string[],
): void {
  if (json) io.out(JSON.stringify(value, null, 2));
  else for (const line of lines()) io.out(line);
}
