// The reads behind the performance report that the rollups do not answer: per-campaign totals of a period, each
// campaign's daily rows (for anomalies), pending change requests and the latest optimization run or plan.
import type pg from 'pg';

export async function latestMetricDate(pool: pg.Pool, workspaceId: string): Promise<string | null> {
  const { rows } = await pool.query<{ d: string | null }>(`select max(date)::text as d from metric_rollup_daily where workspace_id = $1`, [workspaceId]);
  return rows[0]?.d ?? null;
}

export interface CampaignTotals {
  id: string;
  externalId: string;
  name: string;
  platform: string;
  currency: string;
  spend: string;
  revenue: string;
  conversions: string;
}

export async function campaignTotals(pool: pg.Pool, workspaceId: string, from: string, to: string): Promise<CampaignTotals[]> {
  const { rows } = await pool.query<CampaignTotals>(
    `select c.id::text, c.external_id as "externalId", c.name, a.platform::text as platform, a.currency,
            sum(m.spend)::text as spend, sum(m.conversion_value)::text as revenue, sum(m.conversions)::text as conversions
       from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id
      where a.workspace_id = $1 and m.date between $2::date and $3::date
      group by c.id, c.external_id, c.name, a.platform, a.currency`,
    [workspaceId, from, to],
  );
  return rows;
}

export async function campaignDailyRows(pool: pg.Pool, workspaceId: string, from: string, to: string) {
  const { rows } = await pool.query<{ campaign_id: string; date: string; spend: string; conversions: string; clicks: string; impressions: string }>(
    `select m.campaign_id::text, m.date::text, m.spend::text, m.conversions::text, m.clicks::text, m.impressions::text
       from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id
      where a.workspace_id = $1 and m.date between $2::date and $3::date order by m.date`,
    [workspaceId, from, to],
  );
  return rows;
}

export async function pendingRequests(pool: pg.Pool, workspaceId: string) {
  const { rows } = await pool.query<{ id: string; account: string; platform: string; requested_by: string; reason: string; created_at: Date; items: string }>(
    `select r.id::text, a.name as account, a.platform::text as platform, r.requested_by, r.reason, r.created_at,
            (select count(*) from change_item i where i.request_id = r.id)::text as items
       from change_request r join platform_account a on a.id = r.account_id
      where r.workspace_id = $1 and r.status in ('PENDING_APPROVAL', 'NEEDS_REAPPROVAL') order by r.created_at`,
    [workspaceId],
  );
  return rows;
}

/** The latest optimization (a workspace plan when that table exists, else an account run) and its stored result. */
export async function latestOptimization(pool: pg.Pool, workspaceId: string) {
  const { rows: has } = await pool.query<{ plan: boolean }>(`select to_regclass('optimization_plan') is not null as plan`);
  const queries = [
    `select id::text, 'account run' as kind, objective, expected_uplift, dry_run, created_at, result from optimization_run where workspace_id = $1`,
    ...(has[0]?.plan
      ? [`select id::text, 'workspace plan' as kind, objective, expected_uplift, dry_run, created_at, result from optimization_plan where workspace_id = $1`]
      : []),
  ];
  const { rows } = await pool.query<{
    id: string;
    kind: string;
    objective: string;
    expected_uplift: number | null;
    dry_run: boolean;
    created_at: Date;
    result: Record<string, unknown>;
  }>(`select * from (${queries.join(' union all ')}) x order by created_at desc limit 1`, [workspaceId]);
  return rows[0] ?? null;
}
