import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { currencyOffset, decimalToMinor, minorToDecimal } from './currency.js';

describe('Meta currency offsets (Marketing API "Currency codes")', () => {
  it('uses offset 1 for the zero-decimal currencies and 100 for the rest', () => {
    for (const c of ['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']) expect(currencyOffset(c)).toBe(1n);
    for (const c of ['USD', 'EUR', 'GBP', 'BRL', 'INR', 'BHD', 'CHF']) expect(currencyOffset(c)).toBe(100n);
    expect(currencyOffset('krw')).toBe(1n);
  });

  it('converts minor units to decimals and back exactly', () => {
    expect(minorToDecimal('5000', 'USD')).toBe('50.00');
    expect(minorToDecimal('1', 'EUR')).toBe('0.01');
    expect(minorToDecimal('5000', 'JPY')).toBe('5000');
    expect(minorToDecimal('900719925474099312', 'USD')).toBe('9007199254740993.12'); // beyond float precision
    expect(decimalToMinor('50', 'USD')).toBe('5000');
    expect(decimalToMinor('0.10', 'EUR')).toBe('10');
    expect(decimalToMinor('12345', 'KRW')).toBe('12345');
    expect(decimalToMinor('12345.000', 'KRW')).toBe('12345');
  });

  it('refuses what the minor unit cannot hold, never rounding', () => {
    expect(() => decimalToMinor('10.005', 'USD')).toThrow(ValidationError);
    expect(() => decimalToMinor('100.5', 'JPY')).toThrow(/JPY amounts take no decimals/);
    expect(() => decimalToMinor('0', 'USD')).toThrow(ValidationError);
    expect(() => decimalToMinor('ten', 'USD')).toThrow(ValidationError);
    expect(() => minorToDecimal('12.5', 'USD')).toThrow(ValidationError);
  });
});
