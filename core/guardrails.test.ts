import { describe, expect, it } from 'vitest';
import { blackoutRemainingMs, DEFAULT_POLICY, evaluateGuardrails, parseGuardrailPolicy, type GuardrailContext, type GuardrailPolicy } from './guardrails.js';

const ctx = (over: Partial<GuardrailContext> = {}): GuardrailContext => ({
  now: '2026-11-24T12:00:00Z',
  localTime: '12:00',
  localWeekday: 2,
  accountBudgets: { a: '100.00', b: '200.00' },
  dayStartBudgets: { a: '100.00', b: '200.00' },
  lastChangeAt: {},
  changesToday: 0,
  ...over,
});
const policy = (over: Partial<GuardrailPolicy> = {}): GuardrailPolicy => ({ ...DEFAULT_POLICY, ...over });
const item = (to: string, campaignId = 'a') => ({
  campaignId,
  platform: 'google_ads',
  kind: 'budget' as const,
  fromBudget: campaignId === 'a' ? '100.00' : '200.00',
  toBudget: to,
});

describe('guardrails', () => {
  it('allows a change within every limit but asks a human', () => {
    const r = evaluateGuardrails(policy(), [item('140.00')], ctx());
    expect(r).toMatchObject({ allowed: true, requiresApproval: true, violations: [] });
  });
  it('enforces the max change per day against the budget the day started with', () => {
    const r = evaluateGuardrails(policy(), [item('140.00')], ctx({ dayStartBudgets: { a: '80.00' } }));
    expect(r.violations.map((v) => v.rule)).toEqual(['max_change_pct']);
    expect(r.violations[0]!.message).toMatch(/75% change today exceeds the 50% limit/);
  });
  it('enforces the minimum budget and the account spend cap', () => {
    const r = evaluateGuardrails(policy({ dailySpendCap: '300.00', maxChangePct: 5 }), [item('0.50'), item('300.00', 'b')], ctx());
    expect(r.violations.map((v) => v.rule).sort()).toEqual(['daily_spend_cap', 'min_budget']);
  });
  it('protects the learning phase per platform', () => {
    const r = evaluateGuardrails(policy(), [{ ...item('120.00'), platform: 'meta' }], ctx({ lastChangeAt: { a: '2026-11-23T09:00:00Z' } }));
    expect(r.violations[0]!.rule).toBe('learning_phase');
    expect(r.violations[0]!.message).toMatch(/3-day learning phase of meta/);
  });
  it('limits the number of changes per day and honours blackout windows across midnight', () => {
    expect(evaluateGuardrails(policy({ maxChangesPerDay: 3 }), [item('110.00')], ctx({ changesToday: 3 })).violations[0]!.rule).toBe('max_changes_per_day');
    const night = policy({ blackouts: [{ from: '22:00', to: '06:00' }] });
    expect(evaluateGuardrails(night, [item('110.00')], ctx({ localTime: '23:30' })).violations[0]!.rule).toBe('blackout');
    expect(evaluateGuardrails(night, [item('110.00')], ctx({ localTime: '07:00' })).allowed).toBe(true);
  });
  it('auto-approves small changes and emergency pauses when the policy says so', () => {
    const p = policy({ autoApprove: { maxChangePct: 0.1, emergencyPause: true } });
    expect(evaluateGuardrails(p, [item('108.00')], ctx()).requiresApproval).toBe(false);
    expect(evaluateGuardrails(p, [item('120.00')], ctx()).requiresApproval).toBe(true);
    const pause = [{ campaignId: 'a', platform: 'meta', kind: 'pause' as const, fromBudget: '100.00' }];
    expect(evaluateGuardrails(p, pause, ctx({ emergency: true, requesterRole: 'approver' })).requiresApproval).toBe(false);
    expect(evaluateGuardrails(p, pause, ctx()).requiresApproval).toBe(true);
  });
  it('auto-approves an emergency pause only when the policy switches it on and the role may declare it (issue 11, finding 5)', () => {
    const pause = [{ campaignId: 'a', platform: 'meta', kind: 'pause' as const, fromBudget: '100.00' }];
    const on = policy({ autoApprove: { emergencyPause: true } });
    expect(DEFAULT_POLICY.autoApprove?.emergencyPause).toBe(false);
    expect(evaluateGuardrails(policy(), pause, ctx({ emergency: true, requesterRole: 'admin' })).requiresApproval).toBe(true); // off by default
    const analyst = evaluateGuardrails(on, pause, ctx({ emergency: true, requesterRole: 'analyst' }));
    expect(analyst.requiresApproval).toBe(true);
    expect(analyst.notes.join(' ')).toMatch(/role \(analyst\) may not skip approval/);
    expect(evaluateGuardrails(on, pause, ctx({ emergency: true })).requiresApproval).toBe(true); // a rule or the optimizer: no role
    expect(evaluateGuardrails(on, pause, ctx({ emergency: true, requesterRole: 'approver' })).requiresApproval).toBe(false);
    const analystsToo = policy({ autoApprove: { emergencyPause: true, emergencyRoles: ['analyst'] } });
    expect(evaluateGuardrails(analystsToo, pause, ctx({ emergency: true, requesterRole: 'analyst' })).requiresApproval).toBe(false);
    expect(() => parseGuardrailPolicy({ autoApprove: { emergencyRoles: ['owner'] } })).toThrow(/emergencyRoles/);
  });
  it('rejects malformed requests with a clear message', () => {
    expect(evaluateGuardrails(policy(), [], ctx()).violations[0]!.message).toMatch(/at least one item/);
    expect(() => evaluateGuardrails(policy(), [item('12,5')], ctx())).toThrow(/new budget must be a decimal amount/);
    expect(evaluateGuardrails(policy(), [item('110.00'), item('120.00')], ctx()).violations[0]!.message).toMatch(/appears twice/);
  });

  it('validates policies and says which field is wrong', () => {
    expect(parseGuardrailPolicy({ maxChangePct: 0.3, blackouts: [{ from: '22:00', to: '06:00' }] })).toEqual({
      maxChangePct: 0.3,
      blackouts: [{ from: '22:00', to: '06:00' }],
    });
    expect(() => parseGuardrailPolicy({ minBudget: '5,00' })).toThrow(/minBudget: must be a decimal amount/);
    expect(() => parseGuardrailPolicy({ blackouts: [{ from: '25:00', to: '06:00' }] })).toThrow(/blackouts.0.from: must be HH:MM/);
    expect(() => parseGuardrailPolicy({ maxChangePercent: 1 })).toThrow(/invalid guardrail policy/);
  });
  it('knows how long a blackout still lasts', () => {
    const p = policy({ blackouts: [{ from: '22:00', to: '06:00' }] });
    expect(blackoutRemainingMs(p, '23:30', 2)).toBe(390 * 60_000);
    expect(blackoutRemainingMs(p, '05:59', 3)).toBe(60_000);
    expect(blackoutRemainingMs(p, '12:00', 3)).toBe(0);
  });

  describe('bid-target items', () => {
    const bid = (from: string, to: string, over: Record<string, unknown> = {}) => ({
      campaignId: 'a',
      platform: 'google_ads',
      kind: 'bid' as const,
      fromBudget: '100.00',
      bidKind: 'target_cpa' as const,
      fromBid: from,
      toBid: to,
      ...over,
    });
    it('allow a move within the platform bound, always with a human, budgets and the spend cap untouched', () => {
      const r = evaluateGuardrails(
        policy({ dailySpendCap: '300.00', autoApprove: { maxChangePct: 0.5 } }),
        [bid('12.50', '14.00')],
        ctx({ accountBudgets: { a: '100.00', b: '200.00' } }),
      );
      expect(r).toMatchObject({ allowed: true, requiresApproval: true, violations: [] });
    });
    it('refuse a move beyond the bound per change, another strategy and a missing target', () => {
      expect(evaluateGuardrails(policy(), [bid('10.00', '12.50')], ctx()).violations).toMatchObject([
        { rule: 'max_change_pct', item: 0, message: expect.stringMatching(/25\.0 % change of target_cpa exceeds google_ads's bound of ±20 %/) },
      ]);
      expect(evaluateGuardrails(policy(), [bid('10.00', '12.50', { platform: 'linkedin' })], ctx()).allowed).toBe(true);
      expect(evaluateGuardrails(policy(), [bid('10.00', '11.00', { toBid: undefined })], ctx()).violations[0]!.rule).toBe('invalid');
      expect(evaluateGuardrails(policy(), [bid('10.00', '0')], ctx()).violations[0]!.message).toMatch(/positive/);
    });
    it('hold the day to the bound against the target the day started with, and wait out the learning phase', () => {
      const r = evaluateGuardrails(policy(), [bid('11.50', '13.00')], ctx({ dayStartBids: { a: '10.00' } }));
      expect(r.violations).toMatchObject([
        { rule: 'max_change_pct', message: expect.stringMatching(/30\.0 % change of target_cpa today exceeds the 20 % limit/) },
      ]);
      expect(evaluateGuardrails(policy({ maxChangePct: 0.1 }), [bid('10.00', '11.50')], ctx({ dayStartBids: { a: '10.00' } })).violations[0]!.message).toMatch(
        /exceeds the 10 % limit/,
      );
      const phase = evaluateGuardrails(policy(), [bid('10.00', '11.00', { platform: 'meta' })], ctx({ lastChangeAt: { a: '2026-11-23T09:00:00Z' } }));
      expect(phase.violations).toMatchObject([
        { rule: 'learning_phase', message: expect.stringMatching(/3-day learning phase of meta; the bid target waits/) },
      ]);
    });
  });
});
