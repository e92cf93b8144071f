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
