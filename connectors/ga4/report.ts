// The one GA4 report MBO reads: sessions, key events (GA4's conversions) and total revenue per day × session
// source × medium × campaign, paged with limit/offset until rowCount rows are read. Values are checked and kept as
// exact decimal strings (revenue is money: never a float); GA4's date "YYYYMMDD" becomes an ISO day.
import type { DateRange, IsoDate } from '../../core/dates.js';
import { ValidationError } from '../errors.js';
import type { Ga4Client } from './client.js';
import { GA4_MAX_LIMIT, TRAFFIC_DIMENSIONS, TRAFFIC_METRICS, type RunReportResponse } from './wire.js';

export interface Ga4TrafficRow {
  date: IsoDate;
  source: string;
  medium: string;
  campaign: string;
  sessions: number;
  /** Key events (conversions), may be fractional with some counting methods. */
  conversions: string;
  /** Total revenue in the property's currency. */
  revenue: string;
}

export interface Ga4TrafficReport {
  rows: Ga4TrafficRow[];
  currency: string | null;
  timeZone: string | null;
  /** Requests it took (one per page). */
  pages: number;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function decimal(v: string | undefined, what: string): string {
  if (v === undefined || !DECIMAL.test(v)) throw new ValidationError(`ga4: ${what} is not a decimal: "${v}"`, 'ga4');
  return v;
}

function isoDay(v: string | undefined): IsoDate {
  const m = v ? /^(\d{4})(\d{2})(\d{2})$/.exec(v) : null;
  if (!m) throw new ValidationError(`ga4: a date is YYYYMMDD, got "${v}"`, 'ga4');
  return `${m[1]}-${m[2]}-${m[3]}` as IsoDate;
}

/** Maps one page by header name (GA4 answers in the requested order, but the headers are what it promises). */
export function trafficRows(res: RunReportResponse): Ga4TrafficRow[] {
  const d = (res.dimensionHeaders ?? []).map((h) => h.name);
  const m = (res.metricHeaders ?? []).map((h) => h.name);
  const di = Object.fromEntries(TRAFFIC_DIMENSIONS.map((n) => [n, d.indexOf(n)]));
  const mi = Object.fromEntries(TRAFFIC_METRICS.map((n) => [n, m.indexOf(n)]));
  if ((res.rows?.length ?? 0) > 0 && [...Object.values(di), ...Object.values(mi)].some((i) => i < 0))
    throw new ValidationError(`ga4: the report lacks a requested column (got ${[...d, ...m].join(', ')})`, 'ga4');
  return (res.rows ?? []).map((r) => {
    const dim = (n: string) => r.dimensionValues[di[n]!]?.value ?? '';
    const met = (n: string) => r.metricValues[mi[n]!]?.value;
    const sessions = Number(decimal(met('sessions'), 'sessions'));
    if (!Number.isSafeInteger(sessions) || sessions < 0) throw new ValidationError(`ga4: sessions is not a count: "${met('sessions')}"`, 'ga4');
    return {
      date: isoDay(dim('date')),
      source: dim('sessionSource'),
      medium: dim('sessionMedium'),
      campaign: dim('sessionCampaignName'),
      sessions,
      conversions: decimal(met('keyEvents'), 'keyEvents'),
      revenue: decimal(met('totalRevenue'), 'totalRevenue'),
    };
  });
}

/** The whole report for the range, page by page (limit/offset) until rowCount rows have come. */
export async function fetchTraffic(client: Ga4Client, range: DateRange, pageSize = 10_000): Promise<Ga4TrafficReport> {
  const limit = Math.min(Math.max(1, pageSize), GA4_MAX_LIMIT);
  const rows: Ga4TrafficRow[] = [];
  let currency: string | null = null;
  let timeZone: string | null = null;
  let pages = 0;
  for (let offset = 0; ;) {
    const res = await client.runReport({
      dimensions: TRAFFIC_DIMENSIONS.map((name) => ({ name })),
      metrics: TRAFFIC_METRICS.map((name) => ({ name })),
      dateRanges: [{ startDate: range.from, endDate: range.to }],
      orderBys: [{ dimension: { dimensionName: 'date' } }],
      limit,
      offset,
    });
    pages++;
    currency ??= res.metadata?.currencyCode ?? null;
    timeZone ??= res.metadata?.timeZone ?? null;
    const page = trafficRows(res);
    rows.push(...page);
    offset += page.length;
    // rowCount counts every matching row; an empty page ends it too (a shrinking report must not loop forever).
    if (page.length === 0 || offset >= (res.rowCount ?? 0)) break;
  }
  return { rows, currency, timeZone, pages };
}
