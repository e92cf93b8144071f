import { describe, expect, it } from 'vitest';
import { generateScenario, truthConversions } from '../../bench/optimizer/generate.js';
import { fitCampaign } from '../optimizer/fit.js';
import { buildModel } from '../optimizer/model.js';
import { forecast, predictRoi } from './forecast.js';

describe('forecast', () => {
  const { scenario, truth } = generateScenario({ seed: 4242, campaigns: 12, objective: 'revenue' });
  const inputs = scenario.campaigns.map((c) => ({
    campaignId: c.id,
    model: buildModel(fitCampaign(c.history, c.currentDailyBudget)!),
    dailyBudget: c.currentDailyBudget,
  }));

  it('forecasts each campaign and the portfolio over the next days, with intervals that cover the truth', () => {
    const f = forecast(inputs, '2026-10-29', 14);
    expect(f.campaigns).toHaveLength(12);
    expect(f.portfolio.days).toHaveLength(14);
    let covered = 0;
    for (const c of f.campaigns) {
      const t = truth.campaigns.find((x) => x.id === c.campaignId)!;
      const b = scenario.campaigns.find((x) => x.id === c.campaignId)!.currentDailyBudget;
      const trueTotal = 14 * truthConversions(t, b);
      if (trueTotal >= c.total.conversions.low * 0.9 && trueTotal <= c.total.conversions.high * 1.1) covered++;
      expect(c.total.conversions.low).toBeLessThanOrEqual(c.total.conversions.value);
    }
    expect(covered).toBeGreaterThanOrEqual(9);
    const sum = f.campaigns.reduce((a, c) => a + c.total.revenue.value, 0);
    expect(f.portfolio.total.revenue.value).toBeCloseTo(sum, 6);
    // Portfolio interval is narrower than the sum of campaign intervals (independent curves).
    const widthSum = f.campaigns.reduce((a, c) => a + (c.total.revenue.high - c.total.revenue.value), 0);
    expect(f.portfolio.total.revenue.high - f.portfolio.total.revenue.value).toBeLessThan(widthSum);
  });

  it('applies weekly seasonality day by day', () => {
    const f = forecast(inputs.slice(0, 1), '2026-11-02', 7);
    const values = f.campaigns[0]!.days.map((d) => d.conversions.value);
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('answers what-if budgets with ROAS and ROI intervals', () => {
    const now = predictRoi(inputs);
    const doubled = predictRoi(inputs.map((i) => ({ ...i, dailyBudget: i.dailyBudget * 2 })));
    expect(doubled.spend).toBeCloseTo(now.spend * 2, 6);
    expect(doubled.revenue.value).toBeGreaterThan(now.revenue.value);
    expect(doubled.roas!.value).toBeLessThan(now.roas!.value); // diminishing returns
    expect(now.roi!.value).toBeCloseTo(now.roas!.value - 1, 9);
  });
});
