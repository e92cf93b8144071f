// Use case: the attribution report (viewers and above): every model of core/analytics/attribution.ts side by side,
// per channel and per campaign, in conversions and in conversion value. Journeys are rebuilt from the stored
// touchpoints and conversions: each conversion closes the path of touches before it; touches after a user's last
// conversion form a path that did not convert (what the data-driven models learn from).
import { ATTRIBUTION_MODELS, attribute, compareModels, type AttributionModel, type Journey } from '../../core/analytics/attribution.js';
import { addDays } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';
import { formatMoney, moneyFromNumber, parseMoney, sumMoney } from '../../core/money.js';
import { loadJourneyRows } from '../../db/journeys.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { ATTRIBUTION_MODEL_NAMES, attributionReportSchema } from './attribution.schema.js';

interface Path {
  nodes: { channel: string; campaign: string; at: string }[];
  converted: boolean;
  value: number;
}

/** Rebuilds paths per user from rows ordered by user and time. */
export function buildPaths(
  touches: { user_key: string; channel: string; campaign: string; at: Date }[],
  conversions: { user_key: string; at: Date; value: string }[],
): { paths: Path[]; unattributed: number } {
  const byUser = new Map<string, { t: typeof touches; c: typeof conversions }>();
  for (const t of touches) (byUser.get(t.user_key) ?? byUser.set(t.user_key, { t: [], c: [] }).get(t.user_key)!).t.push(t);
  for (const c of conversions) (byUser.get(c.user_key) ?? byUser.set(c.user_key, { t: [], c: [] }).get(c.user_key)!).c.push(c);
  const paths: Path[] = [];
  let unattributed = 0;
  for (const { t, c } of byUser.values()) {
    let i = 0;
    for (const conv of c) {
      const nodes: Path['nodes'] = [];
      while (i < t.length && t[i]!.at <= conv.at) {
        nodes.push({ channel: t[i]!.channel, campaign: t[i]!.campaign, at: t[i]!.at.toISOString() });
        i++;
      }
      if (!nodes.length) unattributed++;
      else paths.push({ nodes, converted: true, value: Number(conv.value) });
    }
    if (i < t.length)
      paths.push({ nodes: t.slice(i).map((x) => ({ channel: x.channel, campaign: x.campaign, at: x.at.toISOString() })), converted: false, value: 0 });
  }
  return { paths, unattributed };
}

type Credits = Record<AttributionModel, Record<string, number>>;

function creditsFor(paths: Path[], key: (n: Path['nodes'][number]) => string, notes: string[], level: string) {
  const asJourneys = (withValue: boolean): Journey[] =>
    paths.map((p) => ({ touchpoints: p.nodes.map((n) => ({ channel: key(n), at: n.at })), converted: p.converted, value: withValue ? p.value : undefined }));
  const run = (withValue: boolean): Credits => {
    try {
      return compareModels(asJourneys(withValue));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // Shapley is exact over channel sets and refuses more than 20 nodes: report the others and say why.
      if (withValue) notes.push(`Shapley is not computed ${level}: ${e.message}`);
      const journeys = asJourneys(withValue);
      return Object.fromEntries(ATTRIBUTION_MODELS.filter((m) => m !== 'shapley').map((m) => [m, attribute(journeys, m)])) as Credits;
    }
  };
  return { conversions: run(false), value: run(true) };
}

function rows(credits: { conversions: Credits; value: Credits }, split: (key: string) => { channel: string; campaign?: string }) {
  const keys = new Set<string>();
  for (const m of ATTRIBUTION_MODELS) for (const k of Object.keys(credits.conversions[m] ?? {})) keys.add(k);
  return [...keys].sort().map((k) => ({
    ...split(k),
    credit: Object.fromEntries(
      ATTRIBUTION_MODELS.filter((m) => credits.conversions[m]).map((m) => [
        m,
        { conversions: Math.round((credits.conversions[m]![k] ?? 0) * 100) / 100, value: formatMoney(moneyFromNumber(credits.value[m]?.[k] ?? 0)) },
      ]),
    ),
  }));
}

export async function attributionReport(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(attributionReportSchema, raw);
  let to = q.to;
  if (!to) {
    const { rows: r } = await ctx.app.pool.query<{ last: string | null }>(
      `select to_char(max(occurred_at) at time zone 'UTC', 'YYYY-MM-DD') as last from journey_touchpoint where workspace_id = $1`,
      [ctx.actor.workspaceId],
    );
    to = r[0]?.last ?? new Date().toISOString().slice(0, 10);
  }
  const from = q.from ?? addDays(to, -89);
  const { touches, conversions } = await loadJourneyRows(ctx.app.pool, ctx.actor.workspaceId, `${from}T00:00:00Z`, `${addDays(to, 1)}T00:00:00Z`);
  const { paths, unattributed } = buildPaths(touches, conversions);
  const notes: string[] = [];
  if (!paths.length) notes.push(`no journeys stored between ${from} and ${to}`);
  const converting = paths.filter((p) => p.converted);
  const channelCredits = creditsFor(paths, (n) => n.channel, notes, 'per channel');
  const campaignCredits = creditsFor(paths, (n) => `${n.channel}/${n.campaign || '(none)'}`, notes, 'per campaign');
  if (unattributed) notes.push(`${unattributed} conversion(s) had no touch before them in the period and are not attributed`);
  return {
    period: { from, to },
    journeys: {
      users: new Set(touches.map((t) => t.user_key)).size,
      paths: paths.length,
      converting: converting.length,
      conversions: converting.length,
      value: formatMoney(sumMoney(conversions.map((c) => parseMoney(Number(c.value).toFixed(6))))),
      unattributed,
    },
    models: ATTRIBUTION_MODELS.map((id) => ({ id, name: ATTRIBUTION_MODEL_NAMES[id] })),
    channels: rows(channelCredits, (k) => ({ channel: k })),
    campaigns: rows(campaignCredits, (k) => {
      const [channel, ...rest] = k.split('/');
      return { channel: channel!, campaign: rest.join('/') };
    }),
    notes,
  };
}
