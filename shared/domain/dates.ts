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

const monthsCache = new Map<string, string>();

/**
 * The calendar day `months` after `day` (clamped to the month's end: 31 Jan + 1 month = 28/29 Feb).
 * Memoised: health asks it for the same few hundred dates across thousands of accounts.
 */
export function addMonths(day: string, months: number): string {
  const key = `${day}|${months}`;
  let result = monthsCache.get(key);
  if (result === undefined) {
    result = computeAddMonths(day, months);
    if (monthsCache.size > 100_000) monthsCache.clear();
    monthsCache.set(key, result);
  }
  return result;
}

function computeAddMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A recorded moment as people read it: "2026-03-02 09:15 UTC" (a day alone stays a day). */
export function momentText(isoDateTime: string): string {
  return isoDateTime.length <= 10
    ? isoDateTime
    : `${isoDateTime.replace('T', ' ').slice(0, 16)} UTC`;
}
