// Use case: forecast (viewers and above) — the next N days of a campaign, an account or the workspace at today's
// budgets, per day and in total, with intervals for the expected value at the level asked (weekly seasonality
// applied). Reuses core/analytics/forecast.ts over the optimizer's models.
import { forecast as coreForecast, type Interval } from '../../core/analytics/forecast.js';
import { addDays } from '../../core/dates.js';
import { formatMoney, moneyFromNumber } from '../../core/money.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { forecastSchema } from './forecasts.schema.js';
import { loadScope } from './scope-models.js';

const money = (n: number) => formatMoney(moneyFromNumber(Math.max(0, n)));
const round = (n: number) => Math.round(n * 100) / 100;
const moneyInterval = (i: Interval) => ({ value: money(i.value), low: money(i.low), high: money(i.high) });
const countInterval = (i: Interval) => ({ value: round(i.value), low: round(i.low), high: round(i.high) });
const dayView = (d: { date: string; spend: number; conversions: Interval; revenue: Interval }) => ({
  date: d.date,
  spend: money(d.spend),
  conversions: countInterval(d.conversions),
  revenue: moneyInterval(d.revenue),
});

export async function forecastOutcome(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(forecastSchema, raw);
  const scope = await loadScope(ctx, { campaign: q.campaign, account: q.account });
  const last = scope.campaigns
    .flatMap((c) => c.history.map((h) => h.date))
    .sort()
    .pop();
  const start = last ? addDays(last, 1) : new Date().toISOString().slice(0, 10);
  const modelled = scope.campaigns.filter((c) => c.model);
  const f = coreForecast(
    modelled.map((c) => ({ campaignId: c.id, model: c.model!, dailyBudget: Number(c.dailyBudget) })),
    start,
    q.days,
    q.level,
  );
  const t = f.portfolio.total;
  return {
    scope: { kind: scope.kind, ref: scope.ref },
    currency: scope.currency,
    level: q.level,
    start,
    days: f.portfolio.days.map(dayView),
    total: {
      spend: money(t.spend),
      conversions: countInterval(t.conversions),
      revenue: moneyInterval(t.revenue),
      roas: t.roas === null ? null : Math.round(t.roas * 1000) / 1000,
    },
    campaigns: f.campaigns.map((fc, i) => {
      const c = modelled[i]!;
      return {
        campaignId: c.id,
        externalId: c.externalId,
        name: c.name,
        platform: c.platform,
        days: fc.days.map(dayView),
        total: { spend: money(fc.total.spend), conversions: countInterval(fc.total.conversions), revenue: moneyInterval(fc.total.revenue) },
      };
    }),
    notes: scope.notes,
  };
}
