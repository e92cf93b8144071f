import { describe, expect, it } from 'vitest';
import { bidAggression, generateCampaign, hill, initialBidTarget, simulateDay } from './model.js';

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
  it('bid targets: the starting value changes nothing; a higher target CPA buys more volume at a higher cost per result', () => {
    const { truth, budget } = generateCampaign(3, 'google_ads', 0);
    const bid = initialBidTarget(truth, budget, 'google_ads', 0)!;
    expect(bid.kind).toBe('target_cpa');
    expect(initialBidTarget(truth, budget, 'google_ads', 2)).toBeNull();
    expect(bidAggression(bid.kind, bid.value, bid.value)).toBe(1);
    expect(bidAggression('target_roas', '4', '5')).toBeCloseTo(1.25);
    expect(simulateDay(truth, budget, true, 0, '2026-01-05', 3, 'c')).toEqual(simulateDay(truth, budget, true, 0, '2026-01-05', 3, 'c', 1));
    const sum = (aggression: number) => {
      let spend = 0;
      let conv = 0;
      for (let i = 0; i < 200; i++) {
        const d = simulateDay(truth, budget, true, budget / (1 - truth.adstock), `2026-02-${String((i % 28) + 1).padStart(2, '0')}`, i, 'c', aggression);
        spend += d.spendCents;
        conv += d.conversions;
      }
      return { spend, conv, cpa: spend / conv };
    };
    const base = sum(1);
    const higher = sum(1.2);
    const lower = sum(0.8);
    expect(higher.spend).toBeGreaterThan(base.spend);
    expect(higher.conv).toBeGreaterThan(base.conv);
    expect(higher.cpa).toBeGreaterThan(base.cpa);
    expect(lower.spend).toBeLessThan(base.spend);
    expect(lower.cpa).toBeLessThan(base.cpa);
  });
});
