import canonicalizeModule from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText } from '../../electron/vault/audit/entry.ts';
import { canonicalJson } from '../../electron/vault/canonical-json.ts';
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
