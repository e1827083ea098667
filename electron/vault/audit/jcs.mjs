// RFC 8785 (JCS) canonical JSON, the encoder itself: canonical-json.ts wraps it for the app, and
// the offline verifier's leaf workers (leaf-worker.mjs) run it as it is, so an entry's leaf has one
// encoding whichever thread computes it. Plain JavaScript, so a worker runs it without a
// TypeScript loader; it sits beside the worker because build-electron.js and build-cli.js copy
// the worker's folder-mates beside the bundle.
//
// Written for a million-entry trail (issue 17): one pass that checks each string as it encodes it
// and appends to one string. The output is the `canonicalize` package's, byte for byte
// (tests/unit/canonical-json.test.ts holds it there with fast-check). Strings and numbers are
// JSON.stringify's, which RFC 8785 adopts (ES2015 number form, minimal escapes); keys sort by
// UTF-16 code units, as Array.prototype.sort does.

/** Thrown inside the encoder at the first string or key that is not well-formed Unicode. */
const ILL_FORMED = new Error('Text that is not well-formed Unicode has no canonical JSON form.');

/**
 * The RFC 8785 form of `value`, `null` if some string or key in it is not well-formed Unicode,
 * or undefined if it has none (undefined, a function, a symbol).
 */
export function canonicalJsonIfWellFormed(value) {
  try {
    return encode(value);
  } catch (error) {
    if (error === ILL_FORMED) return null;
    throw error;
  }
}

/**
 * Canonical JSON laid out by the caller: `build` writes an object whose keys it already knows in
 * sorted order, encoding each value with the function it is given. Null, as above, if some string
 * in the values is not well-formed.
 */
export function canonicalJsonLaidOut(build) {
  try {
    return build(encodeMember);
  } catch (error) {
    if (error === ILL_FORMED) return null;
    throw error;
  }
}

const encodeMember = (value) => encode(value) ?? 'null';

function canonicalString(text) {
  if (!text.isWellFormed()) throw ILL_FORMED;
  return JSON.stringify(text);
}

/** Same contract as the canonicalize package: undefined for what JSON cannot hold at the top. */
function encode(value) {
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
      if (typeof value.toJSON === 'function') return encode(value.toJSON());
      return Array.isArray(value) ? encodeArray(value) : encodeObject(value);
    case 'bigint':
      // JSON.stringify's own refusal, as the canonicalize package gave it.
      return JSON.stringify(value);
    default:
      return undefined;
  }
}

function encodeArray(values) {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const item = values[i];
    text += item === undefined || typeof item === 'symbol' ? 'null' : (encode(item) ?? 'null');
  }
  return `${text}]`;
}

function encodeObject(record) {
  const quick = flatRecordText(record);
  if (quick !== undefined) return quick;
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

/**
 * A flat record's RFC 8785 text by JSON.stringify, which writes it in one native pass (an audit
 * entry's details are such a record, a million of them in a verify; issue 17), or undefined where
 * that might not be encodeObject's text, which then writes it. It answers only when:
 *
 * - its own keys enumerate in sorted order (UTF-16 code units, what `<` and Array.sort compare),
 *   so JSON.stringify, which writes them in that enumeration order, writes them in RFC 8785's;
 * - every value is a string, a finite number, a boolean, null, or an array of those, and neither
 *   the record nor an array has a toJSON method: JSON.stringify then writes each value with the
 *   same string quoting and number form encode uses (JSON.stringify's, which RFC 8785 adopts);
 * - the text holds no `\ud` (a backslash, u, d): JSON.stringify escapes a lone surrogate as
 *   `\udXXX`, where encode refuses the text as not well-formed; a well-formed string can give
 *   that sequence only from a literal backslash, which is left to encode as well.
 */
function flatRecordText(record) {
  if (typeof record.toJSON === 'function') return undefined;
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return undefined;
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]];
    if (!isFlatValue(value)) {
      if (!Array.isArray(value) || typeof value.toJSON === 'function') return undefined;
      for (let j = 0; j < value.length; j++) if (!isFlatValue(value[j])) return undefined;
    }
  }
  const text = JSON.stringify(record);
  return text.includes('\\ud') ? undefined : text;
}

function isFlatValue(value) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    default:
      return value === null;
  }
}
