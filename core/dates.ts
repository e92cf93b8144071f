// Calendar days as ISO strings (YYYY-MM-DD). Metrics live on an account's local calendar, so a day is a label,
// never an instant: all arithmetic here is on UTC midnights and never touches the host time zone.
import { AppError } from './errors.js';

export type IsoDate = string;
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function isIsoDate(s: string): boolean {
  if (!ISO.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The calendar MBO works in: a date outside it is an input error (`sync --from 0000-01-01` used to pass and then
 * retry against the platform for ten minutes; a scenario spanning 0001–9999 took 16 s and 550 MB).
 */
export const MIN_DATE: IsoDate = '2000-01-01';
export const MAX_DATE: IsoDate = '2100-12-31';

/** A real calendar date within MIN_DATE..MAX_DATE. */
export function isDateInBounds(s: string): boolean {
  return isIsoDate(s) && s >= MIN_DATE && s <= MAX_DATE;
}

export function parseIsoDate(s: string, label = 'date'): IsoDate {
  if (!isIsoDate(s)) throw new AppError('VALIDATION', `${label} must be a real calendar date as YYYY-MM-DD, got "${s}"`);
  if (s < MIN_DATE || s > MAX_DATE) throw new AppError('VALIDATION', `${label} must be between ${MIN_DATE} and ${MAX_DATE}, got "${s}"`);
  return s;
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: IsoDate): number {
  return new Date(`${d}T00:00:00Z`).getUTCDay();
}

export interface DateRange {
  from: IsoDate;
  to: IsoDate; // inclusive
}

export function eachDay(range: DateRange): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function validateRange(range: DateRange): DateRange {
  parseIsoDate(range.from, 'from');
  parseIsoDate(range.to, 'to');
  if (range.from > range.to) throw new AppError('VALIDATION', `from (${range.from}) is after to (${range.to})`);
  return range;
}

/** Today's date on a time zone's calendar (e.g. an ad account's). `now` is injectable for determinism. */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts; // en-CA formats as YYYY-MM-DD
}
