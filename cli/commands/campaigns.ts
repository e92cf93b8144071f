// `mbo campaigns`: find a campaign and its ids — list (filtered by platform, account, status), search by name, and
// show one — always with MBO's id and the platform's id, platform, account, status, daily budget and the last 7-
// and 30-day spend / revenue / ROAS (summed exactly from the campaign's daily metrics).
import type { Command } from 'commander';
import { formatMoney, parseMoney, ratio } from '../../core/money.js';
import { listCampaignsSchema } from '../../services/campaigns/campaigns.schema.js';
import type { ApiClient, WhatIfView } from '../api-client.js';
import { examples } from '../help.js';
import { printJson, printTable, say, when } from '../output.js';
import { num, validate, withApi } from '../run.js';

type Point = { date: string; spend: string; revenue: string; conversions: string };
export interface Window {
  spend: string;
  revenue: string;
  conversions: string;
  roas: number | null;
}

/** Sums of the days in (to − days, to]. */
export function windowOf(points: Point[], to: string, days: number): Window {
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const inside = points.filter((p) => p.date >= from && p.date <= to);
  const spend = inside.reduce((s, p) => s + parseMoney(p.spend), 0n);
  const revenue = inside.reduce((s, p) => s + parseMoney(p.revenue), 0n);
  const conversions = inside.reduce((s, p) => s + parseMoney(p.conversions), 0n);
  return { spend: formatMoney(spend), revenue: formatMoney(revenue), conversions: formatMoney(conversions), roas: ratio(revenue, spend) };
}

async function windows(api: ApiClient, campaign: string) {
  const m = await api.campaignMetrics(campaign, {});
  return { to: m.to, d7: windowOf(m.points, m.to, 7), d30: windowOf(m.points, m.to, 30), points: m.points };
}

