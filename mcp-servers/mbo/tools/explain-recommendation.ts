// explain_recommendation: an optimizer's recommendations in plain language — per campaign, the budget now and
// recommended, the change, the optimizer's own reasons and the expected effect with its interval. Either an
// account's optimization run (services/optimization getOptimizationRun) or a workspace-wide plan (read-plans
// getOptimizationPlan: campaigns from → to in their account currency, platform shares, one request per account).
// The arithmetic is the optimizer's; this only says it.
import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import { explainTargetSchema, hasOneExplainTarget, ONE_EXPLAIN_TARGET } from '../../../services/ai/ai.schema.js';
import { campaignRefSchema } from '../../../services/common.schema.js';
import { getOptimizationRun } from '../../../services/optimization/optimization.js';
import { getOptimizationPlan } from '../../../services/optimization/read-plans.js';
import type { ToolEnv } from '../../kit/session.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

/** The stored plan of a run, read defensively (older runs may lack fields). */
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
  expectedTotal: z.object({ value: z.number(), low: z.number(), high: z.number(), atCurrent: z.number(), uplift: z.number() }).partial().optional(),
  warnings: z.array(z.string()).default([]),
});

const expected = z
  .object({ value: z.number(), low: z.number(), high: z.number(), atCurrent: z.number().nullable() })
  .describe('the objective per day at the recommended budget, its 90% interval, and at the current budget');

const recommendation = z.object({
  campaignId: z.string(),
  campaign: z.string(),
  platform: z.string(),
  currency: z.string().describe('currency of the two budgets (a plan: the account’s)'),
  currentDailyBudget: z.string(),
  recommendedDailyBudget: z.string(),
  change: z.enum(['raise', 'lower', 'hold']),
  changePct: z.number().describe('relative change, e.g. 0.25 = +25%'),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  expected: expected.nullable().describe('per day, in the report currency for money objectives'),
  explanation: z.string().describe('the recommendation in one plain sentence'),
});

type Recommendation = z.infer<typeof recommendation>;

