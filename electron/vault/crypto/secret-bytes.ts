/**
 * A holder for key material (STYLE.md 6). It hides its bytes from logs and JSON, and `wipe()`
 * zeroes them when the vault locks. Never convert its contents to a string.
 */
export class SecretBytes {
  #bytes: Uint8Array;
  #wiped = false;

  /** Takes ownership of `bytes`: the caller must not keep or reuse the array. */
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get length(): number {
    return this.#bytes.length;
  }

  get wiped(): boolean {
    return this.#wiped;
  }

  /** The raw bytes, for a crypto call only. Throws once wiped so a locked vault cannot be used. */
  reveal(): Uint8Array {
    if (this.#wiped) throw new Error('Key material was used after the vault locked.');
    return this.#bytes;
  }

  wipe(): void {
    this.#bytes.fill(0);
    this.#wiped = true;
  }

  toJSON(): string {
    return '[SecretBytes]';
  }

  toString(): string {
    return '[SecretBytes]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[SecretBytes]';
  }
}

export function wipeAll(...secrets: (SecretBytes | undefined)[]): void {
  for (const secret of secrets) secret?.wipe();
}
