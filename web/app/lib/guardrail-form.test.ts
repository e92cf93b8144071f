// The guardrail form sends only what differs from the policy in force (an unchanged form is "nothing to change").
import { describe, expect, it } from 'vitest';
import { guardrailFormSchema, policyChanges } from './guardrail-form.ts';

const current = {
  maxChangePct: 0.5,
  minBudget: '1.00',
  learningPhaseDays: 0,
  maxChangesPerDay: 50,
  fourEyes: true,
  approvalTtlHours: 48,
  reminderBeforeHours: 12,
  onFailure: 'rollback',
  autoApprove: { maxChangePct: 0, emergencyPause: false },
};
const same = {
  maxChangePct: 0.5,
  minBudget: '1.00',
  learningPhaseDays: 0,
  maxChangesPerDay: 50,
  fourEyes: true,
  approvalTtlHours: 48,
  reminderBeforeHours: 12,
  onFailure: 'rollback',
  autoMaxChangePct: 0,
  emergencyPause: false,
};

describe('guardrail form', () => {
  it('finds no change in a form that says what the policy says', () => {
    expect(policyChanges(guardrailFormSchema.parse(same), current)).toEqual({});
  });
  it('sends the changed fields only, an unticked box as false, and auto-approval as a whole', () => {
    const v = guardrailFormSchema.parse({ ...same, maxChangePct: 0.3, dailySpendCap: '5000', fourEyes: undefined, emergencyPause: true });
    expect(policyChanges(v, current)).toEqual({
      maxChangePct: 0.3,
      dailySpendCap: '5000',
      fourEyes: false,
      autoApprove: { maxChangePct: 0, emergencyPause: true },
    });
  });
  it("refuses what core's policy schema refuses", () => {
    expect(guardrailFormSchema.safeParse({ ...same, maxChangePct: 11 }).success).toBe(false);
    expect(guardrailFormSchema.safeParse({ ...same, minBudget: '1,00' }).success).toBe(false);
  });
});
