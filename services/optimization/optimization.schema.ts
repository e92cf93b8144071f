// Schemas for optimization runs (browser-safe). Objective and margin rules are stated here once (the CLI's
// `--objective`, `--margin`, `--risk`, `--schedule` parse with these too).
import { z } from 'zod';
import { accountRefSchema, budgetAmountSchema, idSchema, pageSchema } from '../common.schema.js';

export const objectiveSchema = z.enum(['revenue', 'conversions', 'profit']);

export const startOptimizationSchema = z
  .object({
    account: accountRefSchema,
    objective: objectiveSchema.default('revenue'),
    totalBudget: budgetAmountSchema.optional().describe("total daily budget to plan (default: today's total)"),
    margin: z
      .number()
      .gt(0, 'a margin is a share above 0')
      .max(1, 'a margin is a share of at most 1')
      .optional()
      .describe('profit objective: the share of revenue that is gross profit (default 0.3)'),
    dryRun: z.boolean().default(false).describe('plan only: open no change request'),
    sync: z.boolean().default(true).describe('sync the account first'),
  })
  .refine((o) => o.margin === undefined || o.objective === 'profit', { message: 'a margin only applies to the profit objective', path: ['margin'] });

export const scheduleOptimizationSchema = startOptimizationSchema.and(
  z.object({ hour: z.number().int().min(0, 'an hour from 0 to 23').max(23, 'an hour from 0 to 23').default(6) }),
);

export const unscheduleOptimizationSchema = z.object({ account: accountRefSchema });

export const runIdSchema = z.object({ runId: idSchema });
export const listRunsSchema = pageSchema.extend({ account: accountRefSchema.optional() });

/** Risk aversion of the offline optimizer (`--risk`). */
export const riskSchema = z.number().min(0, 'risk aversion is 0 (none) or more').max(5, 'risk aversion above 5 is not meaningful');
