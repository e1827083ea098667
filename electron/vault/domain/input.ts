import type { z } from 'zod';
import { reasonSchema } from '../../../shared/domain/accounts.ts';
import { dateSchema } from '../../../shared/domain/dates.ts';
import { invalidInput } from '../errors.ts';

/** Validate input at the boundary; the error names the field and says what is wrong with it. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw invalidInput(`${what}${field ? ` ${field}` : ''}: ${issue?.message ?? 'is not valid'}.`);
}

/** A YYYY-MM-DD date from a person; the error quotes what they typed and names the field. */
export function parseDate(value: string, what: string): string {
  const parsed = dateSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidInput(
    `${what} "${value}" ${parsed.error.issues[0]?.message ?? 'is not a date'} (use YYYY-MM-DD).`,
  );
}

/**
 * The reason given for a sensitive read (6.5). None at all gets `whenMissing` (what to say); a
 * reason that is there but unusable (a control character, text that is not well-formed, too
 * long) is told exactly what is wrong with it, not that it is missing.
 */
export function requireReason(reason: string, whenMissing: string): string {
  if (reason.trim() === '') throw invalidInput(whenMissing);
  const parsed = reasonSchema.safeParse(reason);
  if (parsed.success) return parsed.data;
  throw invalidInput(
    `The ${parsed.error.issues[0]?.message ?? 'reason is not valid'}; nothing was shown.`,
  );
}
