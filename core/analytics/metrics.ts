// Performance metrics with exact money: spend and revenue are bigint micros, so ROAS, ROI, CPA, CPC and CPM
// never pass through a float sum; ratios are computed once, at the end. Currency conversion is exact too.
import { AppError } from '../errors.js';
import { parseMoney, type Micros } from '../money.js';

export interface Totals {
  impressions: bigint | number;
  clicks: bigint | number;
  spend: Micros;
  /** Conversions may be fractional (attributed conversions): a decimal string or number. */
  conversions: string | number;
  revenue: Micros;
}

export interface Metrics {
  roas: number | null; // revenue / spend
  roi: number | null; // (revenue − spend) / spend
  cpa: Micros | null; // spend per conversion
  cpc: Micros | null; // spend per click
  cpm: Micros | null; // spend per 1,000 impressions
  ctr: number | null; // clicks / impressions
  cvr: number | null; // conversions / clicks
}

const SCALE = 1_000_000n;

/** a / b rounded half away from zero, on bigints. */
function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  return 2n * (r < 0n ? -r : r) >= (b < 0n ? -b : b) ? q + (a < 0n !== b < 0n ? -1n : 1n) : q;
}

const ratioOf = (a: bigint, b: bigint) => (b === 0n ? null : Number(divRound(a * SCALE, b)) / 1e6);

export function computeMetrics(t: Totals): Metrics {
  const imp = BigInt(t.impressions);
  const clk = BigInt(t.clicks);
  const conv = parseMoney(String(t.conversions)); // conversions × 1e6, exact
  return {
    roas: ratioOf(t.revenue, t.spend),
    roi: ratioOf(t.revenue - t.spend, t.spend),
    cpa: conv === 0n ? null : divRound(t.spend * SCALE, conv),
    cpc: clk === 0n ? null : divRound(t.spend, clk),
    cpm: imp === 0n ? null : divRound(t.spend * 1000n, imp),
    ctr: ratioOf(clk, imp),
    cvr: clk === 0n ? null : Number(divRound(conv, clk)) / 1e6,
  };
}

export function addTotals(a: Totals, b: Totals): Totals {
  return {
    impressions: BigInt(a.impressions) + BigInt(b.impressions),
    clicks: BigInt(a.clicks) + BigInt(b.clicks),
    spend: a.spend + b.spend,
    conversions: String((Number(parseMoney(String(a.conversions)) + parseMoney(String(b.conversions))) / 1e6).toFixed(6)),
    revenue: a.revenue + b.revenue,
  };
}

/** Exchange rates as decimal strings: how many units of each currency one unit of `base` buys. */
export interface RateTable {
  base: string;
  rates: Record<string, string>;
}

const RATE_SCALE = 1_000_000_000n;

function rateOf(table: RateTable, currency: string): bigint {
  if (currency === table.base) return RATE_SCALE;
  const r = table.rates[currency];
  if (r === undefined) throw new AppError('VALIDATION', `no exchange rate for ${currency} in the rate table (base ${table.base})`);
  const [whole, frac = ''] = r.split('.');
  if (!/^\d+$/.test(whole ?? '') || !/^\d*$/.test(frac) || Number(r) <= 0) throw new AppError('VALIDATION', `invalid exchange rate for ${currency}: "${r}"`);
  return BigInt(whole!) * RATE_SCALE + BigInt((frac + '000000000').slice(0, 9));
}

/** Converts an exact amount between currencies through the table's base, rounding once (half away from zero). */
export function convertMoney(amount: Micros, from: string, to: string, table: RateTable): Micros {
  if (from === to) return amount;
  return divRound(amount * rateOf(table, to), rateOf(table, from));
}
