// Use cases: list and read workspace-wide optimization plans (anyone in the workspace): what was recommended (per
// campaign from → to, predicted outcome with its interval), what became of each account's change request
// (approved, applied), and — once days have passed after the apply date — the realised outcome next to the
// predicted one, from the stored daily metrics converted into the plan's report currency.
import { addDays, daysBetween, type IsoDate } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';
import { moneyToNumber, parseMoney } from '../../core/money.js';
import { realisedOutcome, type OutcomeRow } from '../../core/optimizer/workspace-outcome.js';
import type { WorkspacePlan } from '../../core/optimizer/workspace.js';
import { fxTableFor } from '../../db/fx-rates.js';
import { requireRole, type ServiceContext } from '../actor.js';
import type { AppContext } from '../context.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { listPlansSchema, planIdSchema } from './workspace-optimization.schema.js';

type PlanRow = NonNullable<Awaited<ReturnType<typeof loadPlan>>>;

function loadPlan(app: AppContext, workspaceId: string, planId: string) {
  return app.prisma.optimizationPlan.findFirst({ where: { id: planId, workspaceId }, include: { requests: true } });
}

async function requestStates(app: AppContext, plan: PlanRow) {
  const ids = plan.requests.map((r) => r.changeRequestId);
  const rows = ids.length ? await app.prisma.changeRequest.findMany({ where: { id: { in: ids } }, include: { items: true } }) : [];
  const result = plan.result as unknown as WorkspacePlan;
  return result.accounts.map((a) => {
    const link = plan.requests.find((r) => r.accountId === a.accountId);
    const cr = link ? rows.find((r) => r.id === link.changeRequestId) : undefined;
    const applied = cr?.items.filter((i) => i.status === 'APPLIED') ?? [];
    const appliedAt = applied.reduce<Date | null>((m, i) => (i.appliedAt && (!m || i.appliedAt > m) ? i.appliedAt : m), null);
    return {
      accountId: a.accountId,
      name: a.name,
      platform: a.platform,
      currency: a.currency,
      moves: a.moves.length,
      requestId: cr?.id ?? null,
      status: cr?.status ?? null,
      decidedBy: cr?.decidedBy ?? null,
      decidedAt: cr?.decidedAt?.toISOString() ?? null,
      itemsApplied: applied.length,
      appliedAt: appliedAt?.toISOString() ?? null,
    };
  });
}

const summary = (p: PlanRow) => {
  const r = p.result as unknown as WorkspacePlan;
  return {
    id: p.id,
    workflowId: p.workflowId,
    objective: p.objective,
    margin: r.margin,
    riskAversion: r.riskAversion,
    reportCurrency: p.reportCurrency,
    totalBudget: r.totalDailyBudget,
    requestedBy: p.requestedBy,
    dryRun: p.dryRun,
    expectedUplift: p.expectedUplift,
    expected: { value: r.expectedTotal.value, low: r.expectedTotal.low, high: r.expectedTotal.high, atCurrent: r.expectedTotal.atCurrent },
    moves: r.moves,
    platforms: r.platforms,
    createdAt: p.createdAt.toISOString(),
  };
};

export async function listOptimizationPlans(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(listPlansSchema, raw);
  const rows = await ctx.app.prisma.optimizationPlan.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...after('createdAt', q.cursor) },
    include: { requests: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.createdAt);
  const items = [];
  for (const p of page) items.push({ ...summary(p), accounts: await requestStates(ctx.app, p) });
  return { items, nextCursor };
}

