// Schemas for performance reports (browser-safe).
import { z } from 'zod';
import { cronProblem } from '../../core/cron.js';
import { dateSchema } from '../common.schema.js';

/** A time zone the runtime knows (Intl: the same IANA database Temporal's schedules use). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const REPORT_FORMATS = ['markdown', 'html', 'csv', 'json'] as const;

const days = z.coerce.number().int().min(1, 'a period of 1 to 92 days').max(92, 'a period of 1 to 92 days');

export const reportBaseSchema = z.object({
  days: days.default(7).describe('days in the period, ending on `to` (default 7: a weekly report)'),
  from: dateSchema.optional().describe('first day (default: `days` before `to`)'),
  to: dateSchema.optional().describe('last day (default: the latest day with stored metrics)'),
  format: z.enum(REPORT_FORMATS).default('markdown').describe('markdown, html (self-contained, inline SVG charts), csv or json'),
});
export const reportSchema = reportBaseSchema.refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

export const scheduleReportSchema = z.object({
  days: days.default(7).describe('days in each report (default 7)'),
  cron: z
    .string()
    .trim()
    .max(200)
    .superRefine((c, ctx) => {
      const problem = cronProblem(c);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('0 8 * * 1')
    .describe('when to send, as cron (default Mondays 08:00)'),
  timeZone: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine(isTimeZone, 'an IANA time zone, e.g. Europe/Berlin or UTC')
    .default('UTC')
    .describe('IANA time zone of the cron expression'),
});
export const runReportSchema = z.object({ days: days.default(7) });
