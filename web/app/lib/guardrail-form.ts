// The guardrail policy form (browser-safe): the workspace policy's fields taken from core's one policy schema
// (core/guardrails.ts guardrailPolicySchema), flattened for a plain form, and the changes a submitted form makes to
// the policy in force (only what differs is sent to services/guardrails setGuardrails).
import { z } from 'zod';
import { guardrailPolicySchema } from '../../../services/guardrails/guardrails.schema.ts';

const s = guardrailPolicySchema.shape;
const auto = s.autoApprove.unwrap().shape;

export const guardrailFormSchema = z.object({
  maxChangePct: s.maxChangePct,
  minBudget: s.minBudget,
  dailySpendCap: s.dailySpendCap,
  learningPhaseDays: s.learningPhaseDays,
  maxChangesPerDay: s.maxChangesPerDay,
  approvalTtlHours: s.approvalTtlHours,
  reminderBeforeHours: s.reminderBeforeHours,
  onFailure: s.onFailure,
  fourEyes: z.boolean().optional(),
  autoMaxChangePct: auto.maxChangePct,
  emergencyPause: z.boolean().optional(),
});
export type GuardrailForm = z.output<typeof guardrailFormSchema>;

type Policy = Record<string, unknown> & { autoApprove?: Record<string, unknown> };

/** The policy fields this form changes, compared with the policy in force (empty: nothing to change). */
export function policyChanges(v: GuardrailForm, current: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const scalar = [
    'maxChangePct',
    'minBudget',
    'dailySpendCap',
    'learningPhaseDays',
    'maxChangesPerDay',
    'approvalTtlHours',
    'reminderBeforeHours',
    'onFailure',
  ] as const;
  for (const k of scalar) if (v[k] !== undefined && v[k] !== current[k]) out[k] = v[k];
  if ((v.fourEyes ?? false) !== current.fourEyes) out.fourEyes = v.fourEyes ?? false;
  const was = current.autoApprove ?? {};
  const next = { ...was, ...(v.autoMaxChangePct !== undefined ? { maxChangePct: v.autoMaxChangePct } : {}), emergencyPause: v.emergencyPause ?? false };
  if (JSON.stringify(next) !== JSON.stringify({ ...was, emergencyPause: was.emergencyPause ?? false })) out.autoApprove = next;
  return out;
}