/** Runs `fn` over items, at most `n` at a time. */
async function pooled<T, U>(items: T[], n: number, fn: (t: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const roas = (r: number | null) => (r === null ? null : r.toFixed(2));

interface ListOpts {
  platform?: string;
  account?: string;
  status?: string;
  name?: string;
  limit: string;
  metrics: boolean;
  json?: boolean;
}

function list(opts: ListOpts) {
  const q = validate(
    listCampaignsSchema,
    { platform: opts.platform, account: opts.account, status: opts.status?.toUpperCase(), name: opts.name, limit: num(opts.limit) },
    { platform: '--platform', account: '--account', status: '--status', name: '--name', limit: '--limit' },
    opts.json,
  );
  return withApi(opts, async ({ api }) => {
    const page = await api.campaigns(q);
    const metrics = opts.metrics ? await pooled(page.items, 8, (c) => windows(api, c.id)) : [];
    if (opts.json)
      return printJson({
        items: page.items.map((c, i) => ({ ...c, ...(metrics[i] ? { last7Days: metrics[i]!.d7, last30Days: metrics[i]!.d30 } : {}) })),
        nextCursor: page.nextCursor,
      });
    if (!page.items.length) return say('No campaigns match.');
    printTable(
      [
        'MBO id',
        'Platform id',
        'Platform',
        'Account',
        'Campaign',
        'Status',
        'Budget',
        ...(opts.metrics ? ['Spend 7d', 'ROAS 7d', 'Spend 30d', 'ROAS 30d'] : []),
      ],
      page.items.map((c, i) => [
        c.id.slice(0, 8),
        c.externalId,
        c.platform,
        c.account.externalId,
        c.name,
        c.status.toLowerCase(),
        c.dailyBudget ? `${c.dailyBudget} ${c.currency}` : null,
        ...(opts.metrics ? [metrics[i]!.d7.spend, roas(metrics[i]!.d7.roas), metrics[i]!.d30.spend, roas(metrics[i]!.d30.roas)] : []),
      ]),
      ['l', 'l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
    );
    if (page.nextCursor) say(`(more: --limit ${q.limit * 2}, or narrow with --platform / --account / --name)`);
  });
}

const listOptions = (c: Command) =>
  c
    .option('--platform <platform>', 'google_ads | meta | tiktok | linkedin')
    .option('--account <id>', "only this account (MBO's id or the platform's)")
    .option('--status <status>', 'active | paused | removed')
    .option('--limit <n>', 'at most this many', '50')
    .option('--no-metrics', 'leave out the 7/30-day metrics (faster)')
    .option('--json', 'machine-readable output');

export function registerCampaigns(program: Command) {
  const campaigns = program.command('campaigns').description('campaigns with their ids, budgets and 7/30-day metrics');
  examples(
    listOptions(campaigns.command('list', { isDefault: true }).description('campaigns by platform, then name')).option('--name <text>', 'part of the name'),
    ['mbo campaigns', 'mbo campaigns list --platform meta --status active', 'mbo campaigns --account sbx-google_ads --json'],
  ).action((opts: ListOpts) => list(opts));
  examples(
    listOptions(
      campaigns.command('search').description('campaigns whose name or platform id contains the text (any case)').argument('<text>', 'part of the name'),
    ),
    ['mbo campaigns search "Evergreen"', 'mbo campaigns search brand --platform google_ads'],
  ).action((text: string, opts: ListOpts) => list({ ...opts, name: text }));
  examples(
    campaigns
      .command('show')
      .description('one campaign: ids, platform, account, status, budget, 7/30-day metrics, its response curve and its last 30 days')
      .argument('<campaign>', "MBO's campaign id or the platform's")
      .option('--json', 'machine-readable output'),
    ['mbo campaigns show sbx-google_ads-c01', 'mbo campaigns show 3f2a9c1e-… --json'],
  ).action((ref: string, opts: { json?: boolean }) =>
    withApi(opts, async ({ api }) => {
      const m = await api.campaignMetrics(ref, {});
      const w = { to: m.to, d7: windowOf(m.points, m.to, 7), d30: windowOf(m.points, m.to, 30), points: m.points };
      const page = await api.campaigns({ limit: 500, name: m.campaign.name });
      const c = page.items.find((x) => x.id === m.campaign.id) ?? null;
      const curve = c?.dailyBudget && c.status === 'ACTIVE' ? await responseCurve(api, m.campaign.id, c.dailyBudget) : null;
      const out = { campaign: c ?? m.campaign, asOf: w.to, last7Days: w.d7, last30Days: w.d30, responseCurve: curve, days: w.points };
      if (opts.json) return printJson(out);
      say(`${m.campaign.name} — ${m.campaign.platform}`);
      say(`  MBO id ${m.campaign.id}; platform id ${m.campaign.externalId}`);
      if (c)
        say(
          `  account ${c.account.externalId} (${c.account.name}); ${c.status.toLowerCase()}; budget ${c.dailyBudget ?? '—'} ${c.currency}/day; synced ${when(c.lastSyncedAt) ?? 'never'}`,
        );
      printTable(
        ['Period (to ' + w.to + ')', 'Spend', 'Revenue', 'Conversions', 'ROAS'],
        [
          ['7 days', w.d7.spend, w.d7.revenue, w.d7.conversions, roas(w.d7.roas)],
          ['30 days', w.d30.spend, w.d30.revenue, w.d30.conversions, roas(w.d30.roas)],
        ],
        ['l', 'r', 'r', 'r', 'r'],
      );
      if (curve && 'points' in curve) {
        say(
          `Response curve (${Math.round(curve.level * 100)}% intervals; ${curve.identified ? "fitted on the campaign's own history" : 'too little budget variation: leans on its platform peers'}):`,
        );
        printTable(
          ['Daily budget', 'Conversions', 'Revenue', 'ROAS'],
          curve.points.map((p) => [
            `${p.budget} ${curve.currency}${p.factor === 1 ? ' (today)' : ''}`,
            `${p.conversions.value.toFixed(1)} (${p.conversions.low.toFixed(1)}–${p.conversions.high.toFixed(1)})`,
            `${p.revenue.value} (${p.revenue.low}–${p.revenue.high})`,
            p.roas ? `${p.roas.value.toFixed(2)} (${p.roas.low.toFixed(2)}–${p.roas.high.toFixed(2)})` : '—',
          ]),
          ['r', 'r', 'r', 'r'],
        );
      } else if (curve) say(`Response curve: ${curve.unavailable}`);
    }),
  );
}

const CURVE_FACTORS = [0.5, 1, 1.5, 2];

type CurvePoint = { factor: number; budget: string } & WhatIfView['campaigns'][number]['predicted'];
type Curve = { currency: string; level: number; identified: boolean; points: CurvePoint[] } | { unavailable: string };

/** The campaign's fitted response at half, today's, 1.5× and twice its budget (the what-if use case, one call each). */
async function responseCurve(api: ApiClient, campaignId: string, dailyBudget: string): Promise<Curve> {
  try {
    const today = parseMoney(dailyBudget);
    const answers = await Promise.all(
      CURVE_FACTORS.map((f) => api.whatIf({ campaign: campaignId, budget: formatMoney((today * BigInt(Math.round(f * 100))) / 100n) })),
    );
    const first = answers[0]!.campaigns[0]!;
    return {
      currency: answers[0]!.currency,
      level: answers[0]!.level,
      identified: first.identified,
      points: answers.map((a, i) => ({ factor: CURVE_FACTORS[i]!, budget: a.campaigns[0]!.budget, ...a.campaigns[0]!.predicted })),
    };
  } catch (e) {
    return { unavailable: (e as Error).message };
  }
}
