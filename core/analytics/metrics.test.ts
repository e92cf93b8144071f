import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from '../money.js';
import { addTotals, computeMetrics, convertMoney } from './metrics.js';

describe('metrics', () => {
  const t = { impressions: 120_000, clicks: 3_000, spend: parseMoney('1500.00'), conversions: '60', revenue: parseMoney('6000.00') };
  it('computes ROAS, ROI, CPA, CPC, CPM, CTR and CVR exactly', () => {
    const m = computeMetrics(t);
    expect(m.roas).toBe(4);
    expect(m.roi).toBe(3);
    expect(formatMoney(m.cpa!)).toBe('25.00');
    expect(formatMoney(m.cpc!)).toBe('0.50');
    expect(formatMoney(m.cpm!)).toBe('12.50');
    expect(m.ctr).toBe(0.025);
    expect(m.cvr).toBe(0.02);
  });
  it('returns null instead of dividing by zero', () => {
    const m = computeMetrics({ impressions: 0, clicks: 0, spend: 0n, conversions: 0, revenue: 0n });
    expect(m).toEqual({ roas: null, roi: null, cpa: null, cpc: null, cpm: null, ctr: null, cvr: null });
  });
  it('handles fractional conversions and sums exactly', () => {
    const sum = addTotals(t, { impressions: 1, clicks: 1, spend: parseMoney('0.10'), conversions: '0.5', revenue: parseMoney('0.20') });
    expect(formatMoney(sum.spend)).toBe('1500.10');
    expect(formatMoney(computeMetrics(sum).cpa!)).toBe('24.80'); // 1500.10 / 60.5 = 24.7950…
  });
  it('converts currencies exactly through the base and rejects unknown ones', () => {
    const rates = { base: 'USD', rates: { EUR: '0.92', JPY: '151.37' } };
    expect(formatMoney(convertMoney(parseMoney('100'), 'USD', 'EUR', rates))).toBe('92.00');
    expect(formatMoney(convertMoney(parseMoney('92'), 'EUR', 'USD', rates))).toBe('100.00');
    expect(formatMoney(convertMoney(parseMoney('100'), 'EUR', 'JPY', rates))).toBe('16453.26');
    expect(() => convertMoney(1n, 'USD', 'GBP', rates)).toThrow(/no exchange rate for GBP/);
  });
});
