import { z } from 'zod';

/**
 * Text as Custodian accepts it. A JavaScript string may hold a lone UTF-16 surrogate, which is not
 * Unicode text at all: RFC 8785 canonical JSON requires I-JSON (RFC 7493), so an audit entry
 * holding one hashes differently in every other implementation and the trail could be checked by
 * no one else. Such text is refused at every way in (the contract, the CLI, the core's records and
 * canonical JSON) with a message saying where.
 */

/** Where a string first breaks UTF-16 (a surrogate without its partner), or undefined. */
export function loneSurrogate(text: string): { index: number; codeUnit: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i += 1;
      continue;
    }
    return { index: i, codeUnit: unit };
  }
  return undefined;
}

/** "U+0007": how a code unit is named in messages. */
export function codePointName(unit: number): string {
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What is wrong, and where, unless the text is a secret: then not even one code unit of it is named. */
function describeSurrogate(found: { index: number; codeUnit: number }, secret = false): string {
  const where = secret
    ? 'it holds a lone surrogate'
    : `a lone surrogate ${codePointName(found.codeUnit)} at character ${found.index + 1}`;
  return `is not well-formed Unicode (${where}); type it again rather than paste it`;
}

const SECRET_FIELD = /pass(word|phrase)|secret|recovery/i;

/** The first string (or key) anywhere in plain data that is not well-formed, with its path. */
export function findIllFormedText(
  value: unknown,
  path: readonly (string | number)[] = [],
): { path: (string | number)[]; message: string } | undefined {
  if (typeof value === 'string') {
    const found = loneSurrogate(value);
    const secret = SECRET_FIELD.test(String(path.at(-1) ?? ''));
    return found ? { path: [...path], message: describeSurrogate(found, secret) } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = findIllFormedText(value[i], [...path, i]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyFound = loneSurrogate(key);
      if (keyFound)
        return { path: [...path], message: `has a key that ${describeSurrogate(keyFound)}` };
      const found = findIllFormedText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first control character in `text` (line breaks and tabs allowed if asked), or undefined. */
export function controlCharacter(
  text: string,
  allowLineBreaks: boolean,
): { index: number; codeUnit: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (allowLineBreaks && (code === 0x0a || code === 0x0d || code === 0x09)) continue;
    if (code < 0x20 || code === 0x7f) return { index: i, codeUnit: code };
  }
  return undefined;
}

/**
 * The one string schema for text people give: well-formed Unicode always; optionally trimmed,
 * bounded and free of control characters, each refusal saying what and where.
 */
export function textSchema(
  what: string,
  options: {
    max?: number;
    trim?: boolean;
    allowEmpty?: boolean;
    controls?: 'refuse' | 'lines' | 'allow';
    /** A password or passphrase: no part of it goes into a message. */
    secret?: boolean;
  } = {},
) {
  let schema = z.string();
  if (options.trim ?? true) schema = schema.trim();
  if (!options.allowEmpty) schema = schema.min(1, `${what} must not be empty`);
  if (options.max !== undefined)
    schema = schema.max(options.max, `${what} must be at most ${options.max} characters`);
  const controls = options.controls ?? 'allow';
  return schema.superRefine((text, ctx) => {
    const surrogate = loneSurrogate(text);
    if (surrogate) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} ${describeSurrogate(surrogate, options.secret)}`,
      });
      return;
    }
    if (controls === 'allow') return;
    const control = controlCharacter(text, controls === 'lines');
    if (control) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must not contain control characters (it holds the control character ${codePointName(control.codeUnit)} at character ${control.index + 1})`,
      });
    }
  });
}
