// Schemas for what-if predictions and forecasts (browser-safe). A scope is one campaign, one account or the whole
// workspace (neither given); `level` is the probability the stated intervals are meant to hold.
import { z } from 'zod';
import { accountRefSchema, budgetAmountSchema, campaignRefSchema } from '../common.schema.js';

const level = z.coerce
  .number()
  .min(0.5, 'an interval level from 0.5 to 0.99')
  .max(0.99, 'an interval level from 0.5 to 0.99')
  .default(0.9)
  .describe('probability of the intervals (default 0.9)');

const scope = {
  campaign: campaignRefSchema.optional().describe('one campaign (MBO or platform id)'),
  account: accountRefSchema.optional().describe('one account (MBO or platform id); neither: the workspace'),
};

export const whatIfBaseSchema = z.object({
  ...scope,
  budget: budgetAmountSchema.optional().describe('campaign scope: the daily budget to predict at'),
  totalBudget: budgetAmountSchema.optional().describe("account or workspace scope: a total daily budget, spread in proportion to today's budgets"),
  plan: z
    .array(z.object({ campaign: campaignRefSchema, budget: budgetAmountSchema }))
    .min(1)
    .max(10_000)
    .optional()
    .describe('a whole plan: campaign → daily budget (the scope’s other campaigns keep theirs)'),
  level,
});
export const whatIfSchema = whatIfBaseSchema
  .refine((q) => !(q.campaign && q.account), { message: 'give a campaign or an account, not both', path: ['account'] })
  .refine((q) => [q.budget, q.totalBudget, q.plan].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of budget (a campaign), totalBudget (an account or the workspace) or plan',
    path: ['budget'],
  })
  .refine((q) => q.budget === undefined || !!q.campaign, { message: 'budget applies to one campaign: give campaign, or use totalBudget', path: ['budget'] })
  .refine((q) => q.totalBudget === undefined || !q.campaign, {
    message: 'totalBudget applies to an account or the workspace; for a campaign use budget',
    path: ['totalBudget'],
  });

export const forecastBaseSchema = z.object({
  ...scope,
  days: z.coerce.number().int().min(1, 'from 1 to 90 days').max(90, 'from 1 to 90 days').default(14).describe('how many days ahead'),
  level,
});
export const forecastSchema = forecastBaseSchema.refine((q) => !(q.campaign && q.account), {
  message: 'give a campaign or an account, not both',
  path: ['account'],
});

const interval = z.object({ value: z.string(), low: z.string(), high: z.string() });
const countInterval = z.object({ value: z.number(), low: z.number(), high: z.number() });
export const outcomeView = z.object({
  spend: z.string(),
  conversions: countInterval,
  revenue: interval,
  roas: z.object({ value: z.number(), low: z.number(), high: z.number() }).nullable(),
});
export const whatIfView = z.object({
  scope: z.object({ kind: z.enum(['campaign', 'account', 'workspace']), ref: z.string().nullable() }),
  currency: z.string(),
  level: z.number(),
  campaigns: z.array(
    z.object({
      campaignId: z.string(),
      externalId: z.string(),
      name: z.string(),
      platform: z.string(),
      currentBudget: z.string(),
      budget: z.string(),
      identified: z.boolean(),
      predicted: outcomeView,
      atCurrent: outcomeView,
    }),
  ),
  total: z.object({ budget: z.string(), currentBudget: z.string(), predicted: outcomeView, atCurrent: outcomeView }),
  notes: z.array(z.string()),
});
const dayView = z.object({ date: z.string(), spend: z.string(), conversions: countInterval, revenue: interval });
export const forecastView = z.object({
  scope: z.object({ kind: z.enum(['campaign', 'account', 'workspace']), ref: z.string().nullable() }),
  currency: z.string(),
  level: z.number(),
  start: z.string(),
  days: z.array(dayView),
  total: z.object({ spend: z.string(), conversions: countInterval, revenue: interval, roas: z.number().nullable() }),
  campaigns: z.array(
    z.object({
      campaignId: z.string(),
      externalId: z.string(),
      name: z.string(),
      platform: z.string(),
      days: z.array(dayView),
      total: dayView.omit({ date: true }),
    }),
  ),
  notes: z.array(z.string()),
});
