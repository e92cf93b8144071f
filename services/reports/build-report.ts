// The performance report's content for a workspace and period, as data (the renderers turn it into Markdown, HTML
// and CSV): spend, revenue, ROAS and CPA per platform with the change against the period before, the daily series
// per platform, top and bottom campaigns by ROAS, anomalies (core/analytics/anomalies.ts) in the period, pending
// approvals, and the latest optimization's predicted uplift next to its realised one where that is recorded.
// Shared by the report use case and the scheduled report activity.
import type pg from 'pg';
import type { PlatformKind } from '../../connectors/types.js';
import { detectAnomalies, type Anomaly } from '../../core/analytics/anomalies.js';
import { addDays, daysBetween } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';
import { formatMoney, parseMoney, ratio, sumMoney } from '../../core/money.js';
import { campaignDailyRows, campaignTotals, latestMetricDate, latestOptimization, pendingRequests } from '../../db/report-data.js';
import { dailySeries, platformAggregate } from '../../db/rollups.js';

export interface PlatformRow {
  platform: string;
  currency: string;
  spend: string;
  revenue: string;
  conversions: string;
  roas: number | null;
  cpa: string | null;
  previous: { spend: string; revenue: string; conversions: string; roas: number | null; cpa: string | null };
  change: { spend: number | null; revenue: number | null; conversions: number | null; roas: number | null };
}

export interface CampaignRow {
  id: string;
  externalId: string;
  name: string;
  platform: string;
  currency: string;
  spend: string;
  revenue: string;
  conversions: string;
  roas: number | null;
  cpa: string | null;
}

export interface Report {
  workspace: string;
  generatedAt: string;
  period: { from: string; to: string; days: number };
  previous: { from: string; to: string };
  currency: string;
  totals: Omit<PlatformRow, 'platform'>;
  platforms: PlatformRow[];
  series: { date: string; platform: string; spend: number; revenue: number }[];
  top: CampaignRow[];
  bottom: CampaignRow[];
  anomalies: (Anomaly & { campaign: string; platform: string })[];
  pending: { id: string; account: string; platform: string; requestedBy: string; reason: string; items: number; createdAt: string }[];
  optimization: {
    id: string;
    kind: string;
    objective: string;
    createdAt: string;
    dryRun: boolean;
    predictedUplift: number | null;
    realisedUplift: number | null;
    note: string;
  } | null;
  notes: string[];
}

const pct = (now: bigint, before: bigint): number | null => (before === 0n ? null : Math.round((Number(now - before) / Number(before)) * 1000) / 10);
const cpa = (spend: bigint, conv: bigint) => (conv > 0n ? formatMoney((spend * 1_000_000n) / conv) : null);
const roas = (rev: bigint, spend: bigint) => {
  const r = ratio(rev, spend);
  return r === null ? null : Math.round(r * 100) / 100;
};

/** A realised uplift stored by the optimization (field names differ between runs and plans; none may exist yet). */
function realisedOf(result: Record<string, unknown>): number | null {
  for (const k of ['realisedUplift', 'realizedUplift', 'realised', 'realized']) {
    const v = result?.[k];
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && typeof (v as { uplift?: unknown }).uplift === 'number') return (v as { uplift: number }).uplift;
  }
  return null;
}

