import canonicalizeModule from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText } from '../../electron/vault/audit/entry.ts';
import { canonicalJson, canonicalJsonIfWellFormed } from '../../electron/vault/canonical-json.ts';
import { AUDIT_KINDS } from '../../shared/domain/audit.ts';

// The definition the encoder replaced (issue 17): the canonicalize package, RFC 8785's reference
// shape in JavaScript. Every leaf hash in every trail already written was taken over its output.
type Canonicalize = (input: unknown) => string | undefined;
const moduleValue = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const canonicalize: Canonicalize =
  typeof moduleValue === 'function' ? moduleValue : moduleValue.default;

// Strings of any UTF-16 code units that pair up (emoji, astral planes, controls, quotes, "\").
const text = fc.string({ unit: 'grapheme' });
const anyUnits = fc.string({ unit: 'binary' });
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    text,
    anyUnits,
    fc.array(tie('value')),
    fc.dictionary(fc.oneof(text, anyUnits), fc.oneof(tie('value'), fc.constant(undefined))),
  ),
})).value;

describe('canonical JSON (RFC 8785)', () => {
  it('writes the bytes the canonicalize package writes, for any JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units, numbers in ES form, minimal escapes', () => {
    expect(canonicalJson({ b: [1e21, -0, 0.1], a: '\u2028"\\\n', '\u00e9': true, A: null })).toBe(
      '{"A":null,"a":"\u2028\\"\\\\\\n","b":[1e+21,0,0.1],"\u00e9":true}',
    );
  });

  it('refuses a lone surrogate anywhere, naming where, as before', () => {
    expect(() => canonicalJson({ details: { note: 'a\ud800b' } })).toThrow(
      /^details\.note is not well-formed Unicode \(a lone surrogate U\+D800 at character 2\).*Nothing was recorded\.$/,
    );
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(/has a key that is not well-formed/);
  });
});

/** Every string and key in `value` is well-formed Unicode (no lone surrogate). */
const wellFormed = (value: unknown): boolean => {
  if (typeof value === 'string') return value.isWellFormed();
  if (Array.isArray(value)) return value.every(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).every(([key, inner]) => key.isWellFormed() && wellFormed(inner));
  }
  return true;
};

describe('canonical JSON of a flat record (issue 17: written by JSON.stringify when it can be)', () => {
  // Text a flat record's quick way must not be fooled by: lone surrogates (which JSON.stringify
  // escapes as \udXXX where RFC 8785 has no form), the literal text of such an escape, and keys
  // that look like array indexes (which enumerate first, whatever the order they were set in).
  const tricky = fc.oneof(
    text,
    anyUnits,
    fc.constantFrom('\ud800', '\\ud83d\\ude00', 'a\\udfffz', '\\u00e9', '\udc00x', '\ud83d\ude00'),
    fc
      .array(fc.integer({ min: 0xd780, max: 0xe080 }), { maxLength: 4 })
      .map((units) => String.fromCharCode(...units)),
  );
  const key = fc.oneof(
    tricky,
    fc.nat({ max: 200 }).map(String),
    fc.constantFrom('__proto__', 'toJSON'),
  );
  const flatValue = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    tricky,
  );
  const flat = fc.dictionary(key, fc.oneof(flatValue, fc.array(flatValue, { maxLength: 4 })));
  /** The same record with its keys set in sorted order, which is when the quick way answers. */
  const sorted = flat.map((record) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(record).sort()) {
      Object.defineProperty(out, k, { value: record[k], enumerable: true, writable: true });
    }
    return out;
  });

  it('writes what the canonicalize package writes, keys in any order', () => {
    fc.assert(
      fc.property(fc.oneof(flat, sorted), (record) => {
        expect(canonicalJsonIfWellFormed(record)).toBe(
          wellFormed(record) ? canonicalize(record) : null,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a lone surrogate in a value or a key, and keeps escapes of them as text', () => {
    expect(canonicalJsonIfWellFormed({ a: 'x\ud800' })).toBeNull();
    expect(canonicalJsonIfWellFormed({ a: ['ok', '\udfff'] })).toBeNull();
    expect(canonicalJsonIfWellFormed({ '\udbff': 1 })).toBeNull();
    expect(canonicalJsonIfWellFormed({ a: '\\ud800' })).toBe('{"a":"\\\\ud800"}');
    expect(canonicalJsonIfWellFormed({ 10: 1, 9: 2 })).toBe('{"10":1,"9":2}');
    expect(canonicalJsonIfWellFormed({ b: -0, a: 1e21 })).toBe('{"a":1e+21,"b":0}');
  });
});

describe("an audit entry's canonical text", () => {
  const entry = fc.record({
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    at: text,
    kind: fc.constantFrom(...AUDIT_KINDS),
    actor: text,
    account: fc.option(text, { nil: null }),
    details: fc.dictionary(
      text,
      fc.oneof(
        fc.constant(null),
        text,
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.array(text),
      ),
    ),
  });

  it('is the canonical JSON of the entry with its leaf format, laid out without sorting', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(canonicalEntryText(e)).toBe(canonicalize({ format: 1, ...e }));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the field that is not well-formed, as the general encoder does', () => {
    const e = {
      seq: 1,
      at: '2026-12-01T00:00:00.000Z',
      kind: AUDIT_KINDS[0],
      actor: 'm',
      account: null,
      details: { reason: 'x\udbff' },
    };
    expect(() => canonicalEntryText(e)).toThrow(/^details\.reason is not well-formed Unicode/);
  });
});
