// The one money type: exact fixed-point amounts held as integer micros (1e-6 of a currency unit) in a bigint.
// Platforms report micros (Google Ads) or decimal strings (Meta, TikTok, LinkedIn); Postgres stores NUMERIC.
// Sums and comparisons happen on bigints, so no float ever touches a money total.
import { AppError } from './errors.js';

export type Micros = bigint;
export const MICROS_PER_UNIT = 1_000_000n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses "12.34", "-0.5", "7" (and NUMERIC strings from Postgres) into micros. Rounds half away from zero past 6 digits. */
export function parseMoney(text: string): Micros {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new AppError('VALIDATION', `not a decimal amount: "${text}"`);
  const [, sign, whole, frac = ''] = m;
  const padded = (frac + '000000').slice(0, 6);
  let micros = BigInt(whole!) * MICROS_PER_UNIT + BigInt(padded);
  if (frac.length > 6 && Number(frac[6]) >= 5) micros += 1n;
  return sign ? -micros : micros;
}

/** From a number that is already a rounded decimal (e.g. a JSON amount); never use for sums. */
export function moneyFromNumber(n: number): Micros {
  if (!Number.isFinite(n)) throw new AppError('VALIDATION', `not a finite amount: ${n}`);
  return BigInt(Math.round(n * 1e6));
}

/** Exact decimal string with `digits` fraction digits (default 2), rounding half away from zero. */
export function formatMoney(micros: Micros, digits = 2): string {
  const neg = micros < 0n;
  let abs = neg ? -micros : micros;
  const scale = 10n ** BigInt(6 - digits);
  abs = (abs + scale / 2n) / scale;
  const unit = 10n ** BigInt(digits);
  const whole = abs / unit;
  const frac = digits > 0 ? '.' + (abs % unit).toString().padStart(digits, '0') : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** Decimal string with all 6 digits, for NUMERIC columns. */
export function toDecimalString(micros: Micros): string {
  return formatMoney(micros, 6);
}

export function sumMoney(values: Iterable<Micros>): Micros {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** For model math and display only (ratios, plots): the float value of an exact amount. */
export function moneyToNumber(micros: Micros): number {
  return Number(micros) / 1e6;
}

/** Ratio of two exact amounts (e.g. ROAS = revenue / spend); null when the denominator is zero. */
export function ratio(numerator: Micros, denominator: Micros): number | null {
  if (denominator === 0n) return null;
  return Number((numerator * 1_000_000n) / denominator) / 1e6;
}

/**
 * The domain's limits for a daily budget, stated once: NUMERIC(18,6) holds 12 whole digits, and platforms take
 * budgets in cents. Schemas (API, CLI, MCP, web) and the store all check against these.
 */
export const MAX_BUDGET = '999999999999.99';
export const MAX_BUDGET_MICROS: Micros = 999_999_999_999_990_000n;
export const BUDGET_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/** Why a daily-budget text is not acceptable, or null when it is (positive, ≤ MAX_BUDGET, at most two decimals). */
export function budgetProblem(text: string): string | null {
  const t = text.trim();
  if (/^\d+\.\d{3,}$/.test(t)) return `"${t}" has more than two decimals (budgets are in cents, e.g. 12.35)`;
  if (!/^\d+(\.\d+)?$/.test(t)) return `"${t}" is not an amount (use e.g. 250 or 250.50)`;
  if (!BUDGET_PATTERN.test(t) || parseMoney(t) > MAX_BUDGET_MICROS) return `"${t}" is larger than the largest daily budget (${MAX_BUDGET})`;
  if (parseMoney(t) <= 0n) return 'a daily budget must be positive';
  return null;
}
