// The shared connector helpers: backoff, Retry-After, windows, chunks, amounts, redaction; and the exact ad-group
// budget split TikTok's connector relies on.
import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney, sumMoney } from '../core/money.js';
import { ValidationError } from './errors.js';
import { backoffMs, chunk, dateWindows, positiveAmount, redact, retryAfterMs } from './http.js';
import { splitBudget } from './tiktok/model.js';

describe('connector http helpers', () => {
  it('backs off exponentially from 1 s, capped at 5 min', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(50)).toBe(300_000);
    expect(backoffMs(0)).toBe(1_000);
  });

  it('reads Retry-After as seconds or an HTTP date; null when absent or unreadable', () => {
    expect(retryAfterMs('7')).toBe(7_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 20:00:30 GMT', Date.parse('2026-12-01T20:00:00Z'))).toBe(30_000);
    expect([retryAfterMs(null), retryAfterMs(''), retryAfterMs('soon')]).toEqual([null, null, null]);
  });

  it('cuts a range into windows and ids into chunks', () => {
    expect(dateWindows({ from: '2026-01-01', to: '2026-03-01' }, 30)).toEqual([
      { from: '2026-01-01', to: '2026-01-30' },
      { from: '2026-01-31', to: '2026-03-01' },
    ]);
    expect(dateWindows({ from: '2026-01-01', to: '2026-01-01' }, 30)).toEqual([{ from: '2026-01-01', to: '2026-01-01' }]);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('accepts positive decimal amounts (to whole cents) and refuses the rest', () => {
    expect(formatMoney(positiveAmount('12.345', 'budget', 'x'), 6)).toBe('12.350000');
    for (const bad of ['0', '-1', 'ten', '']) expect(() => positiveAmount(bad, 'budget', 'x')).toThrow(ValidationError);
  });

  it('masks secrets in platform text', () => {
    expect(redact('token abcdef123 is bad', { accessToken: 'abcdef123', short: 'ab' })).toBe('token *** is bad');
  });
});

describe('TikTok ad-group budget split', () => {
  it('splits in proportion, in whole cents, summing to the total exactly', () => {
    const m = (xs: string[]) => xs.map(parseMoney);
    expect(splitBudget(m(['30', '10']), parseMoney('50')).map((x) => formatMoney(x))).toEqual(['37.50', '12.50']);
    const three = splitBudget(m(['1', '1', '1']), parseMoney('1'));
    expect(three.map((x) => formatMoney(x))).toEqual(['0.34', '0.33', '0.33']);
    expect(splitBudget(m(['0', '0']), parseMoney('9.99')).map((x) => formatMoney(x))).toEqual(['5.00', '4.99']);
    const odd = splitBudget(m(['13.37', '200.01', '0.5']), parseMoney('77.77'));
    expect(formatMoney(sumMoney(odd))).toBe('77.77');
  });
});
