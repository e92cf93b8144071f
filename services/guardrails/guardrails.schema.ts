// Schemas for guardrail policies (browser-safe): the policy fields are core's one schema.
import { z } from 'zod';
import { guardrailPolicySchema } from '../../core/guardrails.js';
import { accountRefSchema } from '../common.schema.js';

export const getGuardrailsSchema = z.object({ account: accountRefSchema.optional().describe('an account (default: the workspace policy)') });
export const setGuardrailsSchema = z.object({
  account: accountRefSchema.optional(),
  changes: guardrailPolicySchema.refine((c) => Object.keys(c).length > 0, 'nothing to change: give at least one setting'),
});
export { guardrailPolicySchema };
