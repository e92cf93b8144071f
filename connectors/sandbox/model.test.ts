import { describe, expect, it } from 'vitest';
import { generateCampaign, hill, simulateDay } from './model.js';

describe('sandbox model', () => {
  it('is deterministic by seed', () => {
    expect(generateCampaign(42, 'meta', 3)).toEqual(generateCampaign(42, 'meta', 3));
    expect(generateCampaign(42, 'meta', 3)).not.toEqual(generateCampaign(43, 'meta', 3));
    const { truth, budget } = generateCampaign(42, 'google_ads', 0);
    expect(simulateDay(truth, budget, true, 0, '2026-01-05', 42, 'c1')).toEqual(simulateDay(truth, budget, true, 0, '2026-01-05', 42, 'c1'));
  });
  it('saturates: doubling the budget less than doubles conversions at the top of the curve', () => {
    const { truth } = generateCampaign(7, 'tiktok', 1);
    const h = truth.curve.half;
    expect(hill(truth.curve, 4 * h) / hill(truth.curve, 2 * h)).toBeLessThan(2);
    expect(hill(truth.curve, 0)).toBe(0);
  });
  it('spends nothing and converts from carry-over only when paused', () => {
    const { truth, budget } = generateCampaign(1, 'linkedin', 2);
    const day = simulateDay(truth, budget, false, 0, '2026-03-03', 1, 'x');
    expect(day.spendCents).toBe(0);
    expect(day.impressions).toBe(0);
    expect(day.conversions).toBe(0);
  });
  it('responds to budget: more budget, more spend and (on average) more value', () => {
    const { truth } = generateCampaign(5, 'google_ads', 4);
    let low = 0;
    let high = 0;
    for (let i = 0; i < 60; i++) {
      const d = `2026-01-${String((i % 28) + 1).padStart(2, '0')}`;
      low += simulateDay(truth, 100, true, 100 / (1 - truth.adstock), d, i, 'c').valueCents;
      high += simulateDay(truth, 400, true, 400 / (1 - truth.adstock), d, i, 'c').valueCents;
    }
    expect(high).toBeGreaterThan(low);
  });
});
