// Overview: spend, revenue, ROAS and CPA per platform for the last 7 synced days against the 7 before, the daily
// lines per platform with alert days marked, pending approvals and the last optimization's expected uplift.
import { Link, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { PlatformLines } from '../components/charts';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { money, pct, PLATFORM_LABEL, ratio } from '../lib/format';
import { getStatus, listAlerts, listChanges, listOptimizationRuns, platformMetrics } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Overview · MBO' }];

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const status = await getStatus(ctx);
  const latest =
    status
      .map((s) => s.yesterday.date)
      .filter((d): d is string => !!d)
      .sort()
      .at(-1) ?? iso(Date.now() - DAY);
  const end = Date.parse(latest);
  const [current, previous, pending, alerts, runs] = await Promise.all([
    platformMetrics(ctx, { from: iso(end - 6 * DAY), to: latest }),
    platformMetrics(ctx, { from: iso(end - 13 * DAY), to: iso(end - 7 * DAY) }),
    listChanges(ctx, { status: 'PENDING_APPROVAL', limit: 500 }),
    listAlerts(ctx, { limit: 50 }),
    listOptimizationRuns(ctx, { limit: 1 }),
  ]);
  // One point per day and platform (the same use case, one day at a time).
  const days = Array.from({ length: 14 }, (_, i) => iso(end - (13 - i) * DAY));
  const daily = await Promise.all(days.map((d) => platformMetrics(ctx, { from: d, to: d })));
  const num = (v: string | null | undefined) => (v == null ? null : Number(v));
  const spendSeries = days.map((date, i) => ({
    date,
    ...Object.fromEntries(daily[i]!.platforms.map((p) => [p.platform, num(p.spend ?? p.byCurrency[0]?.spend)])),
  }));
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
  const alertDays = [...new Set(alerts.items.map((a) => a.createdAt.slice(0, 10)).filter((d) => days.includes(d)))];
  return {
    from: current.from,
    to: current.to,
    current: current.platforms,
    previous: previous.platforms,
    status,
    spendSeries,
    roasSeries,
    alertDays,
    pending: pending.items.length,
    alerts: alerts.items.length,
    lastRun: runs.items[0] ?? null,
  };
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
          <p className="text-sm text-slate-700">Last optimization: expected uplift</p>
          <p className="text-2xl font-semibold">{d.lastRun ? pct(d.lastRun.expectedUplift) : '—'}</p>
        </Card>
      </div>
      <Card>
        <CardTitle>
          Last 7 days ({d.from} to {d.to}) against the 7 before
        </CardTitle>
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
      <div className="grid gap-3 lg:grid-cols-2">
        <Card>
          <CardTitle>Spend per day</CardTitle>
          <PlatformLines data={d.spendSeries} platforms={platforms} marks={d.alertDays} label="Spend per day and platform" />
        </Card>
        <Card>
          <CardTitle>ROAS per day</CardTitle>
          <PlatformLines data={d.roasSeries} platforms={platforms} marks={d.alertDays} label="ROAS per day and platform" />
        </Card>
      </div>
    </div>
  );
}
