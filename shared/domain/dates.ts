import { z } from 'zod';

/** A calendar date as people type it: YYYY-MM-DD, and a real one (no 2026-02-30). */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
  }, 'is not a real calendar date');

/** A moment as ISO 8601 with a time zone (e.g. 2026-03-02T09:15:00Z). */
export const dateTimeSchema = z.iso.datetime({ offset: true });

export function dayOf(isoDateTime: string): string {
  return isoDateTime.slice(0, 10);
}
