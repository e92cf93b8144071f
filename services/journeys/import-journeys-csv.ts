// Use case: import journeys from CSV (analysts and above). Header `type,user_key,channel,campaign,timestamp,value`;
// `type` is touch or conversion. Every line is checked with the same schemas as the API batch; any error is
// reported with its line number (up to 50 of them) and nothing is stored.
import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/errors.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { storeJourneys, type IngestResult } from './ingest-journeys.js';
import { conversionSchema, importJourneysCsvSchema, type IngestJourneys, touchpointSchema } from './journeys.schema.js';

export const CSV_COLUMNS = ['type', 'user_key', 'channel', 'campaign', 'timestamp', 'value'] as const;
const MAX_ERRORS = 50;

/** Parses and validates the CSV text; throws INVALID_INPUT listing every bad line (nothing is stored). */
export function parseJourneysCsv(csv: string): IngestJourneys {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), info: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new AppError('INVALID_INPUT', `CSV line ${err.lines ?? '?'}: ${err.message}`, {
      fields: [{ path: `line ${err.lines ?? '?'}`, message: err.message }],
    });
  }
  const header = Object.keys(records[0]?.record ?? {});
  const missing = CSV_COLUMNS.filter((c) => c !== 'campaign' && c !== 'value' && !header.includes(c));
  if (!records.length) throw new AppError('INVALID_INPUT', `CSV line 1: no data rows (header ${CSV_COLUMNS.join(',')})`);
  if (missing.length) throw new AppError('INVALID_INPUT', `CSV line 1: missing column(s) ${missing.join(', ')} (header ${CSV_COLUMNS.join(',')})`);
  const batch: IngestJourneys = { touchpoints: [], conversions: [] };
  const errors: { line: number; message: string }[] = [];
  for (const { record: r, info } of records) {
    const line = info.lines;
    const type = (r.type ?? '').toLowerCase();
    const parsed =
      type === 'touch'
        ? touchpointSchema.safeParse({ userKey: r.user_key, channel: r.channel, campaign: r.campaign ?? '', at: r.timestamp })
        : type === 'conversion'
          ? conversionSchema.safeParse({ userKey: r.user_key, at: r.timestamp, value: r.value || '0' })
          : undefined;
    if (!parsed) errors.push({ line, message: `type must be "touch" or "conversion", got "${r.type ?? ''}"` });
    else if (!parsed.success) for (const i of parsed.error.issues) errors.push({ line, message: `${String(i.path[0] ?? '')}: ${i.message}` });
    else if (type === 'touch') batch.touchpoints.push(parsed.data as IngestJourneys['touchpoints'][number]);
    else batch.conversions.push(parsed.data as IngestJourneys['conversions'][number]);
    if (errors.length >= MAX_ERRORS) break;
  }
  if (errors.length) {
    const shown = errors.map((e) => `line ${e.line}: ${e.message}`);
    throw new AppError(
      'INVALID_INPUT',
      `CSV has ${errors.length}${errors.length >= MAX_ERRORS ? '+' : ''} error(s), nothing was imported: ${shown.slice(0, 10).join('; ')}`,
      {
        fields: errors.map((e) => ({ path: `line ${e.line}`, message: e.message })),
      },
    );
  }
  return batch;
}

export async function importJourneysCsv(ctx: ServiceContext, raw: unknown): Promise<IngestResult> {
  requireRole(ctx, 'analyst');
  const { csv } = parseInput(importJourneysCsvSchema, raw);
  return storeJourneys(ctx, parseJourneysCsv(csv), `csv:${ctx.actor.userId}`);
}
