// GA4 traffic rows in and out (ga4_traffic_daily): an idempotent set-based upsert per (workspace, day, source,
// medium, campaign) that rewrites a row only when a value changed (GA4 restates recent days), and the sums the
// cross-check reads — GA4's per source/medium/campaign, and the platforms' own from the per-account rollup.
import type pg from 'pg';
import type { Ga4TrafficRow } from '../connectors/ga4/report.js';
import type { IsoDate } from '../core/dates.js';

export async function upsertGa4Traffic(pool: pg.Pool, workspaceId: string, currency: string | null, rows: Ga4TrafficRow[]): Promise<number> {
  if (!rows.length) return 0;
  // One row per key (GA4 never repeats one, but a page boundary moving under a restating report could).
  const byKey = new Map<string, Ga4TrafficRow>();
  for (const r of rows) byKey.set([r.date, r.source, r.medium, r.campaign].join('\u0000'), r);
  const u = [...byKey.values()];
  const { rowCount } = await pool.query(
    `insert into ga4_traffic_daily as t (workspace_id, date, source, medium, campaign, sessions, conversions, revenue, currency, updated_at)
     select $1, u.date, u.source, u.medium, u.campaign, u.sessions, u.conv, u.rev, $2, now()
       from unnest($3::date[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::numeric[], $9::numeric[])
            as u(date, source, medium, campaign, sessions, conv, rev)
     on conflict (workspace_id, date, source, medium, campaign) do update
       set sessions = excluded.sessions, conversions = excluded.conversions, revenue = excluded.revenue,
           currency = excluded.currency, updated_at = now()
     where (t.sessions, t.conversions, t.revenue, t.currency) is distinct from
           (excluded.sessions, excluded.conversions, excluded.revenue, excluded.currency)`,
    [
      workspaceId,
      currency,
      u.map((r) => r.date),
      u.map((r) => r.source),
      u.map((r) => r.medium),
      u.map((r) => r.campaign),
      u.map((r) => r.sessions),
      u.map((r) => r.conversions),
      u.map((r) => r.revenue),
    ],
  );
  return rowCount ?? 0;
}

export interface Ga4TrafficSum {
  source: string;
  medium: string;
  campaign: string;
  sessions: number;
  conversions: string;
  revenue: string;
  days: number;
}

export async function ga4TrafficSums(pool: pg.Pool, workspaceId: string, from: IsoDate, to: IsoDate): Promise<Ga4TrafficSum[]> {
  const { rows } = await pool.query<Ga4TrafficSum>(
    `select source, medium, campaign, sum(sessions)::int as sessions, sum(conversions)::text as conversions,
            sum(revenue)::text as revenue, count(distinct date)::int as days
       from ga4_traffic_daily where workspace_id = $1 and date between $2 and $3
      group by source, medium, campaign order by sum(conversions) desc, source, medium, campaign`,
    [workspaceId, from, to],
  );
  return rows;
}

export interface PlatformReported {
  platform: string;
  currency: string;
  conversions: string;
  conversionValue: string;
}

/** What the ad platforms themselves report over the range (the rollup MBO keeps per account and day). */
export async function platformReported(pool: pg.Pool, workspaceId: string, from: IsoDate, to: IsoDate): Promise<PlatformReported[]> {
  const { rows } = await pool.query<PlatformReported>(
    `select platform::text as platform, currency, sum(conversions)::text as conversions, sum(conversion_value)::text as "conversionValue"
       from metric_rollup_daily where workspace_id = $1 and date between $2 and $3
      group by platform, currency order by platform, currency`,
    [workspaceId, from, to],
  );
  return rows;
}
