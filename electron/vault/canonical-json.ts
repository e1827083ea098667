import { findIllFormedText } from '../../shared/domain/text.ts';
import { invalidInput } from './errors.ts';

// String.prototype.isWellFormed is in Node 20 (V8 11.3) but in TypeScript's ES2024 library only.
declare global {
  interface String {
    isWellFormed(): boolean;
  }
}

/** Thrown inside the encoder at the first string or key that is not well-formed Unicode. */
const ILL_FORMED = new Error('Text that is not well-formed Unicode has no canonical JSON form.');

/**
 * RFC 8785 (JCS) canonical JSON: the byte-exact form that hashes and signatures are taken over.
 * JCS is defined on I-JSON (RFC 7493), which forbids a string that is not well-formed Unicode: a
 * lone surrogate has no UTF-8 form, so every implementation would hash it differently (or not at
 * all). It is refused here, the last gate before anything is hashed into the trail.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalJsonIfWellFormed(value);
  if (text === null) {
    const broken = findIllFormedText(value);
    const where = broken && broken.path.length > 0 ? `${broken.path.join('.')} ` : 'The text ';
    throw invalidInput(
      `${where}${broken?.message ?? 'is not well-formed Unicode'}. Nothing was recorded.`,
    );
  }
  if (text === undefined) throw new Error('Value has no canonical JSON form.');
  return text;
}

/**
 * The RFC 8785 form of `value`, `null` if some string or key in it is not well-formed Unicode
 * (canonicalJson says where), or undefined if it has none (undefined, a function, a symbol).
 *
 * Written for a million-entry trail (issue 17): one pass that checks each string as it encodes it
 * and appends to one string, where the `canonicalize` package it replaces built a string per
 * member with `reduce` and a second walk (findIllFormedText) built a path array per value. The
 * output is the same, byte for byte: tests/unit/canonical-json.test.ts holds it to `canonicalize`
 * with fast-check. Strings and numbers are JSON.stringify's, which RFC 8785 adopts (ES2015 number
 * form, minimal escapes); keys sort by UTF-16 code units, as Array.prototype.sort does.
 */
export function canonicalJsonIfWellFormed(value: unknown): string | null | undefined {
  try {
    return encode(value);
  } catch (error) {
    if (error === ILL_FORMED) return null;
    throw error;
  }
}

/**
 * Canonical JSON laid out by the caller: `build` writes an object whose keys it already knows in
 * sorted order (an audit entry's), encoding each value with `encode`. No object is built to be
 * sorted. Null, as above, if some string in the values is not well-formed.
 */
export function canonicalJsonLaidOut(
  build: (encode: (value: unknown) => string) => string,
): string | null {
  try {
    return build(encodeMember);
  } catch (error) {
    if (error === ILL_FORMED) return null;
    throw error;
  }
}

const encodeMember = (value: unknown): string => encode(value) ?? 'null';

function canonicalString(text: string): string {
  if (!text.isWellFormed()) throw ILL_FORMED;
  return JSON.stringify(text);
}

/** Same contract as the canonicalize package: undefined for what JSON cannot hold at the top. */
function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      if (Number.isNaN(value)) throw new Error('NaN is not allowed');
      if (!Number.isFinite(value)) throw new Error('Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return encode((value as { toJSON: () => unknown }).toJSON());
      }
      return Array.isArray(value) ? encodeArray(value) : encodeObject(value);
    case 'bigint':
      // JSON.stringify's own refusal, as the canonicalize package gave it.
      return JSON.stringify(value);
    default:
      return undefined;
  }
}

function encodeArray(values: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const item = values[i];
    text += item === undefined || typeof item === 'symbol' ? 'null' : (encode(item) ?? 'null');
  }
  return `${text}]`;
}

function encodeObject(object: object): string {
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const inner = record[key];
    if (inner === undefined || typeof inner === 'symbol') continue;
    if (text.length > 1) text += ',';
    text += `${canonicalString(key)}:${encode(inner) ?? 'null'}`;
  }
  return `${text}}`;
}
