import canonicalizeModule from 'canonicalize';

// canonicalize ships CommonJS with an ES default-export typing; under NodeNext the default import
// may be the function or the module object, so take whichever is callable.
type Canonicalize = (input: unknown) => string | undefined;
const moduleValue = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const canonicalizeFn: Canonicalize =
  typeof moduleValue === 'function' ? moduleValue : moduleValue.default;

/** RFC 8785 (JCS) canonical JSON: the byte-exact form that hashes and signatures are taken over. */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeFn(value);
  if (text === undefined) throw new Error('Value has no canonical JSON form.');
  return text;
}
