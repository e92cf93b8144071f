import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import {
  evaluateRule,
  globMatch,
  MIN_COOLDOWN_HOURS,
  parseAction,
  parseCondition,
  validateRuleDefinition,
  type RuleCampaign,
  type RuleDefinition,
} from './rules.js';

const days = (n: number, spend: string, conv: string, revenue = '0') =>
  Array.from({ length: n }, (_, i) => ({ date: addDays('2026-11-17', i), spend, revenue, conversions: conv, clicks: 100, impressions: 5000 }));
const campaign = (over: Partial<RuleCampaign>): RuleCampaign => ({
  id: 'c1',
  name: 'Prospecting US',
  platform: 'meta',
  accountId: 'a1',
  status: 'ACTIVE',
  dailyBudget: '100.00',
  days: days(7, '60.00', '1'),
  ...over,
});
const rule = (over: Partial<RuleDefinition> = {}): RuleDefinition => ({
  scope: {},
  condition: parseCondition('cpa(7d) > 50 and spend(7d) > 200'),
  action: { type: 'pause' },
  cooldownHours: 24,
  requiresApproval: true,
  ...over,
});

describe('rules', () => {
  it('parses conditions with AND/OR and parentheses, and actions', () => {
    expect(parseCondition('cpa(7d) > 50 and spend(7d) > 200')).toEqual({
      all: [
        { metric: 'cpa', days: 7, op: '>', value: 50 },
        { metric: 'spend', days: 7, op: '>', value: 200 },
      ],
    });
    expect(parseCondition('roas(14d) < 1.5 or (conversions(3d) < 1 and spend(3d) >= 100)')).toEqual({
      any: [
        { metric: 'roas', days: 14, op: '<', value: 1.5 },
        {
          all: [
            { metric: 'conversions', days: 3, op: '<', value: 1 },
            { metric: 'spend', days: 3, op: '>=', value: 100 },
          ],
        },
      ],
    });
    expect(parseAction('budget -20%')).toEqual({ type: 'budget_pct', pct: -0.2 });
    expect(parseAction('budget to 150')).toEqual({ type: 'budget_to', amount: '150' });
    expect(() => parseCondition('cpm(7d) > 5')).toThrow(/unknown metric "cpm"/);
    expect(() => parseCondition('cpa(7d) 50')).toThrow(/expected > >= < <=/);
    expect(() => parseAction('budget -100%')).toThrow(/between -99% and \+1000%/);
  });

  it('fires with an explanation when the condition holds over the window', () => {
    const [f] = evaluateRule(rule(), [campaign({})], '2026-11-24', '2026-11-24T06:00:00Z');
    expect(f!.skipped).toBeUndefined();
    expect(f!.explanation).toBe('CPA over 7 days = 60.00 > 50 AND SPEND over 7 days = 420.00 > 200');
  });

  it('does not fire when a part of an AND fails, nor outside its scope', () => {
    expect(evaluateRule(rule(), [campaign({ days: days(7, '20.00', '1') })], '2026-11-24', '2026-11-24T06:00:00Z')).toEqual([]);
    expect(evaluateRule(rule({ scope: { platforms: ['google_ads'] } }), [campaign({})], '2026-11-24', '2026-11-24T06:00:00Z')).toEqual([]);
    expect(evaluateRule(rule({ scope: { namePattern: 'Brand*' } }), [campaign({})], '2026-11-24', '2026-11-24T06:00:00Z')).toEqual([]);
    expect(evaluateRule(rule({ scope: { namePattern: 'prospecting*' } }), [campaign({})], '2026-11-24', '2026-11-24T06:00:00Z')).toHaveLength(1);
  });

  it('respects the cooldown and skips actions that do not apply', () => {
    const now = '2026-11-24T06:00:00Z';
    expect(evaluateRule(rule(), [campaign({})], '2026-11-24', now, { c1: '2026-11-23T12:00:00Z' })[0]!.skipped).toBe('cooldown');
    expect(evaluateRule(rule(), [campaign({})], '2026-11-24', now, { c1: '2026-11-22T12:00:00Z' })[0]!.skipped).toBeUndefined();
    expect(evaluateRule(rule(), [campaign({ status: 'PAUSED' })], '2026-11-24', now)[0]!.skipped).toBe('not-applicable');
  });

  it('computes new budgets exactly for percentage and absolute actions', () => {
    const now = '2026-11-24T06:00:00Z';
    expect(evaluateRule(rule({ action: { type: 'budget_pct', pct: -0.2 } }), [campaign({ dailyBudget: '123.45' })], '2026-11-24', now)[0]!.newBudget).toBe(
      '98.76',
    );
    expect(evaluateRule(rule({ action: { type: 'budget_to', amount: '150' } }), [campaign({})], '2026-11-24', now)[0]!.newBudget).toBe('150.00');
  });

  it('acts only on its schedule', () => {
    const r = rule({ schedule: { weekdays: [1, 2, 3, 4, 5], hours: [6] } });
    expect(evaluateRule(r, [campaign({})], '2026-11-24', '2026-11-24T06:30:00Z')).toHaveLength(1); // Tuesday 06h UTC
    expect(evaluateRule(r, [campaign({})], '2026-11-24', '2026-11-24T07:30:00Z')).toEqual([]);
    expect(evaluateRule(r, [campaign({})], '2026-11-22', '2026-11-22T06:30:00Z')).toEqual([]); // Sunday
  });

  it('treats an undefined ratio as not matching (no conversions means no CPA)', () => {
    const [f] = evaluateRule(
      rule({ condition: parseCondition('cpa(7d) > 50 or roas(7d) < 1') }),
      [campaign({ days: days(7, '60.00', '0', '0') })],
      '2026-11-24',
      '2026-11-24T06:00:00Z',
    );
    expect(f!.explanation).toBe('ROAS over 7 days = 0.000 < 1');
  });

  it('matches name globs case-insensitively, with * and ?', () => {
    expect(globMatch('brand*', 'Brand Search US')).toBe(true);
    expect(globMatch('*search*', 'Brand Search US')).toBe(true);
    expect(globMatch('*US', 'Brand Search US')).toBe(true);
    expect(globMatch('B?and*', 'Brand')).toBe(true);
    expect(globMatch('*a*a', 'a')).toBe(false);
    expect(globMatch('a*b*c', 'abc')).toBe(true);
    expect(globMatch('a*b*c', 'acb')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('[x]+(y).$', '[X]+(Y).$')).toBe(true); // regex metacharacters are plain text
  });

  it('matches 14 stars against a long name in steps linear in the name (issue 11, finding 8)', () => {
    // 14 stars each: catastrophic for a backtracking `.*` regex on a name that does not match.
    const patterns = [`${'*a'.repeat(12)}*c*`, `${'*'.repeat(13)}aaaaaaaab*`];
    const steps = (pattern: string, n: number) => {
      const stats = { steps: 0 };
      expect(globMatch(pattern, 'a'.repeat(n), stats)).toBe(false);
      return stats.steps;
    };
    const t0 = performance.now();
    for (const pattern of patterns) {
      const s1 = steps(pattern, 2_000);
      const s2 = steps(pattern, 4_000);
      expect(s1).toBeGreaterThan(1_000); // it did look at the name
      expect(s1).toBeLessThanOrEqual(pattern.length * 2_001);
      expect(s2 / s1).toBeLessThan(2.1); // twice the name, about twice the work
    }
    expect(performance.now() - t0).toBeLessThan(1_000); // generous: the regex took 22.7 s on 20 characters
    const stats = { steps: 0 };
    expect(globMatch('*'.repeat(14), 'x'.repeat(20), stats)).toBe(true);
    expect(stats.steps).toBe(0);
  });

  it('refuses invalid rules when they are saved, naming every problem (issue 11, finding 6)', () => {
    const ok = rule();
    expect(validateRuleDefinition(ok, 'ok')).toMatchObject({ cooldownHours: 24 });
    expect(() => validateRuleDefinition(rule({ action: { type: 'budget_to', amount: '0' } }), 'zero')).toThrow(/budget to 0 or below/);
    expect(() => validateRuleDefinition(rule({ action: { type: 'budget_to', amount: '-5' } }))).toThrow(/not an amount|0 or below/);
    expect(() => validateRuleDefinition(rule({ action: { type: 'budget_to', amount: '1000000000000' } }))).toThrow(/larger than the largest daily budget/);
    expect(() => validateRuleDefinition(rule({ action: { type: 'budget_pct', pct: -1 } }))).toThrow(/between -99% and \+1000%/);
    expect(() => validateRuleDefinition(rule({ cooldownHours: 0 }))).toThrow(/cooldown: 1 to 2160 hours/);
    expect(() => validateRuleDefinition(rule({ scope: { namePattern: '*'.repeat(300) } }))).toThrow(/longer than 200/);
    expect(() => validateRuleDefinition(rule({ scope: { platforms: ['myspace'] } }))).toThrow(/unknown platform "myspace"/);
    expect(() => validateRuleDefinition(rule(), 'evil\u001b[8m')).toThrow(/control characters/);
    expect(() => validateRuleDefinition(rule({ schedule: { hours: [24] } }))).toThrow(/hours are 0 to 23/);
    expect(() => validateRuleDefinition(rule({ condition: { metric: 'cpm' as never, days: 7, op: '>', value: 1 } }))).toThrow(/unknown metric "cpm"/);
    const both = () => validateRuleDefinition(rule({ cooldownHours: 0, action: { type: 'budget_to', amount: '0' } }), 'x');
    expect(both).toThrow(/budget to 0[\s\S]*cooldown/);
    expect(validateRuleDefinition(rule({ scope: { platforms: [] } })).scope.platforms).toBeUndefined();
  });

  it('enforces a minimum cooldown even for a stored rule with cooldown 0 (issue 11, finding 10)', () => {
    const now = '2026-11-24T06:00:00Z';
    const justFired = { c1: new Date(Date.parse(now) - (MIN_COOLDOWN_HOURS * 3_600_000) / 2).toISOString() };
    expect(evaluateRule(rule({ cooldownHours: 0 }), [campaign({})], '2026-11-24', now, justFired)[0]!.skipped).toBe('cooldown');
  });

  it('does not change campaigns without a budget of their own (shared budgets), and never proposes a budget of 0', () => {
    const now = '2026-11-24T06:00:00Z';
    const [f] = evaluateRule(rule(), [campaign({ dailyBudget: null })], '2026-11-24', now);
    expect(f).toMatchObject({ skipped: 'not-applicable', note: 'the campaign has no daily budget of its own' });
    expect(evaluateRule(rule({ action: { type: 'alert' } }), [campaign({ dailyBudget: null })], '2026-11-24', now)[0]!.skipped).toBeUndefined();
    const tiny = evaluateRule(rule({ action: { type: 'budget_pct', pct: -0.99 } }), [campaign({ dailyBudget: '0.004' })], '2026-11-24', now)[0]!;
    expect(tiny.skipped).toBe('not-applicable');
  });

  it('adjusts a bid target by ±N % or to a value, only where the campaign bids with one', () => {
    expect(parseAction('bid +10%')).toEqual({ type: 'bid_pct', pct: 0.1 });
    expect(parseAction('bid to 12.50')).toEqual({ type: 'bid_to', value: '12.50' });
    expect(() => parseAction('bid -100%')).toThrow(/bid target change is between -99% and \+1000%/);
    expect(() => parseAction('bid to 0')).toThrow(/above 0/);
    expect(() => validateRuleDefinition(rule({ action: { type: 'bid_to', value: 'x' } }))).toThrow(/not a bid target/);
    const now = '2026-11-24T08:00:00Z';
    const cpa = { kind: 'target_cpa' as const, value: '40.00' };
    const [f] = evaluateRule(rule({ action: { type: 'bid_pct', pct: -0.1 } }), [campaign({ bidTarget: cpa })], '2026-11-24', now);
    expect(f).toMatchObject({ fromBid: cpa, newBid: { kind: 'target_cpa', value: '36.00' } });
    expect(f!.skipped).toBeUndefined();
    const roas = evaluateRule(
      rule({ action: { type: 'bid_to', value: '3.5' } }),
      [campaign({ bidTarget: { kind: 'target_roas', value: '3.2' } })],
      '2026-11-24',
      now,
    )[0]!;
    expect(roas.newBid).toEqual({ kind: 'target_roas', value: '3.5000' });
    // No bid target, or a shared budget (no budget of its own): a bid action still needs only the target.
    expect(evaluateRule(rule({ action: { type: 'bid_pct', pct: 0.1 } }), [campaign({ bidTarget: null })], '2026-11-24', now)[0]).toMatchObject({
      skipped: 'not-applicable',
      note: expect.stringMatching(/no bid target/),
    });
    expect(
      evaluateRule(rule({ action: { type: 'bid_pct', pct: 0.1 } }), [campaign({ bidTarget: cpa, dailyBudget: null })], '2026-11-24', now)[0]!.skipped,
    ).toBeUndefined();
  });
});
