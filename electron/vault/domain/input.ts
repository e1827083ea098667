import type { z } from 'zod';
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