export async function buildReport(pool: pg.Pool, ws: { id: string; slug: string }, q: { from?: string; to?: string; days: number }): Promise<Report> {
  const to = q.to ?? (await latestMetricDate(pool, ws.id));
  if (!to) throw new AppError('VALIDATION', 'the workspace has no stored metrics yet (sync first)');
  const from = q.from ?? addDays(to, -(q.days - 1));
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw new AppError('VALIDATION', `the period starts (${from}) after it ends (${to})`);
  if (days > 366) throw new AppError('VALIDATION', `a report covers at most 366 days, ${from} to ${to} is ${days}`);
  const prevTo = addDays(from, -1);
  const prevFrom = addDays(prevTo, -(days - 1));
  const [now, before] = await Promise.all([
    platformAggregate(pool, { workspaceId: ws.id, from, to }),
    platformAggregate(pool, { workspaceId: ws.id, from: prevFrom, to: prevTo }),
  ]);
  const notes: string[] = [];
  const currencies = [...new Set(now.flatMap((p) => p.byCurrency.map((c) => c.currency)))];
  if (currencies.length > 1) notes.push(`accounts report in ${currencies.join(', ')}: totals are shown per platform in the first currency only`);
  const currency = currencies[0] ?? 'USD';
  const pick = (p: (typeof now)[number] | undefined) => p?.byCurrency.find((c) => c.currency === currency) ?? { spend: '0', revenue: '0', conversions: '0' };
  const row = (
    platform: string,
    cur: { spend: string; revenue: string; conversions: string },
    prev: { spend: string; revenue: string; conversions: string },
  ) => {
    const [s, r, c, ps, pr, pc] = [cur.spend, cur.revenue, cur.conversions, prev.spend, prev.revenue, prev.conversions].map(parseMoney) as bigint[];
    const roasNow = roas(r!, s!);
    const roasBefore = roas(pr!, ps!);
    return {
      platform,
      currency,
      spend: formatMoney(s!),
      revenue: formatMoney(r!),
      conversions: formatMoney(c!, 1),
      roas: roasNow,
      cpa: cpa(s!, c!),
      previous: { spend: formatMoney(ps!), revenue: formatMoney(pr!), conversions: formatMoney(pc!, 1), roas: roasBefore, cpa: cpa(ps!, pc!) },
      change: {
        spend: pct(s!, ps!),
        revenue: pct(r!, pr!),
        conversions: pct(c!, pc!),
        roas: roasNow !== null && roasBefore ? Math.round(((roasNow - roasBefore) / roasBefore) * 1000) / 10 : null,
      },
    };
  };
  const platforms = [...new Set([...now, ...before].map((p) => p.platform))]
    .sort()
    .map((p) => row(p, pick(now.find((x) => x.platform === p)), pick(before.find((x) => x.platform === p))));
  const sum = (k: 'spend' | 'revenue' | 'conversions', prev = false) =>
    formatMoney(sumMoney(platforms.map((p) => parseMoney(prev ? p.previous[k] : p[k]))), k === 'conversions' ? 4 : 2);
  const { platform: _, ...totals } = row(
    'all',
    { spend: sum('spend'), revenue: sum('revenue'), conversions: sum('conversions') },
    {
      spend: sum('spend', true),
      revenue: sum('revenue', true),
      conversions: sum('conversions', true),
    },
  );

  const series: Report['series'] = [];
  for (const p of platforms) {
    for (const pt of await dailySeries(pool, { workspaceId: ws.id, from, to, platform: p.platform as PlatformKind })) {
      if (pt.currency === currency) series.push({ date: pt.date, platform: p.platform, spend: Number(pt.spend), revenue: Number(pt.revenue) });
    }
  }

  const campaigns: CampaignRow[] = (await campaignTotals(pool, ws.id, from, to)).map((c) => {
    const [s, r, cv] = [c.spend, c.revenue, c.conversions].map(parseMoney) as bigint[];
    return { ...c, spend: formatMoney(s!), revenue: formatMoney(r!), conversions: formatMoney(cv!, 1), roas: roas(r!, s!), cpa: cpa(s!, cv!) };
  });
  const ranked = campaigns.filter((c) => c.roas !== null).sort((a, b) => b.roas! - a.roas! || (a.externalId < b.externalId ? -1 : 1));
  const top = ranked.slice(0, 5);
  const bottom = ranked.slice(Math.max(top.length, ranked.length - 5)).reverse();

  // Anomalies: each campaign's days of the period against the same weekdays of the four weeks before.
  const daily = await campaignDailyRows(pool, ws.id, addDays(from, -28), to);
  const byCampaign = new Map<string, { date: string; spend: number; conversions: number; clicks: number; impressions: number }[]>();
  for (const r of daily) {
    const list = byCampaign.get(r.campaign_id) ?? [];
    list.push({ date: r.date, spend: Number(r.spend), conversions: Number(r.conversions), clicks: Number(r.clicks), impressions: Number(r.impressions) });
    byCampaign.set(r.campaign_id, list);
  }
  const names = new Map(campaigns.map((c) => [c.id, c]));
  const anomalies: Report['anomalies'] = [];
  for (const [id, rows] of byCampaign) {
    const c = names.get(id);
    if (!c) continue;
    for (const a of detectAnomalies(rows, { days, label: `${c.name} (${c.platform} ${c.externalId})` }))
      if (a.severity !== 'info' && a.date >= from) anomalies.push({ ...a, campaign: c.name, platform: c.platform });
  }
  anomalies.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));

  const pending = (await pendingRequests(pool, ws.id)).map((r) => ({
    id: r.id,
    account: r.account,
    platform: r.platform,
    requestedBy: r.requested_by,
    reason: r.reason,
    items: Number(r.items),
    createdAt: r.created_at.toISOString(),
  }));

  const opt = await latestOptimization(pool, ws.id);
  const realised = opt ? realisedOf(opt.result) : null;
  return {
    workspace: ws.slug,
    generatedAt: new Date().toISOString(),
    period: { from, to, days },
    previous: { from: prevFrom, to: prevTo },
    currency,
    totals,
    platforms,
    series,
    top,
    bottom,
    anomalies: anomalies.slice(0, 20),
    pending,
    optimization: opt
      ? {
          id: opt.id,
          kind: opt.kind,
          objective: opt.objective,
          createdAt: opt.created_at.toISOString(),
          dryRun: opt.dry_run,
          predictedUplift: opt.expected_uplift,
          realisedUplift: realised,
          note:
            realised === null
              ? 'realised uplift not recorded: the optimization store has no realised outcome for this run yet'
              : 'realised uplift as recorded by the optimization',
        }
      : null,
    notes,
  };
}
