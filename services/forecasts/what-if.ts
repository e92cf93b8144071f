// Use case: what-if (viewers and above) — the predicted daily outcome of a campaign at a budget, or of an account
// or the workspace at a total budget or under a plan (campaign → budget), next to today's budgets, with intervals
// for the expected value at the level asked. Reuses core/analytics/forecast.ts predictRoi over the optimizer's models.
import { predictiveSd, scoreQuantile } from '../../core/analytics/calibration.js';
import { predictRoi } from '../../core/analytics/forecast.js';
import { predictConversions } from '../../core/optimizer/model.js';
import { formatMoney, moneyFromNumber, parseMoney, sumMoney } from '../../core/money.js';
import { isUuid } from '../../db/workspaces.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { whatIfSchema } from './forecasts.schema.js';
import { loadScope, type ScopedCampaign } from './scope-models.js';

const money = (n: number) => formatMoney(moneyFromNumber(Math.max(0, n)));
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Predicted daily outcome of some campaigns at some budgets (campaigns without a model count as nothing). */
export function outcome(items: { c: ScopedCampaign; budget: number }[], level: number) {
  const inputs = items.filter((i) => i.c.model).map((i) => ({ campaignId: i.c.id, model: i.c.model!, dailyBudget: i.budget }));
  const r = predictRoi(inputs, level);
  // Conversions: independent campaigns, variances add up (as predictRoi does for revenue); calibrated as there.
  const z = scoreQuantile(level);
  let mean = 0;
  let variance = 0;
  for (const i of inputs) {
    const p = predictConversions(i.model, i.dailyBudget);
    mean += p.mean;
    variance += predictiveSd(p.mean, p.sd) ** 2;
  }
  const sd = Math.sqrt(variance);
  const rev = r.revenue;
  return {
    spend: money(r.spend),
    conversions: { value: round(mean), low: round(Math.max(0, mean - z * sd)), high: round(mean + z * sd) },
    revenue: { value: money(rev.value), low: money(rev.low), high: money(rev.high) },
    roas: r.roas ? { value: round(r.roas.value, 3), low: round(r.roas.low, 3), high: round(r.roas.high, 3) } : null,
  };
}

export async function whatIf(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'viewer');
  const q = parseInput(whatIfSchema, raw);
  const scope = await loadScope(ctx, { campaign: q.campaign, account: q.account, extra: q.plan?.map((p) => p.campaign) });
  const budgets = new Map(scope.campaigns.map((c) => [c.id, parseMoney(c.dailyBudget)]));
  if (q.budget) budgets.set(scope.campaigns[0]!.id, parseMoney(q.budget));
  if (q.totalBudget) {
    const current = sumMoney(scope.campaigns.map((c) => parseMoney(c.dailyBudget)));
    const target = parseMoney(q.totalBudget);
    for (const c of scope.campaigns) budgets.set(c.id, current > 0n ? (parseMoney(c.dailyBudget) * target) / current : 0n);
  }
  if (q.plan) {
    for (const p of q.plan) {
      const c = scope.campaigns.find((x) => x.externalId === p.campaign || (isUuid(p.campaign) && x.id === p.campaign));
      if (c) budgets.set(c.id, parseMoney(p.budget));
    }
  }
  const num = (m: bigint) => Number(formatMoney(m, 6));
  const campaigns = scope.campaigns.map((c) => {
    const b = budgets.get(c.id)!;
    return {
      campaignId: c.id,
      externalId: c.externalId,
      name: c.name,
      platform: c.platform,
      currentBudget: formatMoney(parseMoney(c.dailyBudget)),
      budget: formatMoney(b),
      identified: c.model?.identified ?? false,
      predicted: outcome([{ c, budget: num(b) }], q.level),
      atCurrent: outcome([{ c, budget: Number(c.dailyBudget) }], q.level),
    };
  });
  return {
    scope: { kind: scope.kind, ref: scope.ref },
    currency: scope.currency,
    level: q.level,
    campaigns,
    total: {
      budget: formatMoney(sumMoney(budgets.values())),
      currentBudget: formatMoney(sumMoney(scope.campaigns.map((c) => parseMoney(c.dailyBudget)))),
      predicted: outcome(
        scope.campaigns.map((c) => ({ c, budget: num(budgets.get(c.id)!) })),
        q.level,
      ),
      atCurrent: outcome(
        scope.campaigns.map((c) => ({ c, budget: Number(c.dailyBudget) })),
        q.level,
      ),
    },
    notes: scope.notes,
  };
}
