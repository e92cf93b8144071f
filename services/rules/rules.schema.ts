// Schemas for automation rules (browser-safe). The condition and action texts are parsed by core/rules.ts; these
// bound their shape so every door says the same thing.
import { z } from 'zod';
import { MAX_COOLDOWN_HOURS, MAX_PATTERN_LENGTH, MAX_RULE_NAME_LENGTH, MIN_COOLDOWN_HOURS } from '../../core/rules.js';
import { accountRefSchema, idSchema, platformSchema } from '../common.schema.js';

const fields = {
  name: z.string().trim().min(1).max(MAX_RULE_NAME_LENGTH),
  when: z.string().trim().min(1).max(2000).describe('a condition over metric windows, e.g. "cpa(7d) > 50 and spend(7d) > 200"'),
  then: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe("pause | resume | alert | budget -20% | budget to 150 | bid +10% | bid to 12.50 (the campaign's bid target: target CPA/ROAS, bid or cost cap)"),
  platforms: z.array(platformSchema).max(4).optional(),
  accounts: z.array(accountRefSchema).max(100).optional(),
  namePattern: z.string().min(1).max(MAX_PATTERN_LENGTH).optional().describe('a campaign name glob: * any text, ? one character'),
  cooldownHours: z
    .number()
    .min(MIN_COOLDOWN_HOURS)
    .max(MAX_COOLDOWN_HOURS)
    .optional()
    .describe(`hours before the rule may act on a campaign again (default 24)`),
  requiresApproval: z.boolean().optional().describe('a human approves even what the policy would auto-approve (default true)'),
  schedule: z
    .object({ weekdays: z.array(z.number().int().min(0).max(6)).max(7).optional(), hours: z.array(z.number().int().min(0).max(23)).max(24).optional() })
    .optional(),
};

export const addRuleSchema = z.object(fields);
export const ruleRefSchema = z.object({ rule: z.string().trim().min(1).max(200).describe('the rule id or name') });
/** Every field of a rule, all optional (what a change may touch). */
export const ruleChangesSchema = z.object(fields).partial();
export const updateRuleSchema = ruleRefSchema.extend({
  changes: ruleChangesSchema.refine((c) => Object.keys(c).length > 0, 'nothing to change'),
});
export const setRuleEnabledSchema = ruleRefSchema.extend({ enabled: z.boolean() });
export const testRulesSchema = z.object({ rule: z.string().trim().min(1).max(200).optional() });

export const ruleView = z.object({
  id: idSchema,
  name: z.string(),
  when: z.string(),
  then: z.string(),
  scope: z.object({ platforms: z.array(z.string()).optional(), accounts: z.array(z.string()).optional(), namePattern: z.string().optional() }),
  cooldownHours: z.number(),
  requiresApproval: z.boolean(),
  schedule: z.unknown().optional(),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  lastFiredAt: z.string().nullable(),
});
export type RuleView = z.infer<typeof ruleView>;
