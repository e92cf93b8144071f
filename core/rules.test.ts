import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { evaluateRule, parseAction, parseCondition, type RuleCampaign, type RuleDefinition } from './rules.js';

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
});
