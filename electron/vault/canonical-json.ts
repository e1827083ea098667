import canonicalizeModule from 'canonicalize';
import { findIllFormedText } from '../../shared/domain/text.ts';
import { invalidInput } from './errors.ts';

// canonicalize ships CommonJS with an ES default-export typing; under NodeNext the default import
// may be the function or the module object, so take whichever is callable.
type Canonicalize = (input: unknown) => string | undefined;
const moduleValue = canonicalizeModule as unknown as Canonicalize | { default: Canonicalize };
const canonicalizeFn: Canonicalize =
  typeof moduleValue === 'function' ? moduleValue : moduleValue.default;

/**
 * RFC 8785 (JCS) canonical JSON: the byte-exact form that hashes and signatures are taken over.
 * JCS is defined on I-JSON (RFC 7493), which forbids a string that is not well-formed Unicode: a
 * lone surrogate has no UTF-8 form, so every implementation would hash it differently (or not at
 * all). It is refused here, the last gate before anything is hashed into the trail.
 */
export function canonicalJson(value: unknown): string {
  const broken = findIllFormedText(value);
  if (broken) {
    const where = broken.path.length > 0 ? `${broken.path.join('.')} ` : 'The text ';
    throw invalidInput(`${where}${broken.message}. Nothing was recorded.`);
  }
  const text = canonicalizeFn(value);
  if (text === undefined) throw new Error('Value has no canonical JSON form.');
  return text;
}
