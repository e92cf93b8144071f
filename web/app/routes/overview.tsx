// Overview: spend, revenue, ROAS and CPA per platform for the last 7, 14 or 28 synced days against as many days
// before; the same four per day and platform with alert days and anomaly days (the report's detector) marked;
// pending approvals; and the last requested optimization's predicted uplift next to its realised outcome
// (services/optimization getOptimizationPlan), or the last run's expected uplift when no plan was requested yet.
import { Link, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { PlatformLines } from '../components/charts';
import { Badge } from '../components/ui/badge';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { money, pct, PLATFORM_LABEL, ratio, when } from '../lib/format';
import { generateReport } from '../lib/insights.server';
import {
  getOptimizationPlan,
  getStatus,
  isAppError,
  listAlerts,
  listChanges,
  listOptimizationPlans,
  listOptimizationRuns,
  platformMetrics,
} from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Overview · MBO' }];

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The periods a marketer compares (each against the same number of days just before it). */
const PERIODS = [7, 14, 28] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const asked = Number(new URL(request.url).searchParams.get('days'));
  const period = (PERIODS as readonly number[]).includes(asked) ? asked : 7;
  const status = await getStatus(ctx);
  const latest =
    status
      .map((s) => s.yesterday.date)
      .filter((d): d is string => !!d)
      .sort()
      .at(-1) ?? iso(Date.now() - DAY);
  const end = Date.parse(latest);
  const [current, previous, pending, alerts, runs, plans, report] = await Promise.all([
    platformMetrics(ctx, { from: iso(end - (period - 1) * DAY), to: latest }),
    platformMetrics(ctx, { from: iso(end - (2 * period - 1) * DAY), to: iso(end - period * DAY) }),
    listChanges(ctx, { status: 'PENDING_APPROVAL', limit: 500 }),
    listAlerts(ctx, { limit: 50 }),
    listOptimizationRuns(ctx, { limit: 1 }),
    listOptimizationPlans(ctx, { limit: 20 }),
    // Anomalies over the charts' days: the weekly report's detector (each campaign against its own weekdays).
    generateReport(ctx, { days: 2 * period, to: latest, format: 'json' }).catch((e: unknown) => {
      if (isAppError(e)) return null; // e.g. no stored metrics yet: no anomalies to mark
      throw e;
    }),
  ]);
  const requested = plans.items.find((p) => !p.dryRun);
  const plan = requested ? await getOptimizationPlan(ctx, { planId: requested.id }) : null;
  // One point per day and platform (the same use case, one day at a time).
  const days = Array.from({ length: 2 * period }, (_, i) => iso(end - (2 * period - 1 - i) * DAY));
  const daily = await Promise.all(days.map((d) => platformMetrics(ctx, { from: d, to: d })));
  const num = (v: string | null | undefined) => (v == null ? null : Number(v));
  const spendSeries = days.map((date, i) => ({
    date,
    ...Object.fromEntries(daily[i]!.platforms.map((p) => [p.platform, num(p.spend ?? p.byCurrency[0]?.spend)])),
  }));
  // Per day and platform: the amounts in the platform's (first) currency, ROAS and CPA from the same sums.
  const perDay = (f: (spend: number | null, revenue: number | null, conversions: number | null) => number | null) =>
    days.map((date, i) => ({
      date,
      ...Object.fromEntries(
        daily[i]!.platforms.map((p) => [
          p.platform,
          f(num(p.spend ?? p.byCurrency[0]?.spend), num(p.revenue ?? p.byCurrency[0]?.revenue), num(p.conversions ?? p.byCurrency[0]?.conversions)),
        ]),
      ),
    }));
  const revenueSeries = perDay((_s, r) => r);
  const cpaSeries = perDay((s, _r, c) => (s !== null && c ? Number((s / c).toFixed(2)) : null));
  const roasSeries = days.map((date, i) => ({
    date,
    ...Object.fromEntries(
      daily[i]!.platforms.map((p) => {
        const s = num(p.spend ?? p.byCurrency[0]?.spend);
        const r = num(p.revenue ?? p.byCurrency[0]?.revenue);
        return [p.platform, s && r !== null ? Number((r / s).toFixed(3)) : null];
      }),
    ),
  }));
  // An alert marks the data day it is about (an anomaly alert's details.date), else the day it was raised.
  const alertDay = (a: (typeof alerts.items)[number]) => {
    const d = (a.details as { date?: unknown } | null)?.date;
    return typeof d === 'string' && /^\d{4}-\d\d-\d\d$/.test(d) ? d : a.createdAt.slice(0, 10);
  };
  const alertDays = [...new Set(alerts.items.map(alertDay).filter((d) => days.includes(d)))];
  const anomalies = (report?.report.anomalies ?? []).filter((a) => days.includes(a.date));
  const anomalyDays = [...new Set(anomalies.map((a) => a.date))];
  return {
    period,
    from: current.from,
    to: current.to,
    current: current.platforms,
    previous: previous.platforms,
    status,
    spendSeries,
    revenueSeries,
    roasSeries,
    cpaSeries,
    alertDays,
    anomalyDays,
    anomalies: anomalies.slice(0, 8).map((a) => ({ date: a.date, severity: a.severity, platform: a.platform, message: a.message })),
    anomalyCount: anomalies.length,
    pending: pending.items.length,
    alerts: alerts.items.length,
    lastRun: runs.items[0] ?? null,
    lastPlan: plan
      ? {
          id: plan.id,
          objective: plan.objective,
          reportCurrency: plan.reportCurrency,
          createdAt: plan.createdAt,
          requestedBy: plan.requestedBy,
          expectedUplift: plan.expectedUplift,
          expected: plan.expected,
          accounts: plan.accounts.map((a) => ({ platform: a.platform, status: a.status })),
          outcome: plan.outcome,
        }
      : null,
  };
}

