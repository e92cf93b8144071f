// Meta states budgets and bid amounts as integers in the currency's minor unit, with a per-currency offset
// (Marketing API "Currency codes": 100 for most — $50.00 is 5000 — and 1 for CLP, COP, CRC, HUF, ISK, IDR, JPY,
// KRW, PYG, TWD, VND — ¥5000 is 5000). Spend in insights is a plain decimal string. Conversions here are exact:
// an amount that the currency's minor unit cannot hold is refused, never rounded.
import { formatMoney, type Micros, parseMoney } from '../../core/money.js';
import { ValidationError } from '../errors.js';

const OFFSET_ONE = new Set(['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);

/** Minor units per currency unit, as Meta counts them. */
export function currencyOffset(currency: string): 1n | 100n {
  return OFFSET_ONE.has(currency.toUpperCase()) ? 1n : 100n;
}

/** Digits after the decimal point that Meta's minor unit allows (2 or 0). */
export function currencyDigits(currency: string): number {
  return currencyOffset(currency) === 100n ? 2 : 0;
}

/** "5000" (minor units) → "50.00" in USD, "5000" in JPY. */
export function minorToDecimal(minor: string | number, currency: string): string {
  const text = String(minor).trim();
  if (!/^\d+$/.test(text)) throw new ValidationError(`meta: "${text}" is not an amount in minor units`, 'meta');
  const micros: Micros = (BigInt(text) * 1_000_000n) / currencyOffset(currency);
  return formatMoney(micros, currencyDigits(currency));
}

/** "50.00" → "5000" in USD; "5000" → "5000" in JPY; "49.999" (USD) or "5000.5" (JPY) → ValidationError. */
export function decimalToMinor(amount: string, currency: string): string {
  let micros: Micros;
  try {
    micros = parseMoney(amount);
  } catch {
    throw new ValidationError(`meta: "${amount}" is not an amount`, 'meta');
  }
  if (micros <= 0n) throw new ValidationError(`meta: an amount must be positive, got "${amount}"`, 'meta');
  const scaled = micros * currencyOffset(currency);
  if (scaled % 1_000_000n !== 0n) {
    const digits = currencyDigits(currency);
    throw new ValidationError(`meta: ${currency} amounts take ${digits === 0 ? 'no decimals' : `at most ${digits} decimals`}, got "${amount}"`, 'meta');
  }
  return (scaled / 1_000_000n).toString();
}