const what: Record<string, string> = { revenue: 'revenue', conversions: 'conversions', profit: 'profit' };
const f2 = (v: number) => v.toFixed(2);
const pctOf = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)}%`;

/** One campaign's move as a sentence, the reasons after it and the expected effect last. */
function recommend(
  a: { campaignId: string; name: string; platform: string; currency: string; from: string; to: string; reasons: Recommendation['reasons'] },
  exp: Recommendation['expected'],
  objective: string,
  reportCurrency: string,
): Recommendation {
  const from = Number(a.from);
  const to = Number(a.to);
  const pct = from > 0 ? to / from - 1 : 0;
  const change = Math.abs(to - from) < 0.005 ? 'hold' : to > from ? 'raise' : 'lower';
  const ccy = a.currency ? ` ${a.currency}` : '';
  const verb =
    change === 'hold'
      ? `Keep "${a.name}" (${a.platform}) at ${a.from}${ccy} a day`
      : `${change === 'raise' ? 'Raise' : 'Lower'} "${a.name}" (${a.platform}) from ${a.from} to ${a.to}${ccy} a day (${pctOf(pct)})`;
  const why = a.reasons.map((r) => r.message).join('; ');
  const unit = objective !== 'conversions' && reportCurrency ? ` ${reportCurrency}` : '';
  const effect =
    exp && exp.atCurrent !== null
      ? ` Expected ${what[objective] ?? objective} per day: ${f2(exp.value)}${unit} (90% interval ${f2(exp.low)}–${f2(exp.high)}), against ${f2(exp.atCurrent)} at the current budget.`
      : '';
  return {
    campaignId: a.campaignId,
    campaign: a.name,
    platform: a.platform,
    currency: a.currency,
    currentDailyBudget: a.from,
    recommendedDailyBudget: a.to,
    change,
    changePct: Math.round(pct * 1000) / 1000,
    reasons: a.reasons,
    expected: exp,
    explanation: `${verb}${why ? ` — ${why}` : ''}.${effect}`,
  };
}

/** Only the named campaign (MBO id or name), or all. */
function only<T extends { campaignId: string; name: string }>(items: T[], campaign: string | undefined, of: string): T[] {
  if (!campaign) return items;
  const ref = campaign.toLowerCase();
  const found = items.filter((a) => a.campaignId === campaign || a.name.toLowerCase() === ref);
  if (!found.length) throw new AppError('NOT_FOUND', `${of} has no recommendation for campaign "${campaign}"`);
  return found;
}

const platformShare = z.object({ platform: z.string(), current: z.string(), planned: z.string(), currentShare: z.number(), plannedShare: z.number() });
const accountRequest = z.object({
  accountId: z.string(),
  account: z.string(),
  platform: z.string(),
  moves: z.number(),
  requestId: z.string().nullable(),
  status: z.string().nullable().describe('the change request’s state (null: none opened)'),
});

const output = z.object({
  kind: z.enum(['run', 'plan']).describe('run: one account’s optimization run; plan: a workspace-wide plan'),
  runId: z.string().nullable(),
  planId: z.string().nullable(),
  objective: z.string(),
  currency: z.string().describe('the report currency (a run: the account’s)'),
  dryRun: z.boolean(),
  expected: expected.nullable().describe('the whole run/plan per day'),
  expectedUplift: z.number().nullable(),
  changeRequestId: z.string().nullable().describe('a run’s one change request'),
  changeRequests: z.array(accountRequest).describe('a plan’s requests, one per account with moves (a run: empty)'),
  platforms: z.array(platformShare).describe('a plan’s daily budget per platform, now and planned (a run: empty)'),
  recommendations: z.array(recommendation),
  warnings: z.array(z.string()),
  summary: z.string(),
});
type Output = z.input<typeof output>;

async function explainRun(env: ToolEnv, runId: string, campaign: string | undefined): Promise<Output> {
  const run = await getOptimizationRun(env.ctx, { runId });
  const plan = storedPlan.parse(run.result ?? {});
  const objective = plan.objective ?? run.objective;
  const recommendations = only(plan.allocations, campaign, `run ${run.id}`).map((a) =>
    recommend(
      { ...a, currency: plan.currency, from: f2(a.currentDailyBudget), to: f2(a.dailyBudget) },
      a.expected ? { ...a.expected, atCurrent: a.expectedAtCurrent ?? null } : null,
      objective,
      plan.currency,
    ),
  );
  const moved = recommendations.filter((r) => r.change !== 'hold').length;
  const uplift = run.expectedUplift;
  const t = plan.expectedTotal;
  return {
    kind: 'run',
    runId: run.id,
    planId: null,
    objective,
    currency: plan.currency,
    dryRun: run.dryRun,
    expected:
      t?.value !== undefined && t.low !== undefined && t.high !== undefined
        ? { value: t.value, low: t.low, high: t.high, atCurrent: t.atCurrent ?? null }
        : null,
    expectedUplift: uplift,
    changeRequestId: run.changeRequestId,
    changeRequests: [],
    platforms: [],
    recommendations,
    warnings: plan.warnings,
    summary: `The optimizer (${objective}) recommends changing ${moved} of ${recommendations.length} campaign budget(s)${
      uplift !== null ? `, for an expected ${(uplift * 100).toFixed(1)}% more ${what[objective] ?? objective} per day` : ''
    }${run.changeRequestId ? `; change request ${run.changeRequestId} carries it to an approver` : run.dryRun ? ' (a dry run: nothing was requested)' : ''}.`,
  };
}

async function explainPlan(env: ToolEnv, planId: string, campaign: string | undefined): Promise<Output> {
  const p = await getOptimizationPlan(env.ctx, { planId });
  const rc = p.reportCurrency;
  const recommendations = only(p.campaigns, campaign, `plan ${p.id}`).map((c) =>
    recommend(
      {
        ...c,
        // A step below the request threshold stays where it is (to = from): say why, in MBO's words.
        reasons:
          c.to === c.from && c.toReport !== c.fromReport && !c.locked
            ? [...c.reasons, { code: 'below_threshold', message: 'the step is too small to request' }]
            : c.reasons,
      },
      { ...c.expected, atCurrent: c.expectedAtCurrent },
      p.objective,
      rc,
    ),
  );
  const moved = recommendations.filter((r) => r.change !== 'hold').length;
  const shares = p.platforms.map((x) => `${x.platform} ${(x.currentShare * 100).toFixed(0)}% → ${(x.plannedShare * 100).toFixed(0)}%`).join(', ');
  const opened = p.accounts.filter((a) => a.requestId);
  const e = p.expected;
  const o = p.outcome;
  return {
    kind: 'plan',
    runId: null,
    planId: p.id,
    objective: p.objective,
    currency: rc,
    dryRun: p.dryRun,
    expected: { value: e.value, low: e.low, high: e.high, atCurrent: e.atCurrent },
    expectedUplift: p.expectedUplift,
    changeRequestId: null,
    changeRequests: p.accounts.map((a) => ({
      accountId: a.accountId,
      account: a.name,
      platform: a.platform,
      moves: a.moves,
      requestId: a.requestId,
      status: a.status,
    })),
    platforms: p.platforms.map((x) => ({
      platform: x.platform,
      current: x.current,
      planned: x.planned,
      currentShare: x.currentShare,
      plannedShare: x.plannedShare,
    })),
    recommendations,
    warnings: p.warnings,
    summary:
      `The workspace plan (${p.objective}, ${p.totalBudget} ${rc} a day over ${p.accounts.length} account(s)) changes ${moved} of ${recommendations.length} campaign budget(s)` +
      `; expected ${what[p.objective] ?? p.objective} per day ${f2(e.value)} (90% interval ${f2(e.low)}–${f2(e.high)}) against ${f2(e.atCurrent)} at the current budgets` +
      `${p.expectedUplift !== null ? ` (${p.expectedUplift >= 0 ? '+' : ''}${(p.expectedUplift * 100).toFixed(1)}%)` : ''}` +
      `${shares ? `. Platform shares: ${shares}` : ''}` +
      `${opened.length ? `. ${opened.length} change request(s), one per account, carry it to an approver` : p.dryRun ? '. A dry run: nothing was requested' : ''}` +
      `${o.realisedPerDay !== null ? `. Realised after applying: ${f2(o.realisedPerDay)} per day over ${o.days} day(s) (${o.withinInterval ? 'inside' : 'outside'} the predicted interval)` : ''}.`,
  };
}

export const explainRecommendationTool = defineTool({
  name: 'explain_recommendation',
  title: 'Explain a recommendation',
  description:
    "Explain the optimizer's recommendations in plain language — of one account's optimization run (runId) or of a workspace-wide plan (planId, from `mbo optimize`; it also gives the platform shares now and planned and each account's change request): for each campaign (or the one you name), the budget now and recommended, why (under-funded, saturated, held for uncertainty, too little data, capped, a performance shift…) and the expected effect per day with its interval. Give exactly one of runId and planId. Use it after run_optimization, or for a run or plan listed with a change request, to tell the user why MBO proposes what it proposes.",
  input: explainTargetSchema.extend({
    campaign: campaignRefSchema.optional().describe('only this campaign (MBO id or name)'),
  }),
  output,
  annotations: READ,
  async run(env, input) {
    if (!hasOneExplainTarget(input)) throw new AppError('INVALID_INPUT', ONE_EXPLAIN_TARGET);
    return input.planId ? explainPlan(env, input.planId, input.campaign) : explainRun(env, input.runId!, input.campaign);
  },
  summary: (o) => o.summary,
});
