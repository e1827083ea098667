import { findIllFormedText } from '../../shared/domain/text.ts';
import { invalidInput } from './errors.ts';
import { canonicalJsonIfWellFormed, canonicalJsonLaidOut } from './audit/jcs.mjs';

// String.prototype.isWellFormed is in Node 20 (V8 11.3) but in TypeScript's ES2024 library only.
declare global {
  interface String {
    isWellFormed(): boolean;
  }
}

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
 * (canonicalJson says where), or undefined if it has none (undefined, a function, a symbol). The
 * encoder is audit/jcs.mjs, plain JavaScript so that the verifier's leaf workers run it too
 * (issue 17); `canonicalJsonLaidOut` is its form for an object whose keys the caller lays out.
 */
export { canonicalJsonIfWellFormed, canonicalJsonLaidOut };
