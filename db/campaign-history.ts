// The active campaigns of a workspace (optionally of some platforms) with their daily history from the stored
// metrics: what the response-curve models behind forecasts, what-ifs and reports are fitted on.
import type pg from 'pg';

export interface CampaignWithHistory {
  id: string;
  externalId: string;
  name: string;
  platform: string;
  accountId: string;
  accountExternalId: string;
  currency: string;
  dailyBudget: string;
  history: { date: string; spend: number; conversions: number; revenue: number }[];
}

export async function campaignsWithHistory(
  pool: pg.Pool,
  workspaceId: string,
  o: { platforms?: string[]; historyDays: number },
): Promise<CampaignWithHistory[]> {
  const { rows: campaigns } = await pool.query<{
    id: string;
    external_id: string;
    name: string;
    platform: string;
    account_id: string;
    account_external_id: string;
    currency: string;
    daily_budget: string;
  }>(
    `select c.id::text, c.external_id, c.name, a.platform::text, a.id::text as account_id, a.external_id as account_external_id, a.currency,
            c.daily_budget::text
       from campaign c join platform_account a on a.id = c.account_id
      where a.workspace_id = $1 and c.status = 'ACTIVE' and c.daily_budget is not null and ($2::text[] is null or a.platform::text = any($2))
      order by a.platform, a.external_id, c.external_id`,
    [workspaceId, o.platforms ?? null],
  );
  if (!campaigns.length) return [];
  const { rows } = await pool.query<{ campaign_id: string; date: string; spend: string; conversions: string; revenue: string }>(
    `select campaign_id::text, date, spend::text, conversions::text, conversion_value::text as revenue from metric_daily
      where campaign_id = any($1::uuid[]) and date >= (select max(date) from metric_daily where campaign_id = any($1::uuid[])) - $2::int
      order by date`,
    [campaigns.map((c) => c.id), o.historyDays],
  );
  const byCampaign = new Map<string, CampaignWithHistory['history']>();
  for (const r of rows) {
    const h = byCampaign.get(r.campaign_id) ?? [];
    h.push({ date: r.date, spend: Number(r.spend), conversions: Number(r.conversions), revenue: Number(r.revenue) });
    byCampaign.set(r.campaign_id, h);
  }
  return campaigns.map((c) => ({
    id: c.id,
    externalId: c.external_id,
    name: c.name,
    platform: c.platform,
    accountId: c.account_id,
    accountExternalId: c.account_external_id,
    currency: c.currency,
    dailyBudget: c.daily_budget,
    history: byCampaign.get(c.id) ?? [],
  }));
}
