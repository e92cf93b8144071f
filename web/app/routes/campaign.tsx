// One campaign: its fitted response curve (the what-if use case at ½ to 2× today's budget, with its uncertainty
// band, the observed days, and today's and the latest optimization's recommended budget marked), daily spend,
// revenue and conversions over the last 30 synced days, and its change history (the change requests that touched
// it, newest first).
import { useState } from 'react';
import { Link, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { MetricLines, ResponseCurve } from '../components/charts';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { money, PLATFORM_LABEL, ratio, scaleMoney, statusTone, when } from '../lib/format';
import { whatIf } from '../lib/insights.server';
import {
  campaignMetrics,
  getOptimizationPlan,
  getOptimizationRun,
  isAppError,
  listCampaigns,
  listChanges,
  listOptimizationPlans,
  listOptimizationRuns,
} from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Campaign · MBO' }];

type Ctx = Awaited<ReturnType<typeof requireUser>>['ctx'];

/** Today's budget ×0.5 … ×2, denser near today's (whole percentages, so the budgets stay exact to the cent); nine
 * what-ifs draw the smooth curve, each one a fit of the same models, so not more. */
const CURVE_PERCENT = [50, 70, 85, 100, 115, 130, 150, 175, 200];

interface Recommendation {
  budget: string;
  source: string;
  href: string;
  at: string;
}

/** The newest optimization (an account run or a workspace plan, among the latest few) with a budget for this campaign. */
async function recommendation(ctx: Ctx, campaignId: string, accountId: string): Promise<Recommendation | null> {
  const [runs, plans] = await Promise.all([listOptimizationRuns(ctx, { account: accountId, limit: 3 }), listOptimizationPlans(ctx, { limit: 3 })]);
  const found: Recommendation[] = [];
  for (const r of runs.items) {
    const run = await getOptimizationRun(ctx, { runId: r.id });
    const a = (run.result as { allocations?: { campaignId: string; dailyBudget: number }[] } | null)?.allocations?.find((x) => x.campaignId === campaignId);
    if (a) {
      found.push({ budget: a.dailyBudget.toFixed(2), source: `account run ${r.id.slice(0, 8)}`, href: `/optimize?run=${r.id}`, at: r.createdAt });
      break;
    }
  }
  for (const p of plans.items) {
    const plan = await getOptimizationPlan(ctx, { planId: p.id });
    const c = plan.campaigns.find((x) => x.campaignId === campaignId);
    if (c) {
      found.push({ budget: c.to, source: `workspace plan ${p.id.slice(0, 8)}`, href: `/optimize/workspace?plan=${p.id}`, at: p.createdAt });
      break;
    }
  }
  return found.sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
}

/** The campaign's fitted response at budgets around today's (and at the recommended one), or why there is none. */
async function responseCurve(ctx: Ctx, c: { id: string; status: string; dailyBudget: string | null }, rec: Recommendation | null) {
  if (c.status !== 'ACTIVE' || !c.dailyBudget || Number(c.dailyBudget) <= 0)
    return {
      unavailable:
        c.status !== 'ACTIVE' ? `the campaign is ${c.status.toLowerCase()}: no response curve` : 'the campaign has no daily budget: no response curve',
    };
  const budgets = [...new Set([...CURVE_PERCENT.map((p) => scaleMoney(c.dailyBudget!, p)), ...(rec ? [rec.budget] : [])])];
  try {
    // The what-if use case, one budget per call (each call fits the same models on the same stored history), five
    // at a time so their reads overlap without taking the whole database pool.
    const answers: Awaited<ReturnType<typeof whatIf>>[] = [];
    for (let i = 0; i < budgets.length; i += 5)
      answers.push(...(await Promise.all(budgets.slice(i, i + 5).map((budget) => whatIf(ctx, { campaign: c.id, budget })))));
    const first = answers[0]!;
    const at = (b: string) => answers.find((a) => a.campaigns[0]!.budget === b || Number(a.campaigns[0]!.budget) === Number(b))!.campaigns[0]!;
    return {
      currency: first.currency,
      level: first.level,
      identified: first.campaigns[0]!.identified,
      today: first.campaigns[0]!.currentBudget,
      notes: first.notes,
      points: answers.map((a) => ({ budget: a.campaigns[0]!.budget, ...a.campaigns[0]!.predicted })).sort((x, y) => Number(x.budget) - Number(y.budget)),
      atToday: first.campaigns[0]!.atCurrent,
      atRecommended: rec ? at(rec.budget).predicted : null,
    };
  } catch (e) {
    if (isAppError(e)) return { unavailable: e.message };
    throw e;
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const m = await campaignMetrics(ctx, { campaign: params.id });
  const [changes, listed] = await Promise.all([listChanges(ctx, { limit: 200 }), listCampaigns(ctx, { name: m.campaign.externalId, limit: 50 })]);
  const c = listed.items.find((x) => x.id === m.campaign.id) ?? null;
  const rec = c ? await recommendation(ctx, c.id, c.account.id) : null;
  const curve = c ? await responseCurve(ctx, c, rec) : { unavailable: 'campaign not listed' };
  const history = changes.items.flatMap((r) =>
    r.items
      .filter((i) => i.campaign.id === m.campaign.id)
      .map((i) => ({
        requestId: r.id,
        at: r.createdAt,
        status: r.status,
        kind: i.kind,
        from: i.fromBudget,
        to: i.toBudget,
        by: r.requestedBy,
        decidedBy: r.decidedBy,
        url: r.workflowUrl,
      })),
  );
  return { m, history, curve, rec, status: c?.status ?? null, dailyBudget: c?.dailyBudget ?? null };
}

type Loaded = Awaited<ReturnType<typeof loader>>;
type Curve = Exclude<Loaded['curve'], { unavailable: string }>;
type Metric = 'revenue' | 'conversions';

function Curve({ curve, rec, points }: { curve: Curve; rec: Recommendation | null; points: Loaded['m']['points'] }) {
  const [metric, setMetric] = useState<Metric>('revenue');
  const pick = (o: Curve['points'][number]) => ({ value: Number(o[metric].value), low: Number(o[metric].low), high: Number(o[metric].high) });
  const shown = (o: { value: string | number; low: string | number; high: string | number }) =>
    metric === 'revenue'
      ? `${money(o.value)} (${money(o.low)}–${money(o.high)})`
      : `${ratio(Number(o.value), 1)} (${ratio(Number(o.low), 1)}–${ratio(Number(o.high), 1)})`;
  const level = Math.round(curve.level * 100);
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center gap-2" role="group" aria-label="Outcome shown">
        {(['revenue', 'conversions'] as const).map((k) => (
          <Button key={k} type="button" size="sm" variant={metric === k ? 'default' : 'outline'} aria-pressed={metric === k} onClick={() => setMetric(k)}>
            {k === 'revenue' ? `Revenue (${curve.currency})` : 'Conversions'}
          </Button>
        ))}
        <span className="text-xs text-slate-700">
          {curve.identified
            ? "Fitted on the campaign's own history."
            : 'Too little budget variation in its own history: the curve leans on its platform peers, so the band is wide.'}
        </span>
      </div>
      <ResponseCurve
        points={curve.points.map((p) => ({ budget: Number(p.budget), ...pick(p) }))}
        observed={points.map((p) => ({ budget: Number(p.spend), value: Number(metric === 'revenue' ? p.revenue : p.conversions) }))}
        today={Number(curve.today)}
        recommended={rec ? Number(rec.budget) : null}
        name={metric}
        level={curve.level}
        label={`Predicted daily ${metric} against the daily budget, with its ${level}% interval; today's and the recommended budget marked`}
      />
      <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]" data-testid="curve-summary">
        <dt className="font-medium">Today: {money(curve.today, curve.currency)} a day</dt>
        <dd>
          expected {metric} {shown(curve.atToday[metric])}, {level}% interval
        </dd>
        {rec && curve.atRecommended ? (
          <>
            <dt className="font-medium">Recommended: {money(rec.budget, curve.currency)} a day</dt>
            <dd>
              expected {metric} {shown(curve.atRecommended[metric])} — from the{' '}
              <a className="text-blue-800 underline" href={rec.href}>
                {rec.source}
              </a>{' '}
              ({when(rec.at)})
            </dd>
          </>
        ) : (
          <dd className="sm:col-span-2 text-slate-700">No optimization has recommended a budget for this campaign yet.</dd>
        )}
      </dl>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-blue-800 underline">The curve as a table</summary>
        <Table className="mt-1">
          <thead>
            <tr>
              <Th>Daily budget ({curve.currency})</Th>
              <Th>Revenue ({level}% interval)</Th>
              <Th>Conversions</Th>
              <Th>ROAS</Th>
            </tr>
          </thead>
          <tbody>
            {curve.points.map((p) => (
              <tr key={p.budget} data-testid="curve-row">
                <Td className="font-mono">
                  {money(p.budget)}
                  {Number(p.budget) === Number(curve.today) ? ' (today)' : ''}
                  {rec && Number(p.budget) === Number(rec.budget) ? ' (recommended)' : ''}
                </Td>
                <Td>
                  {money(p.revenue.value)} ({money(p.revenue.low)}–{money(p.revenue.high)})
                </Td>
                <Td>
                  {ratio(p.conversions.value, 1)} ({ratio(p.conversions.low, 1)}–{ratio(p.conversions.high, 1)})
                </Td>
                <Td>{p.roas ? `${ratio(p.roas.value)} (${ratio(p.roas.low)}–${ratio(p.roas.high)})` : '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
    </>
  );
}

export default function Campaign() {
  const { m, history, curve, rec } = useLoaderData<typeof loader>();
  const data = m.points.map((p) => ({ date: p.date, spend: Number(p.spend), revenue: Number(p.revenue), conversions: Number(p.conversions) }));
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link className="text-blue-800 underline" to="/campaigns">
          Campaigns
        </Link>{' '}
        /
      </p>
      <h1 className="text-xl font-semibold">
        {m.campaign.name}{' '}
        <span className="text-base font-normal text-slate-700">
          ({PLATFORM_LABEL[m.campaign.platform] ?? m.campaign.platform}, {m.campaign.externalId})
        </span>
      </h1>
      <Card data-testid="curve-card">
        <CardTitle>Response curve: what a daily budget is expected to bring</CardTitle>
        {'unavailable' in curve ? (
          <p className="text-sm text-slate-700" data-testid="curve-unavailable">
            {curve.unavailable}
          </p>
        ) : (
          <Curve curve={curve} rec={rec} points={m.points} />
        )}
      </Card>
      <Card>
        <CardTitle>
          Metrics from {m.from} to {m.to} ({m.campaign.currency})
        </CardTitle>
        <MetricLines
          data={data}
          series={[
            { key: 'spend', name: 'Spend', color: '#1d4ed8' },
            { key: 'revenue', name: 'Revenue', color: '#15803d' },
            { key: 'conversions', name: 'Conversions', color: '#b45309' },
          ]}
        />
      </Card>
      <Card>
        <CardTitle>Change history</CardTitle>
        {history.length === 0 ? (
          <p className="text-sm text-slate-700">No change requests have touched this campaign.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Change</Th>
                <Th>Status</Th>
                <Th>Requested by</Th>
                <Th>Decided by</Th>
                <Th>Workflow</Th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.requestId}>
                  <Td>{when(h.at)}</Td>
                  <Td className="font-mono">{h.kind === 'budget' ? `${money(h.from)} → ${money(h.to)}` : h.kind}</Td>
                  <Td>
                    <Badge tone={statusTone(h.status)}>{h.status.replace(/_/g, ' ')}</Badge>
                  </Td>
                  <Td>{h.by}</Td>
                  <Td>{h.decidedBy ?? '—'}</Td>
                  <Td>
                    <a className="text-blue-800 underline" href={h.url} target="_blank" rel="noreferrer">
                      Temporal UI
                    </a>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
