// Use cases to read campaigns and their metrics (any member): a filtered page of campaigns (always with
// platform, account and both ids), one campaign's daily or weekly metrics over a range, and the per-platform
// aggregate of a period (the rollup table answers it, converted to a report currency when asked).
import { addDays, type IsoDate } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';
import { formatMoney, parseMoney } from '../../core/money.js';
import { platformAggregate } from '../../db/rollups.js';
import { accountInWorkspace, isUuid } from '../../db/workspaces.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { campaignMetricsSchema, listCampaignsSchema, platformMetricsSchema, type CampaignView } from './campaigns.schema.js';

export async function listCampaigns(ctx: ServiceContext, raw: unknown = {}): Promise<{ items: CampaignView[]; nextCursor: string | null }> {
  requireRole(ctx, 'viewer');
  const q = parseInput(listCampaignsSchema, raw);
  const account = q.account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, q.account) : undefined;
  // Keyset paging on (platform, name, id): stable under inserts, O(limit) per page.
  let after: [string, string, string] | undefined;
  if (q.cursor) {
    const parts = Buffer.from(q.cursor, 'base64url').toString().split('\u0000');
    if (parts.length !== 3 || !isUuid(parts[2]!)) throw new AppError('INVALID_INPUT', 'cursor: not a cursor from a previous page');
    after = parts as [string, string, string];
  }
  const { rows } = await ctx.app.pool.query<{
    id: string;
    external_id: string;
    name: string;
    platform: CampaignView['platform'];
    account_id: string;
    account_external_id: string;
    account_name: string;
    status: CampaignView['status'];
    daily_budget: string | null;
    currency: string;
    last_synced_at: Date | null;
  }>(
    // Per account, the index on campaign (account_id, name, id) yields its next page in order; the few accounts'
    // pages are merged. The workspace's campaigns are never all sorted (an agency has tens of thousands).
    `select c.id::text, c.external_id, c.name, a.platform::text as platform, a.id::text as account_id, a.external_id as account_external_id,
            a.name as account_name, c.status::text as status, c.daily_budget::text, c.currency, c.last_synced_at
       from platform_account a
       cross join lateral (
         select c.* from campaign c
          where c.account_id = a.id
            and ($4::text is null or c.status::text = $4) and ($5::text is null or c.name ilike '%' || $5 || '%' or c.external_id ilike '%' || $5 || '%')
            and ($6::text is null or a.platform::text > $6 or (a.platform::text = $6 and (c.name, c.id) > ($7, $8::uuid)))
          order by c.name, c.id
          limit $9) c
      where a.workspace_id = $1
        and ($2::text is null or a.platform::text = $2) and ($3::uuid is null or a.id = $3)
        and ($6::text is null or a.platform::text >= $6)
      order by a.platform::text, c.name, c.id
      limit $9`,
    [
      ctx.actor.workspaceId,
      q.platform ?? null,
      account?.id ?? null,
      q.status ?? null,
      q.name ? q.name.replace(/[\\%_]/g, (m) => `\\${m}`) : null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      after?.[2] ?? null,
      q.limit + 1,
    ],
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      externalId: r.external_id,
      name: r.name,
      platform: r.platform,
      account: { id: r.account_id, externalId: r.account_external_id, name: r.account_name },
      status: r.status,
      dailyBudget: r.daily_budget === null ? null : formatMoney(parseMoney(r.daily_budget)), // two decimals, as budgets are set
      currency: r.currency,
      lastSyncedAt: r.last_synced_at?.toISOString() ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? Buffer.from([last.platform, last.name, last.id].join('\u0000')).toString('base64url') : null,
  };
}

async function latestDay(ctx: ServiceContext): Promise<IsoDate> {
  const { rows } = await ctx.app.pool.query<{ d: string | null }>(`select max(r.date)::text as d from metric_rollup_daily r where r.workspace_id = $1`, [
    ctx.actor.workspaceId,
  ]);
  return (rows[0]?.d ?? new Date().toISOString().slice(0, 10)) as IsoDate;
}

export async function campaignMetrics(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'viewer');
  const q = parseInput(campaignMetricsSchema, raw);
  const { rows: found } = await ctx.app.pool.query<{ id: string; external_id: string; name: string; platform: string; currency: string }>(
    `select c.id::text, c.external_id, c.name, a.platform::text, c.currency from campaign c join platform_account a on a.id = c.account_id
      where a.workspace_id = $1 and (c.external_id = $2 or ($3 and c.id = $2::uuid)) limit 1`,
    [ctx.actor.workspaceId, q.campaign, isUuid(q.campaign)],
  );
  const c = found[0];
  if (!c) throw new AppError('NOT_FOUND', `no campaign "${q.campaign}" in "${ctx.actor.workspace}"`);
  const to = (q.to ?? (await latestDay(ctx))) as IsoDate;
  const from = (q.from ?? addDays(to, -29)) as IsoDate;
  const bucket = q.granularity === 'week' ? `date_trunc('week', date)::date` : 'date';
  const { rows } = await ctx.app.pool.query(
    `select ${bucket}::text as date, sum(spend)::text as spend, sum(conversion_value)::text as revenue, sum(conversions)::text as conversions,
            sum(clicks)::text as clicks, sum(impressions)::text as impressions
       from metric_daily where campaign_id = $1 and date between $2 and $3 group by 1 order by 1`,
    [c.id, from, to],
  );
  return {
    campaign: { id: c.id, externalId: c.external_id, name: c.name, platform: c.platform, currency: c.currency },
    from,
    to,
    granularity: q.granularity,
    points: rows as { date: string; spend: string; revenue: string; conversions: string; clicks: string; impressions: string }[],
  };
}

export async function platformMetrics(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(platformMetricsSchema, raw);
  const to = (q.to ?? (await latestDay(ctx))) as IsoDate;
  const from = (q.from ?? addDays(to, -89)) as IsoDate;
  return { from, to, platforms: await platformAggregate(ctx.app.pool, { workspaceId: ctx.actor.workspaceId, from, to, reportCurrency: q.reportCurrency }) };
}
