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
