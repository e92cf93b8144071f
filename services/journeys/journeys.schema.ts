// Schemas for journey ingest (browser-safe): a batch of touchpoints and conversions sent to the API, and the CSV
// import (the same rules apply to each CSV line).
import { z } from 'zod';

export const MAX_BATCH = 10_000;

const userKey = z.string().trim().min(1, 'a user key is required').max(200).describe('A stable pseudonymous user id (never an e-mail address)');
const channel = z
  .string()
  .trim()
  .min(1, 'a channel is required')
  .max(100)
  .regex(/^[^/]+$/, 'a channel has no "/"')
  .describe('The channel, e.g. google_ads, meta, email');
const campaign = z.string().trim().max(200).default('').describe('The campaign within the channel (optional)');
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO timestamp, e.g. 2026-05-01T12:00:00Z' }).refine((t) => {
  const ms = Date.parse(t);
  return ms >= Date.parse('2000-01-01T00:00:00Z') && ms <= Date.parse('2100-12-31T23:59:59Z');
}, 'must be between 2000 and 2100');
/** A conversion value: a non-negative decimal with at most 6 decimals. */
export const valueSchema = z
  .union([z.string().trim(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .refine((v) => /^\d{1,12}(\.\d{1,6})?$/.test(v), 'a value is a non-negative decimal (at most 12 digits, 6 decimals)')
  .describe('Conversion value in the workspace currency');

export const touchpointSchema = z.object({ userKey, channel, campaign, at: timestamp });
export const conversionSchema = z.object({ userKey, at: timestamp, value: valueSchema.default('0') });

export const ingestJourneysSchema = z
  .object({
    touchpoints: z.array(touchpointSchema).max(MAX_BATCH, `at most ${MAX_BATCH} touchpoints per batch`).default([]),
    conversions: z.array(conversionSchema).max(MAX_BATCH, `at most ${MAX_BATCH} conversions per batch`).default([]),
  })
  .refine((b) => b.touchpoints.length + b.conversions.length > 0, { message: 'a batch needs at least one touchpoint or conversion' });

export const importJourneysCsvSchema = z.object({
  csv: z
    .string()
    .min(1, 'the CSV is empty')
    .max(900_000, 'a CSV import is at most 900 kB (split larger files)')
    .describe('CSV with the header type,user_key,channel,campaign,timestamp,value; type is "touch" or "conversion"'),
});

export type IngestJourneys = z.output<typeof ingestJourneysSchema>;
