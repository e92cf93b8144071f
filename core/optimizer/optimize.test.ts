import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../bench/optimizer/generate.js';
import { optimize } from './optimize.js';
import { bounds, parseScenario, type Scenario } from './scenario.js';

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const budgets = (r: ReturnType<typeof optimize>) => r.allocations.map((a) => a.dailyBudget);

function feasible(s: Scenario, r: ReturnType<typeof optimize>) {
  expect(r.allocations.map((a) => a.campaignId)).toEqual(s.campaigns.map((c) => c.id));
  expect(sum(budgets(r))).toBeLessThanOrEqual(s.constraints.totalDailyBudget + 1e-6);
  s.campaigns.forEach((c, i) => {
    const [lo, hi] = bounds(s, c);
    expect(r.allocations[i]!.dailyBudget).toBeGreaterThanOrEqual(lo - 0.01);
    expect(r.allocations[i]!.dailyBudget).toBeLessThanOrEqual(hi + 0.01);
  });
}

const base = (seed: number, over: Partial<Parameters<typeof generateScenario>[0]> = {}) => parseScenario(generateScenario({ seed, ...over }).scenario);

describe('optimize', () => {
  const examples = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'optimizer', 'examples');
  it.runIf(existsSync(examples))('answers every shared example with a feasible, correctly-shaped plan', () => {
    for (const f of readdirSync(examples).filter((x) => x.endsWith('.scenario.json'))) {
      const s = parseScenario(JSON.parse(readFileSync(path.join(examples, f), 'utf8')));
      const r = optimize(s);
      feasible(s, r);
      for (const a of r.allocations) {
        expect(a.expected.low).toBeLessThanOrEqual(a.expected.value);
        expect(a.expected.high).toBeGreaterThanOrEqual(a.expected.value);
        expect(a.reasons.length).toBeGreaterThan(0);
      }
    }
  });

  it('plans every objective within bounds and total, spending it all for revenue and conversions', () => {
    for (const objective of ['revenue', 'conversions', 'profit'] as const) {
      const s = base(11, { objective });
      const r = optimize(s);
      feasible(s, r);
      if (objective !== 'profit') expect(sum(budgets(r))).toBeGreaterThan(s.constraints.totalDailyBudget - 1);
    }
  });

  it('keeps a locked campaign exactly as it is', () => {
    const s = base(12);
    s.campaigns[0]!.locked = true;
    const r = optimize(s);
    expect(r.allocations[0]!.dailyBudget).toBe(s.campaigns[0]!.currentDailyBudget);
    expect(r.allocations[0]!.reasons[0]!.code).toBe('locked');
  });

  it('holds a campaign with no history and says why', () => {
    const s = base(13);
    s.campaigns[1]!.history = [];
    const r = optimize(s);
    expect(r.allocations[1]!.dailyBudget).toBeCloseTo(s.campaigns[1]!.currentDailyBudget, 2);
    expect(r.allocations[1]!.reasons.map((x) => x.code)).toContain('insufficient-data-held');
    feasible(s, r);
  });

  it('returns the closest feasible plan and a warning when minimums exceed the total', () => {
    const s = base(14);
    for (const c of s.campaigns) c.minDailyBudget = c.currentDailyBudget;
    s.constraints.totalDailyBudget = Math.round(sum(s.campaigns.map((c) => c.currentDailyBudget)) * 0.6);
    const r = optimize(s);
    expect(r.warnings.join(' ')).toMatch(/infeasible: minimum budgets add up to/);
    expect(sum(budgets(r))).toBeLessThanOrEqual(s.constraints.totalDailyBudget + 1e-6);
    expect(r.allocations.some((a) => a.reasons.some((x) => x.code === 'min-bound-relaxed'))).toBe(true);
  });

  it('warns when the bounds cannot absorb the whole budget', () => {
    const s = base(15);
    s.constraints.totalDailyBudget = sum(s.campaigns.map((c) => c.currentDailyBudget)) * 3;
    const r = optimize(s);
    expect(r.warnings.join(' ')).toMatch(/bounds cap the plan/);
    feasible(s, r);
  });

  it('moves money out when every campaign is saturated only as far as the bounds allow, and stays feasible', () => {
    const s = base(16);
    for (const c of s.campaigns) c.history = c.history.map((h) => ({ ...h, conversions: 10, revenue: 1000 })); // flat: spend buys nothing
    const r = optimize(s);
    feasible(s, r);
    expect(sum(budgets(r))).toBeGreaterThan(s.constraints.totalDailyBudget - 1); // revenue objective spends the budget
  });

  it('in target-ROAS mode spends only while the marginal ROAS stays above the target', () => {
    const s = base(17, { objective: 'revenue' });
    const free = optimize(s);
    s.target = { metric: 'roas', value: 4 };
    const r = optimize(s);
    expect(sum(budgets(r))).toBeLessThan(sum(budgets(free)));
    for (const a of r.allocations) {
      const c = s.campaigns.find((x) => x.id === a.campaignId)!;
      const [lo] = bounds(s, c);
      if (a.dailyBudget > lo + 1 && !c.locked && a.model.identified && a.marginal.after !== null) expect(a.marginal.after).toBeGreaterThan(4 * 0.7);
    }
  });

  it('honours a per-platform maximum share', () => {
    const s = base(18);
    s.constraints.platformShare = { meta: { max: 0.1 } };
    const r = optimize(s);
    const meta = sum(r.allocations.filter((a) => a.platform === 'meta').map((a) => a.dailyBudget));
    const metaMin = sum(s.campaigns.filter((c) => c.platform === 'meta').map((c) => bounds(s, c)[0]));
    expect(meta).toBeLessThanOrEqual(Math.max(0.1 * s.constraints.totalDailyBudget, metaMin) + 0.05);
  });

  it('is deterministic', () => {
    expect(optimize(base(19))).toEqual(optimize(base(19)));
  });

  it('rejects bad scenarios with specific messages', () => {
    const raw = generateScenario({ seed: 20, objective: 'profit' }).scenario;
    const noMargin = { ...raw, campaigns: raw.campaigns.map((c) => ({ ...c, margin: undefined })) };
    expect(() => parseScenario(noMargin)).toThrow(/profit objective needs a margin/);
    const dup = { ...raw, campaigns: [raw.campaigns[0], raw.campaigns[0]] };
    expect(() => parseScenario(dup)).toThrow(/duplicate campaign id/);
    expect(() => parseScenario({ ...raw, constraints: { totalDailyBudget: -5 } })).toThrow(/totalDailyBudget/);
    expect(() => parseScenario({ ...raw, objective: 'revenue', target: { metric: 'cpa', value: 10 } })).toThrow(/CPA target needs the conversions objective/);
  });
});