type Loaded = Awaited<ReturnType<typeof loader>>;

const uplift = (now: number | null, base: number | null) => (now === null || !base ? null : now / base - 1);

/** The last requested plan: what it predicted (with its interval) and what happened after it was applied. */
function PlanOutcome({ plan }: { plan: NonNullable<Loaded['lastPlan']> }) {
  const o = plan.outcome;
  const unit = plan.objective === 'conversions' ? '' : ` ${plan.reportCurrency}`;
  const fmt = (v: number | null) => (v === null ? '—' : plan.objective === 'conversions' ? ratio(v, 1) : money(v));
  const predictedUplift = o.status === 'not-applied' ? plan.expectedUplift : uplift(o.predictedPerDay.value, o.predictedAtCurrent);
  const realisedUplift = uplift(o.realisedPerDay, o.beforePerDay);
  return (
    <Card data-testid="plan-outcome">
      <CardTitle>Last optimization: predicted vs realised</CardTitle>
      <p className="text-sm text-slate-700">
        <a className="text-blue-800 underline" href={`/optimize/workspace?plan=${plan.id}`}>
          Plan {plan.id.slice(0, 8)}
        </a>{' '}
        ({plan.objective}, {plan.reportCurrency}) by {plan.requestedBy} · {when(plan.createdAt)} ·{' '}
        {plan.accounts
          .map((a) => `${PLATFORM_LABEL[a.platform] ?? a.platform} ${a.status ? a.status.replace(/_/g, ' ').toLowerCase() : 'no request'}`)
          .join(', ')}
      </p>
      <dl className="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="rounded border border-slate-200 p-3">
          <dt className="text-sm text-slate-700">Predicted</dt>
          <dd>
            <span className="text-2xl font-semibold" data-testid="predicted-uplift">
              {pct(predictedUplift)}
            </span>{' '}
            <span className="text-sm">
              {plan.objective} per day: {fmt(o.predictedPerDay.value)}
              {unit} (90%: {fmt(o.predictedPerDay.low)}–{fmt(o.predictedPerDay.high)}) against {fmt(o.predictedAtCurrent)} at today's budgets
            </span>
          </dd>
        </div>
        <div className="rounded border border-slate-200 p-3">
          <dt className="text-sm text-slate-700">Realised</dt>
          <dd data-testid="realised">
            {o.realisedPerDay !== null ? (
              <>
                <span className="text-2xl font-semibold">{pct(realisedUplift)}</span>{' '}
                <span className="text-sm">
                  {fmt(o.realisedPerDay)}
                  {unit} per day over {o.days} day{o.days === 1 ? '' : 's'} after {o.appliedOn} against {fmt(o.beforePerDay)} the days before{' '}
                  {o.withinInterval ? <Badge tone="green">inside the interval</Badge> : <Badge tone="amber">outside the interval</Badge>}
                </span>
              </>
            ) : (
              <span className="text-sm">
                {o.status === 'not-applied'
                  ? 'Nothing applied yet: the realised outcome shows once its requests are approved and applied.'
                  : `Applied on ${o.appliedOn}; waiting for synced days after it (the outcome is measured over ${o.windowDays} days).`}
              </span>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}

export default function Overview() {
  const d = useLoaderData<typeof loader>();
  const platforms = d.current.map((p) => p.platform);
  const row = (p: (typeof d.current)[number] | undefined) => {
    const spend = Number(p?.spend ?? p?.byCurrency[0]?.spend ?? 0);
    const revenue = Number(p?.revenue ?? p?.byCurrency[0]?.revenue ?? 0);
    const conv = Number(p?.conversions ?? 0);
    return { spend, revenue, roas: spend ? revenue / spend : null, cpa: conv ? spend / conv : null, currency: p?.currency ?? p?.byCurrency[0]?.currency ?? '' };
  };
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Overview</h1>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Card>
          <p className="text-sm text-slate-700">Pending approvals</p>
          <p className="text-2xl font-semibold">
            <Link to="/approvals" className="text-blue-800 underline">
              {d.pending}
            </Link>
          </p>
        </Card>
        <Card>
          <p className="text-sm text-slate-700">Alerts (recent)</p>
          <p className="text-2xl font-semibold">{d.alerts}</p>
        </Card>
        <Card>
          <p className="text-sm text-slate-700">Platforms</p>
          <p className="text-2xl font-semibold" data-testid="platform-count">
            {platforms.length}
          </p>
        </Card>
        <Card>
          <p className="text-sm text-slate-700">Last optimization: predicted → realised</p>
          <p className="text-2xl font-semibold" data-testid="uplift-tile">
            {d.lastPlan
              ? `${pct(d.lastPlan.outcome.status === 'not-applied' ? d.lastPlan.expectedUplift : uplift(d.lastPlan.outcome.predictedPerDay.value, d.lastPlan.outcome.predictedAtCurrent))} → ${pct(uplift(d.lastPlan.outcome.realisedPerDay, d.lastPlan.outcome.beforePerDay))}`
              : d.lastRun
                ? `${pct(d.lastRun.expectedUplift)} → —`
                : '—'}
          </p>
        </Card>
      </div>
      <Card data-testid="period-comparison">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <CardTitle className="mb-0">
            Last {d.period} days ({d.from} to {d.to}) against the {d.period} before
          </CardTitle>
          <nav aria-label="Period" className="flex gap-1">
            {PERIODS.map((n) => (
              <Link
                key={n}
                to={n === 7 ? '/' : `/?days=${n}`}
                aria-current={d.period === n ? 'page' : undefined}
                className={`rounded-md border px-3 py-1 text-sm ${d.period === n ? 'border-blue-700 bg-blue-700 text-white' : 'border-slate-300 bg-white text-slate-900 hover:bg-slate-100'}`}
              >
                {n} days
              </Link>
            ))}
          </nav>
        </div>
        <Table>
          <thead>
            <tr>
              <Th>Platform</Th>
              <Th>Spend</Th>
              <Th>Revenue</Th>
              <Th>ROAS</Th>
              <Th>CPA</Th>
              <Th>Spend vs before</Th>
              <Th>ROAS vs before</Th>
            </tr>
          </thead>
          <tbody>
            {d.current.map((p) => {
              const now = row(p);
              const before = row(d.previous.find((q) => q.platform === p.platform));
              return (
                <tr key={p.platform} data-testid="platform-row">
                  <Td>{PLATFORM_LABEL[p.platform] ?? p.platform}</Td>
                  <Td>{money(now.spend, now.currency)}</Td>
                  <Td>{money(now.revenue, now.currency)}</Td>
                  <Td>{ratio(now.roas)}</Td>
                  <Td>{now.cpa === null ? '—' : money(now.cpa, now.currency)}</Td>
                  <Td>{before.spend ? pct(now.spend / before.spend - 1) : '—'}</Td>
                  <Td>{before.roas && now.roas ? pct(now.roas / before.roas - 1) : '—'}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
      <div className="grid gap-3 lg:grid-cols-2" data-testid="platform-charts">
        {(
          [
            ['Spend per day', d.spendSeries],
            ['Revenue per day', d.revenueSeries],
            ['ROAS per day', d.roasSeries],
            ['CPA per day', d.cpaSeries],
          ] as const
        ).map(([title, series]) => (
          <Card key={title}>
            <CardTitle>{title}</CardTitle>
            <PlatformLines data={series} platforms={platforms} marks={d.alertDays} anomalies={d.anomalyDays} label={`${title} and platform`} />
          </Card>
        ))}
      </div>
      <Card data-testid="anomalies">
        <CardTitle>
          Anomalies in these {2 * d.period} days ({d.anomalyCount}) and alerts ({d.alertDays.length} day{d.alertDays.length === 1 ? '' : 's'})
        </CardTitle>
        <p className="text-xs text-slate-700">
          Marked on the charts: <span className="text-red-800">alert</span> days (dashed) and <span className="text-amber-900">anomaly</span> days (dotted; a
          campaign's day against the same weekday of the four weeks before).{' '}
          <Link className="text-blue-800 underline" to="/alerts">
            All alerts
          </Link>
        </p>
        {d.anomalies.length ? (
          <ul className="mt-2 space-y-1 text-sm">
            {d.anomalies.map((a, i) => (
              <li key={i} data-testid="anomaly">
                <Badge tone={a.severity === 'critical' ? 'red' : 'amber'}>{a.severity}</Badge> {a.date} · {PLATFORM_LABEL[a.platform] ?? a.platform}:{' '}
                {a.message}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-700">No anomalies detected in these days.</p>
        )}
      </Card>
      {d.lastPlan ? <PlanOutcome plan={d.lastPlan} /> : null}
    </div>
  );
}
