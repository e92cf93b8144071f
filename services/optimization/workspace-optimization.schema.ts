// Schemas for workspace-wide optimization (browser-safe): start a plan over every account of the workspace (or
// chosen platforms/accounts), list and read plans, decide a plan as a whole or per account.
import { z } from 'zod';
import { accountRefSchema, budgetAmountSchema, campaignRefSchema, idSchema, noteSchema, pageSchema, platformSchema } from '../common.schema.js';
import { objectiveSchema, riskSchema } from './optimization.schema.js';

const share = z.number().min(0, 'a share is between 0 and 1').max(1, 'a share is between 0 and 1');
export const shareBoundSchema = z
  .object({ min: share.optional(), max: share.optional() })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, { message: 'min share must not exceed max share' });

const startBase = z.object({
  platforms: z.array(platformSchema).min(1).max(4).optional().describe('only these platforms (default: all)'),
  accounts: z.array(accountRefSchema).min(1).max(200).optional().describe('only these accounts (default: all)'),
  bounds: z
    .partialRecord(platformSchema, shareBoundSchema)
    .optional()
    .describe('per platform: min/max share of the total daily budget, e.g. {"meta": {"max": 0.4}}'),
  locked: z.array(campaignRefSchema).max(10_000).optional().describe('campaigns held at their current budget'),
  objective: objectiveSchema.default('revenue'),
  margin: z
    .number()
    .gt(0, 'a margin is a share above 0')
    .max(1, 'a margin is a share of at most 1')
    .optional()
    .describe('profit objective: the share of revenue that is gross profit (default 0.3)'),
  risk: riskSchema.optional().describe('risk aversion: standard deviations of model uncertainty a move pays for (default 0.4)'),
  totalBudget: budgetAmountSchema.optional().describe("total daily budget in the report currency (default: today's total)"),
  reportCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a 3-letter currency code, e.g. EUR')
    .optional()
    .describe('currency the plan is made in (default: the accounts’ currency when they share one)'),
  dryRun: z.boolean().default(false).describe('plan only: open no change request'),
  sync: z.boolean().default(true).describe('sync the accounts first'),
});

export const startWorkspaceOptimizationSchema = startBase
  .refine((o) => o.margin === undefined || o.objective === 'profit', { message: 'a margin only applies to the profit objective', path: ['margin'] })
  .refine((o) => Object.values(o.bounds ?? {}).reduce((s, b) => s + (b?.min ?? 0), 0) <= 1 + 1e-9, {
    message: 'platform min shares add up to more than 1',
    path: ['bounds'],
  });

export const planIdSchema = z.object({ planId: idSchema });
export const listPlansSchema = pageSchema;

export const decidePlanBodySchema = z.object({
  approve: z.boolean(),
  note: noteSchema.optional(),
  accounts: z.array(accountRefSchema).min(1).max(200).optional().describe('decide only these accounts’ requests (default: all of the plan)'),
});
export const decidePlanSchema = decidePlanBodySchema.extend({ planId: idSchema });
