// The rule form's builder: action forms come from the rules schema's description (the bid forms the bids work added
// included), stored rules open as builder rows, and the form is checked with core's own parsers.
import { describe, expect, it } from 'vitest';
import { actionForms, actionOf, actionText, CUSTOM_ACTION, ruleFormSchema, ruleInput, rowsOf } from './rule-form.ts';

const form = (over: Record<string, unknown> = {}) => ({
  name: 'High CPA',
  mode: 'builder',
  join: 'and',
  conditions: [
    { metric: 'cpa', days: 7, op: '>', value: 50 },
    { metric: 'spend', days: 7, op: '>', value: 200 },
  ],
  action: 'budget N%',
  amount: '-20',
  ...over,
});

describe('rule form', () => {
  it('offers every action form the schema describes, with its number as the amount and any bracketed hint apart', () => {
    const forms = actionForms();
    const ids = forms.map((f) => f.id);
    expect(ids.slice(0, 5)).toEqual(['pause', 'resume', 'alert', 'budget N%', 'budget to N']);
    for (const f of forms) {
      expect(f.id).not.toMatch(/\(/);
      // Each form, filled with its own example, is an action core accepts.
      expect(() => ruleFormSchema.parse(form({ action: f.id, amount: f.example ?? undefined }))).not.toThrow();
    }
    const bid = forms.find((f) => f.id === 'bid to N');
    if (bid) expect(bid.hint).toMatch(/bid target/);
  });

  it('turns the builder into the texts the CLI and API take', () => {
    const v = ruleFormSchema.parse(form());
    expect(ruleInput(v)).toMatchObject({ name: 'High CPA', when: 'cpa(7d) > 50 and spend(7d) > 200', then: 'budget -20%' });
    expect(ruleInput(ruleFormSchema.parse(form({ join: 'or', action: 'budget N%', amount: '15' }))).then).toBe('budget +15%');
    expect(ruleInput(ruleFormSchema.parse(form({ action: 'budget to N', amount: '150' }))).then).toBe('budget to 150');
    expect(
      ruleInput(
        ruleFormSchema.parse(form({ mode: 'text', conditions: undefined, whenText: 'cpa(7d) > 50 and (roas(14d) < 1 or spend(7d) > 200)', action: 'pause' })),
      ).when,
    ).toBe('cpa(7d) > 50 and (roas(14d) < 1 or spend(7d) > 200)');
  });

  it("refuses what core refuses, in core's words, at the field", () => {
    const bad = (over: Record<string, unknown>) => {
      const r = ruleFormSchema.safeParse(form(over));
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(bad({ conditions: [{ metric: 'cpa', days: 365, op: '>', value: 1 }] })).toMatch(/conditions.0.days: windows are 1 to 90 days/);
    expect(bad({ conditions: [] })).toMatch(/conditions: add at least one condition/);
    expect(bad({ amount: '0' })).toMatch(/amount: .*between -99% and \+1000%/);
    expect(bad({ amount: undefined })).toMatch(/amount: give the amount/);
    expect(bad({ action: CUSTOM_ACTION, actionText: 'explode' })).toMatch(/actionText: action "explode"/);
    expect(bad({ mode: 'text', whenText: 'cpa(7d) >' })).toMatch(/whenText: condition/);
  });

  it('opens a stored rule as builder rows and its action as form and amount', () => {
    expect(rowsOf('cpa(7d) > 50 and spend(7d) > 200')).toEqual({
      join: 'and',
      conditions: [
        { metric: 'cpa', days: 7, op: '>', value: 50 },
        { metric: 'spend', days: 7, op: '>', value: 200 },
      ],
    });
    expect(rowsOf('roas(14d) < 1.5 or conversions(3d) < 1')?.join).toBe('or');
    expect(rowsOf('cpa(7d) > 50 and (roas(14d) < 1 or spend(7d) > 200)')).toBeNull();
    expect(actionOf('budget -20%')).toEqual({ action: 'budget N%', amount: '-20' });
    expect(actionOf('Budget to 150')).toEqual({ action: 'budget to N', amount: '150' });
    expect(actionOf('pause')).toEqual({ action: 'pause' });
    expect(actionOf('something new')).toEqual({ action: CUSTOM_ACTION, actionText: 'something new' });
    const f = actionForms().find((x) => x.id === 'budget N%');
    expect(actionText(f, '5', undefined)).toBe('budget +5%');
  });
});
