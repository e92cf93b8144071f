// Set-based writes of normalized platform data. Upserts are idempotent: writing the same rows again changes
// no row count, and a row is only rewritten when a value actually changed (platforms restate recent days).
import type pg from 'pg';
import type { CampaignInfo, MetricRow } from '../connectors/types.js';

export async function upsertCampaigns(pool: pg.Pool, accountId: string, currency: string, campaigns: CampaignInfo[]): Promise<number> {
  if (!campaigns.length) return 0;
  const { rowCount } = await pool.query(
    `insert into campaign (id, account_id, external_id, name, status, daily_budget, currency, updated_at, last_synced_at)
     select gen_random_uuid(), $1, u.ext, u.name, u.status::"CampaignStatus", u.budget, $2, now(), now()
       from unnest($3::text[], $4::text[], $5::text[], $6::numeric[]) as u(ext, name, status, budget)
     on conflict (account_id, external_id) do update
       set name = excluded.name, status = excluded.status, daily_budget = excluded.daily_budget,
           currency = excluded.currency, last_synced_at = now(),
           updated_at = case when (campaign.name, campaign.status, campaign.daily_budget) is distinct from
                                  (excluded.name, excluded.status, excluded.daily_budget) then now() else campaign.updated_at end`,
    [
      accountId,
      currency,
      campaigns.map((c) => c.externalId),
      campaigns.map((c) => c.name),
      campaigns.map((c) => c.status),
      campaigns.map((c) => c.dailyBudget),
    ],
  );
  return rowCount ?? 0;
}

/**
 * Upserts one page of daily rows. A row for a campaign MBO has not listed yet (created on the platform
 * between the listing and the report) gets a placeholder campaign instead of being dropped.
 * Returns the number of rows inserted or changed.
 */
export async function upsertMetricRows(pool: pg.Pool, accountId: string, currency: string, syncRunId: string, rows: MetricRow[]): Promise<number> {
  if (!rows.length) return 0;
  const client = await pool.connect();
  try {
    await client.query('begin');
    const externalIds = [...new Set(rows.map((r) => r.campaignExternalId))];
    await client.query(
      `insert into campaign (id, account_id, external_id, name, status, currency, updated_at)
       select gen_random_uuid(), $1, ext, ext, 'ACTIVE', $2, now() from unnest($3::text[]) as ext
       on conflict (account_id, external_id) do nothing`,
      [accountId, currency, externalIds],
    );
    const { rowCount } = await client.query(
      `insert into metric_daily (campaign_id, date, impressions, clicks, spend, conversions, conversion_value, currency, sync_run_id, updated_at)
       select c.id, u.date, u.imp, u.clk, u.spend, u.conv, u.val, $2, $3, now()
         from unnest($4::text[], $5::date[], $6::bigint[], $7::bigint[], $8::numeric[], $9::numeric[], $10::numeric[])
              as u(ext, date, imp, clk, spend, conv, val)
         join campaign c on c.account_id = $1 and c.external_id = u.ext
       on conflict (campaign_id, date) do update
         set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
             conversions = excluded.conversions, conversion_value = excluded.conversion_value,
             currency = excluded.currency, sync_run_id = excluded.sync_run_id, updated_at = now()
         where (metric_daily.impressions, metric_daily.clicks, metric_daily.spend, metric_daily.conversions, metric_daily.conversion_value)
               is distinct from (excluded.impressions, excluded.clicks, excluded.spend, excluded.conversions, excluded.conversion_value)`,
      [
        accountId,
        currency,
        syncRunId,
        rows.map((r) => r.campaignExternalId),
        rows.map((r) => r.date),
        rows.map((r) => r.impressions),
        rows.map((r) => r.clicks),
        rows.map((r) => r.spend),
        rows.map((r) => r.conversions),
        rows.map((r) => r.conversionValue),
      ],
    );
    await client.query('commit');
    return rowCount ?? 0;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export async function lastStoredDate(pool: pg.Pool, accountId: string): Promise<string | null> {
  const { rows } = await pool.query<{ d: string | null }>(
    'select max(m.date) as d from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1',
    [accountId],
  );
  return rows[0]?.d ?? null;
}