/** The realised outcome of the accounts whose moves were applied, next to what the plan predicted for them. */
async function outcomeOf(app: AppContext, plan: PlanRow, accounts: Awaited<ReturnType<typeof requestStates>>) {
  const r = plan.result as unknown as WorkspacePlan;
  const applied = accounts.filter((a) => a.appliedAt);
  const chosen = r.accounts.filter((a) => applied.some((x) => x.accountId === a.accountId));
  const value = chosen.reduce((s, a) => s + a.expected.value, 0);
  const half = Math.sqrt(chosen.reduce((s, a) => s + ((a.expected.high - a.expected.low) / 2) ** 2, 0));
  const base = {
    objective: r.objective,
    margin: r.margin,
    predicted: { value, low: value - half, high: value + half },
    predictedAtCurrent: chosen.reduce((s, a) => s + a.expectedAtCurrent, 0),
  };
  const appliedOn = applied.length
    ? dataDay(
        plan,
        r.asOf,
        applied
          .map((a) => a.appliedAt!)
          .sort()
          .at(-1)!,
      )
    : null;
  if (!appliedOn) return realisedOutcome({ ...base, appliedOn: null, lastDay: null, rows: [] });
  const campaignIds = r.campaigns.filter((c) => chosen.some((a) => a.accountId === c.accountId)).map((c) => c.campaignId);
  const windowDays = 7;
  const from = addDays(appliedOn, -windowDays);
  const to = addDays(appliedOn, windowDays);
  const metrics = await app.prisma.metricDaily.findMany({
    where: { campaignId: { in: campaignIds }, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    select: { date: true, spend: true, conversions: true, conversionValue: true, currency: true },
  });
  const last = await app.prisma.metricDaily.aggregate({ where: { campaignId: { in: campaignIds } }, _max: { date: true } });
  const currencies = [...new Set(metrics.map((m) => m.currency.trim()))];
  const fx = currencies.some((c) => c !== r.reportCurrency) ? await fxTableFor(app.pool, { currencies, target: r.reportCurrency, from, to }) : undefined;
  const rows: OutcomeRow[] = metrics.map((m) => {
    const date = m.date.toISOString().slice(0, 10);
    const conv = (amount: { toString(): string }) => {
      const micros = parseMoney(amount.toString());
      return moneyToNumber(fx ? fx.convert(micros, m.currency.trim(), r.reportCurrency, date) : micros);
    };
    return { date, spend: conv(m.spend), revenue: conv(m.conversionValue), conversions: Number(m.conversions) };
  });
  return realisedOutcome({ ...base, appliedOn, lastDay: last._max.date?.toISOString().slice(0, 10) ?? null, rows, windowDays });
}

/**
 * The apply day on the accounts' data calendar. Live accounts report yesterday, so it is the apply date. A
 * simulated calendar (the sandbox's, months behind the wall clock) is shifted by the plan's own lag: the days
 * between the plan and the day after its last history day, when that is more than a week.
 */
function dataDay(plan: PlanRow, asOf: IsoDate, appliedAt: string): IsoDate {
  const applied = appliedAt.slice(0, 10);
  const lag = daysBetween(addDays(asOf, 1), plan.createdAt.toISOString().slice(0, 10));
  return lag > 7 ? addDays(applied, -lag) : applied;
}

export async function getOptimizationPlan(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'viewer');
  const { planId } = parseInput(planIdSchema, raw);
  const p = await loadPlan(ctx.app, ctx.actor.workspaceId, planId);
  if (!p) throw new AppError('NOT_FOUND', `no optimization plan ${planId} in "${ctx.actor.workspace}"`);
  const accounts = await requestStates(ctx.app, p);
  const r = p.result as unknown as WorkspacePlan;
  return {
    ...summary(p),
    options: p.options,
    warnings: r.warnings,
    accounts: accounts.map((a) => ({ ...a, ...pick(r.accounts.find((x) => x.accountId === a.accountId)!) })),
    campaigns: r.campaigns,
    outcome: await outcomeOf(ctx.app, p, accounts),
  };
}

const pick = (a: WorkspacePlan['accounts'][number]) => ({
  currentTotal: a.currentTotal,
  plannedTotal: a.plannedTotal,
  expected: a.expected,
  expectedAtCurrent: a.expectedAtCurrent,
});
