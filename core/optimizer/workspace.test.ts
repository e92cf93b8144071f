import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.js';
import { FxTable } from '../fx.js';
import { parseMoney } from '../money.js';
import { optimizeWorkspace, type WorkspaceAccount, type WorkspaceOptimizeInput } from './workspace.js';

// A tiny deterministic world: Hill curves, budgets that moved in two-week blocks, a little noise.
function rand(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const END = '2026-06-30';

function account(id: string, platform: string, currency: string, spec: { budget: number; half: number; roas: number }[], rate = 1, seed = 1): WorkspaceAccount {
  const r = rand(seed);
  return {
    id,
    name: id,
    platform,
    currency,
    campaigns: spec.map((s, i) => {
      const aov = 50;
      const ceiling = (2 * s.roas * s.half) / aov;
      const history = Array.from({ length: 90 }, (_, d) => {
        const block = Math.floor((89 - d) / 14);
        const budget = block === 0 ? s.budget : s.budget * (0.55 + 0.9 * rand(seed * 100 + i * 10 + block)());
        const spend = budget * 0.95;
        const conv = ((ceiling * spend ** 1.2) / (spend ** 1.2 + s.half ** 1.2)) * (1 + 0.05 * (r() - 0.5));
        return {
          date: addDays(END, d - 89),
          spend: (spend / rate).toFixed(2),
          revenue: ((conv * aov) / rate).toFixed(2),
          conversions: Math.round(conv * 100) / 100,
        };
      });
      return { id: `${id}-c${i}`, name: `${id} ${i}`, dailyBudget: (s.budget / rate).toFixed(2), history };
    }),
  };
}

// Google is starved (half-saturation far above its budget, high ROAS); Meta is saturated.
const starved = [
  { budget: 100, half: 600, roas: 5 },
  { budget: 150, half: 700, roas: 4.5 },
];
const saturated = [
  { budget: 400, half: 60, roas: 1.5 },
  { budget: 350, half: 50, roas: 1.4 },
];

const base = (accounts: WorkspaceAccount[], extra: Partial<WorkspaceOptimizeInput> = {}): WorkspaceOptimizeInput => ({
  name: 'ws',
  reportCurrency: 'USD',
  asOf: END,
  objective: 'revenue',
  riskAversion: 0.2,
  accounts,
  ...extra,
});

const share = (plan: ReturnType<typeof optimizeWorkspace>, platform: string) => plan.platforms.find((p) => p.platform === platform)!;

describe('optimizeWorkspace', () => {
  it('moves budget across platforms within the same total, and sends one set of moves per account', () => {
    const plan = optimizeWorkspace(base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)]));
    expect(share(plan, 'google_ads').plannedShare).toBeGreaterThan(share(plan, 'google_ads').currentShare + 0.05);
    expect(parseMoney(plan.allocatedDailyBudget)).toBeLessThanOrEqual(parseMoney(plan.totalDailyBudget));
    expect(plan.expectedTotal.value).toBeGreaterThan(plan.expectedTotal.atCurrent);
    expect(plan.accounts.map((a) => a.accountId)).toEqual(['g', 'm']);
    expect(plan.accounts.every((a) => a.moves.length > 0)).toBe(true);
    for (const c of plan.campaigns) expect(c.to).toMatch(/^\d+\.\d{2}$/);
  });

  it('honours a per-platform max share', () => {
    const plan = optimizeWorkspace(
      base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)], { platformShare: { google_ads: { max: 0.3 } } }),
    );
    expect(share(plan, 'google_ads').plannedShare).toBeLessThanOrEqual(0.3 + 0.001);
    expect(share(plan, 'google_ads').bound).toEqual({ max: 0.3 });
  });

  it('honours a per-platform min share', () => {
    const plan = optimizeWorkspace(
      base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)], { platformShare: { meta: { min: 0.7 } } }),
    );
    expect(share(plan, 'meta').plannedShare).toBeGreaterThanOrEqual(0.7 - 0.001);
  });

  it('holds locked campaigns at their current budget, exactly', () => {
    const plan = optimizeWorkspace(base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)], { locked: ['m-c0'] }));
    const locked = plan.campaigns.find((c) => c.campaignId === 'm-c0')!;
    expect(locked.locked).toBe(true);
    expect(locked.to).toBe(locked.from);
    expect(plan.accounts.find((a) => a.accountId === 'm')!.moves.map((m) => m.campaignId)).not.toContain('m-c0');
  });

  it('plans in the report currency and returns each budget in its account currency', () => {
    // Meta's account is in EUR (1 EUR = 1.25 USD); the same world as the all-USD one, so the same plan in USD.
    const rates = Array.from({ length: 100 }, (_, d) => ({ base: 'EUR', quote: 'USD', date: addDays(END, d - 95), rate: '1.25' }));
    const fx = new FxTable(rates);
    const usd = optimizeWorkspace(base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)]));
    const eur = optimizeWorkspace(base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'EUR', saturated, 1.25, 2)]), fx);
    const m = eur.accounts.find((a) => a.accountId === 'm')!;
    expect(m.currency).toBe('EUR');
    expect(m.currentTotal).toBe('600.00'); // 750 USD
    for (const c of eur.campaigns.filter((c) => c.accountId === 'm')) {
      const inUsd = Number(c.to) * 1.25;
      expect(Math.abs(inUsd - Number(c.toReport))).toBeLessThan(0.02);
    }
    expect(Math.abs(share(eur, 'meta').plannedShare - share(usd, 'meta').plannedShare)).toBeLessThan(0.03);
    // Without rates a foreign account is an error naming the pair, never a silent 1:1.
    expect(() => optimizeWorkspace(base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'EUR', saturated, 1.25, 2)]))).toThrow(/EUR→USD/);
  });

  it('profit objective with a thin margin gives budget back; conversions objective plans too', () => {
    const thin = optimizeWorkspace(
      base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)], { objective: 'profit', margin: 0.1 }),
    );
    expect(thin.margin).toBe(0.1);
    expect(Number(thin.allocatedDailyBudget)).toBeLessThan(Number(thin.totalDailyBudget) * 0.9);
    const conv = optimizeWorkspace(
      base([account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)], { objective: 'conversions' }),
    );
    expect(conv.expectedTotal.value).toBeGreaterThan(conv.expectedTotal.atCurrent);
  });

  it('more risk aversion moves less', () => {
    const accounts = [account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)];
    const moved = (risk: number) =>
      optimizeWorkspace(base(accounts, { riskAversion: risk })).campaigns.reduce((s, c) => s + Math.abs(Number(c.toReport) - Number(c.fromReport)), 0);
    expect(moved(3)).toBeLessThanOrEqual(moved(0) + 0.01);
  });

  it('refuses bad options with a specific message', () => {
    const accounts = [account('g', 'google_ads', 'USD', starved), account('m', 'meta', 'USD', saturated, 1, 2)];
    expect(() => optimizeWorkspace(base(accounts, { locked: ['nope'] }))).toThrow(/locked campaign\(s\) not in the plan's scope: nope/);
    expect(() => optimizeWorkspace(base(accounts, { platformShare: { tiktok: { max: 0.2 } } }))).toThrow(/tiktok, which has no campaign/);
    expect(() => optimizeWorkspace(base(accounts, { platformShare: { meta: { min: 0.6 }, google_ads: { min: 0.6 } } }))).toThrow(/add up to 1.20/);
    expect(() => optimizeWorkspace(base(accounts, { platformShare: { meta: { min: 0.6, max: 0.5 } } }))).toThrow(/min share 0.6 > max share 0.5/);
    expect(() => optimizeWorkspace(base(accounts, { objective: 'profit' }))).toThrow(/needs a margin/);
    expect(() => optimizeWorkspace(base([]))).toThrow(/nothing to optimize/);
  });

  it('keeps account guardrails: the change limit per step and the minimum budget', () => {
    const g = { ...account('g', 'google_ads', 'USD', starved), maxChangePct: 0.2 };
    const m = { ...account('m', 'meta', 'USD', saturated, 1, 2), minBudget: '330' };
    const plan = optimizeWorkspace(base([g, m]));
    for (const c of plan.campaigns.filter((c) => c.accountId === 'g')) expect(Number(c.to)).toBeLessThanOrEqual(Number(c.from) * 1.2 + 0.01);
    for (const c of plan.campaigns.filter((c) => c.accountId === 'm')) expect(Number(c.to)).toBeGreaterThanOrEqual(330 - 0.01);
  });
});
