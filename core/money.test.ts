import { describe, expect, it } from 'vitest';
import { formatMoney, moneyFromNumber, parseMoney, ratio, sumMoney, toDecimalString } from './money.js';

describe('money', () => {
  it('parses decimal strings exactly', () => {
    expect(parseMoney('12.34')).toBe(12_340_000n);
    expect(parseMoney('-0.5')).toBe(-500_000n);
    expect(parseMoney('7')).toBe(7_000_000n);
    expect(parseMoney('0.0000005')).toBe(1n);
    expect(parseMoney('1.123456')).toBe(1_123_456n);
  });
  it('rejects what is not an amount', () => {
    expect(() => parseMoney('12,3')).toThrow(/not a decimal amount/);
    expect(() => parseMoney('abc')).toThrow();
    expect(() => moneyFromNumber(Number.NaN)).toThrow();
  });
  it('sums without float error', () => {
    const tenCents = parseMoney('0.1');
    const total = sumMoney(Array.from({ length: 10 }, () => tenCents));
    expect(total).toBe(1_000_000n);
    expect(formatMoney(total)).toBe('1.00');
  });
  it('formats with rounding half away from zero', () => {
    expect(formatMoney(1_005_000n)).toBe('1.01');
    expect(formatMoney(-1_005_000n)).toBe('-1.01');
    expect(formatMoney(999_999n, 0)).toBe('1');
    expect(toDecimalString(1n)).toBe('0.000001');
  });
  it('computes ratios and refuses to divide by zero', () => {
    expect(ratio(parseMoney('300'), parseMoney('100'))).toBe(3);
    expect(ratio(1n, 0n)).toBeNull();
  });
});
