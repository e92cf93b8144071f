import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_DAYS, parseScenario } from './scenario.js';

const scenario = (history: { date: string }[], campaigns = 1) => ({
  objective: 'conversions',
  constraints: { totalDailyBudget: 100 },
  campaigns: Array.from({ length: campaigns }, (_, i) => ({
    id: `c${i}`,
    currentDailyBudget: 100,
    history: history.map((h) => ({ ...h, spend: 10, conversions: 1, revenue: 0 })),
  })),
});

describe('scenario bounds (issue 11, finding 10)', () => {
  it('refuses dates outside 2000–2100 and histories spanning more than ten years, quickly', () => {
    const t0 = performance.now();
    expect(() => parseScenario(scenario([{ date: '0001-01-01' }, { date: '9999-12-31' }]))).toThrow(/between 2000-01-01 and 2100-12-31/);
    expect(() => parseScenario(scenario([{ date: '2000-01-01' }, { date: '2100-12-31' }]))).toThrow(
      /history spans 2000-01-01 to 2100-12-31; at most 3660 days/,
    );
    expect(() => parseScenario(scenario([{ date: '2026-02-30' }]))).toThrow(/real calendar date/);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
  it('refuses more daily rows per campaign than the span allows, and accepts ordinary histories', () => {
    const many = Array.from({ length: MAX_HISTORY_DAYS + 1 }, () => ({ date: '2026-01-01' }));
    expect(() => parseScenario(scenario(many))).toThrow(/at most 3660 daily rows per campaign/);
    expect(parseScenario(scenario([{ date: '2026-01-01' }, { date: '2026-05-01' }])).campaigns).toHaveLength(1);
  });
});
