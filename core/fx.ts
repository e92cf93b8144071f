// Daily exchange rates, pure: parse them (ECB `eurofxref` XML, or CSV) and convert exact amounts with the rate of
// a given day — or the latest published before it (no rates on weekends and holidays), never an older one than
// `maxStaleDays`. A missing rate is an error naming the pair and the day; nothing ever falls back to 1.0.
// The arithmetic is core/analytics/metrics.ts convertMoney (bigint micros, one rounding).
import { convertMoney, type RateTable } from './analytics/metrics.js';
import { daysBetween, isIsoDate, type IsoDate } from './dates.js';
import { AppError } from './errors.js';
import type { Micros } from './money.js';

/** One unit of `base` buys `rate` units of `quote` on `date`. */
export interface FxRateRow {
  base: string;
  quote: string;
  date: IsoDate;
  rate: string;
}

const CCY = /^[A-Z]{3}$/;
const RATE = /^\d+(\.\d+)?$/;

function checkRow(r: FxRateRow, where: string): FxRateRow {
  if (!CCY.test(r.base) || !CCY.test(r.quote)) throw new AppError('VALIDATION', `${where}: currency codes must be 3 capital letters, got ${r.base}/${r.quote}`);
  if (!isIsoDate(r.date)) throw new AppError('VALIDATION', `${where}: not a date: "${r.date}"`);
  if (!RATE.test(r.rate) || !/[1-9]/.test(r.rate)) throw new AppError('VALIDATION', `${where}: not a positive decimal rate: "${r.rate}"`);
  return r;
}

/**
 * The ECB reference-rate feed (eurofxref-daily.xml, -hist-90d.xml, -hist.xml): a `<Cube time="YYYY-MM-DD">` per
 * day holding `<Cube currency="USD" rate="1.0543"/>` per currency, each rate being how much of it one euro buys.
 */
export function parseEcbXml(xml: string): FxRateRow[] {
  const out: FxRateRow[] = [];
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`).exec(tag)?.[1];
  let day: string | undefined;
  for (const m of xml.matchAll(/<(?:\w+:)?Cube\b([^>]*)>/g)) {
    const tag = m[1]!;
    const time = attr(tag, 'time');
    if (time !== undefined) {
      day = time;
      continue;
    }
    const currency = attr(tag, 'currency');
    const rate = attr(tag, 'rate');
    if (currency === undefined || rate === undefined) continue;
    if (!day) throw new AppError('VALIDATION', `ECB feed: rate for ${currency} outside a dated Cube`);
    out.push(checkRow({ base: 'EUR', quote: currency, date: day, rate }, 'ECB feed'));
  }
  if (!out.length) throw new AppError('VALIDATION', 'ECB feed: no rates found (expected <Cube time="…"><Cube currency="…" rate="…"/>)');
  return out;
}

/**
 * CSV in one of two shapes: long — a header with `date,base,quote,rate` (any order) — or ECB's wide download
 * (`Date,USD,JPY,…`, one row per day, base EUR, `N/A` or empty where a currency had no rate).
 */
export function parseFxCsv(text: string): FxRateRow[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) throw new AppError('VALIDATION', 'FX CSV: empty file');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const out: FxRateRow[] = [];
  const long = ['date', 'base', 'quote', 'rate'].every((h) => header.includes(h));
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(',').map((c) => c.trim());
    const where = `FX CSV line ${i + 2}`;
    if (long) {
      const get = (h: string) => cells[header.indexOf(h)] ?? '';
      out.push(checkRow({ base: get('base').toUpperCase(), quote: get('quote').toUpperCase(), date: get('date'), rate: get('rate') }, where));
      continue;
    }
    if (header[0] !== 'date') throw new AppError('VALIDATION', 'FX CSV: expected a header "date,base,quote,rate" or ECB\'s "Date,USD,JPY,…"');
    for (let c = 1; c < header.length; c++) {
      const rate = cells[c] ?? '';
      if (!header[c] || !rate || rate === 'N/A') continue;
      out.push(checkRow({ base: 'EUR', quote: header[c]!.toUpperCase(), date: cells[0] ?? '', rate }, where));
    }
  }
  return out;
}

interface Series {
  dates: IsoDate[];
  rates: string[];
}

/** Rates by pair and day; converts with the latest rate on or before a day, within `maxStaleDays`. */
export class FxTable {
  private readonly pairs = new Map<string, Series>();
  private readonly bases = new Set<string>();

  constructor(
    rows: Iterable<FxRateRow>,
    readonly maxStaleDays = 7,
  ) {
    const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const r of sorted) {
      const key = `${r.base}/${r.quote}`;
      let s = this.pairs.get(key);
      if (!s) this.pairs.set(key, (s = { dates: [], rates: [] }));
      if (s.dates.at(-1) === r.date) s.rates[s.rates.length - 1] = r.rate;
      else {
        s.dates.push(r.date);
        s.rates.push(r.rate);
      }
      this.bases.add(r.base);
    }
  }

  /** The rate of `base`→`quote` published on `date` or the latest before it (within maxStaleDays). */
  private lookup(base: string, quote: string, date: IsoDate): string | undefined {
    const s = this.pairs.get(`${base}/${quote}`);
    if (!s) return undefined;
    let lo = 0;
    let hi = s.dates.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s.dates[mid]! <= date) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || daysBetween(s.dates[found]!, date) > this.maxStaleDays) return undefined;
    return s.rates[found];
  }

  /** A RateTable (core/analytics/metrics.ts) that converts `from` into `to` on `date`: direct, inverse or cross. */
  tableFor(from: string, to: string, date: IsoDate): RateTable {
    if (from === to) return { base: from, rates: {} };
    const direct = this.lookup(from, to, date);
    if (direct) return { base: from, rates: { [to]: direct } };
    const inverse = this.lookup(to, from, date);
    if (inverse) return { base: to, rates: { [from]: inverse } };
    for (const b of this.bases) {
      const rf = b === from ? undefined : this.lookup(b, from, date);
      const rt = rf && b !== to ? this.lookup(b, to, date) : undefined;
      if (rf && rt) return { base: b, rates: { [from]: rf, [to]: rt } };
    }
    throw new AppError(
      'NOT_FOUND',
      `no exchange rate ${from}→${to} for ${date} (none on that day or in the ${this.maxStaleDays} days before): load rates first`,
      {
        from,
        to,
        date,
      },
    );
  }

  /** `amount` (micros of `from`) in `to`, at the rate of `date`; rounded once, half away from zero. */
  convert(amount: Micros, from: string, to: string, date: IsoDate): Micros {
    if (from === to) return amount;
    return convertMoney(amount, from, to, this.tableFor(from, to, date));
  }
}
