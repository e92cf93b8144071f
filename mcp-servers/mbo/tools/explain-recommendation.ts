// explain_recommendation: an optimization run's recommendations in plain language — per campaign, the budget now and
// recommended, the change, the optimizer's own reasons and the expected effect (services/optimization
// getOptimizationRun). The arithmetic is the optimizer's; this only says it.
import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import { campaignRefSchema, idSchema } from '../../../services/common.schema.js';
import { getOptimizationRun } from '../../../services/optimization/optimization.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

/** The stored plan, read defensively (older runs may lack fields). */
const storedPlan = z.object({
  objective: z.string().optional(),
  currency: z.string().default(''),
  allocations: z
    .array(
      z.object({
        campaignId: z.string(),
        name: z.string(),
        platform: z.string(),
        currentDailyBudget: z.number(),
        dailyBudget: z.number(),
        changePct: z.number().optional(),
        reasons: z.array(z.object({ code: z.string(), message: z.string() })).default([]),
        expected: z.object({ value: z.number(), low: z.number(), high: z.number() }).optional(),
        expectedAtCurrent: z.number().optional(),
      }),
    )
    .default([]),
  expectedTotal: z.object({ value: z.number(), atCurrent: z.number(), uplift: z.number() }).partial().optional(),
  warnings: z.array(z.string()).default([]),
});

const recommendation = z.object({
  campaignId: z.string(),
  campaign: z.string(),
  platform: z.string(),
  currentDailyBudget: z.string(),
  recommendedDailyBudget: z.string(),
  change: z.enum(['raise', 'lower', 'hold']),
  changePct: z.number(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  explanation: z.string().describe('the recommendation in one plain sentence'),
});

const what: Record<string, string> = { revenue: 'revenue', conversions: 'conversions', profit: 'profit' };

export const explainRecommendationTool = defineTool({
  name: 'explain_recommendation',
  title: 'Explain a recommendation',
  description:
    "Explain an optimization run's recommendations in plain language: for each campaign (or the one you name), the budget now and recommended, why (under-funded, saturated, held for uncertainty, too little data, capped, a performance shift…) and the expected effect per day. Use it after run_optimization, or for a run listed with a change request, to tell the user why MBO proposes what it proposes.",
  input: z.object({
    runId: idSchema.describe('the optimization run (run_optimization returns it)'),
    campaign: campaignRefSchema.optional().describe('only this campaign (MBO id or name)'),
  }),
  output: z.object({
    runId: z.string(),
    objective: z.string(),
    currency: z.string(),
    dryRun: z.boolean(),
    expectedUplift: z.number().nullable(),
    changeRequestId: z.string().nullable(),
    recommendations: z.array(recommendation),
    warnings: z.array(z.string()),
    summary: z.string(),
  }),
  annotations: READ,
  async run({ ctx }, input) {
    const run = await getOptimizationRun(ctx, { runId: input.runId });
    const plan = storedPlan.parse(run.result ?? {});
    const ccy = plan.currency ? ` ${plan.currency}` : '';
    const objective = plan.objective ?? run.objective;
    let allocations = plan.allocations;
    if (input.campaign) {
      const ref = input.campaign.toLowerCase();
      allocations = allocations.filter((a) => a.campaignId === input.campaign || a.name.toLowerCase() === ref);
      if (!allocations.length) throw new AppError('NOT_FOUND', `run ${run.id} has no recommendation for campaign "${input.campaign}"`);
    }
    const recommendations = allocations.map((a) => {
      const pct = a.currentDailyBudget > 0 ? a.dailyBudget / a.currentDailyBudget - 1 : 0;
      const change = Math.abs(a.dailyBudget - a.currentDailyBudget) < 0.005 ? 'hold' : a.dailyBudget > a.currentDailyBudget ? 'raise' : 'lower';
      const verb =
        change === 'hold'
          ? `Keep "${a.name}" (${a.platform}) at ${a.currentDailyBudget.toFixed(2)}${ccy} a day`
          : `${change === 'raise' ? 'Raise' : 'Lower'} "${a.name}" (${a.platform}) from ${a.currentDailyBudget.toFixed(2)} to ${a.dailyBudget.toFixed(2)}${ccy} a day (${pct >= 0 ? '+' : ''}${(pct * 100).toFixed(0)}%)`;
      const why = a.reasons.map((r) => r.message).join('; ');
      const effect =
        a.expected && a.expectedAtCurrent !== undefined
          ? ` Expected ${what[objective] ?? objective} per day: ${a.expected.value.toFixed(2)} (90% interval ${a.expected.low.toFixed(2)}–${a.expected.high.toFixed(2)}), against ${a.expectedAtCurrent.toFixed(2)} at the current budget.`
          : '';
      return {
        campaignId: a.campaignId,
        campaign: a.name,
        platform: a.platform,
        currentDailyBudget: a.currentDailyBudget.toFixed(2),
        recommendedDailyBudget: a.dailyBudget.toFixed(2),
        change: change as 'raise' | 'lower' | 'hold',
        changePct: Math.round(pct * 1000) / 1000,
        reasons: a.reasons,
        explanation: `${verb}${why ? ` — ${why}` : ''}.${effect}`,
      };
    });
    const moved = recommendations.filter((r) => r.change !== 'hold').length;
    const uplift = run.expectedUplift;
    return {
      runId: run.id,
      objective,
      currency: plan.currency,
      dryRun: run.dryRun,
      expectedUplift: uplift,
      changeRequestId: run.changeRequestId,
      recommendations,
      warnings: plan.warnings,
      summary: `The optimizer (${objective}) recommends changing ${moved} of ${recommendations.length} campaign budget(s)${
        uplift !== null ? `, for an expected ${(uplift * 100).toFixed(1)}% more ${what[objective] ?? objective} per day` : ''
      }${run.changeRequestId ? `; change request ${run.changeRequestId} carries it to an approver` : run.dryRun ? ' (a dry run: nothing was requested)' : ''}.`,
    };
  },
  summary: (o) => o.summary,
});
