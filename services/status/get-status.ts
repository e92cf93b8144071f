// Per-platform overview of a workspace: accounts, active campaigns, the latest full day's spend, revenue and
// ROAS (summed exactly in micros), and the last sync. "Yesterday" is each account's most recent synced day,
// which a sync always ends at the account-local yesterday.
import type { PlatformKind } from '../../connectors/types.js';
import { PLATFORMS } from '../../connectors/types.js';
import { formatMoney, parseMoney, ratio } from '../../core/money.js';
import { requireRole, type ServiceContext } from '../actor.js';

export interface PlatformStatus {
  platform: PlatformKind;
  currency: string | null;
  accounts: { id: string; name: string; externalId: string }[];
  activeCampaigns: number;
  campaigns: number;
  yesterday: { date: string | null; spend: string; revenue: string; conversions: string; roas: number | null };
  lastSync: { status: string; at: string; error: string | null } | null;
}

interface Row {
  id: string;
  name: string;
  external_id: string;
  platform: PlatformKind;
  currency: string;
  active: string | null;
  total: string | null;
  day: string | null;
  spend: string | null;
  revenue: string | null;
  conversions: string | null;
  sync_status: string | null;
  sync_at: Date | null;
  sync_error: string | null;
}

export async function getStatus(ctx: ServiceContext): Promise<PlatformStatus[]> {
  requireRole(ctx, 'viewer');
  const ws = { id: ctx.actor.workspaceId };
  const { rows } = await ctx.app.pool.query<Row>(
    `with acc as (select id, name, external_id, platform::text as platform, currency from platform_account where workspace_id = $1),
          camp as (select account_id, count(*) filter (where status = 'ACTIVE') as active, count(*) as total
                     from campaign where account_id in (select id from acc) group by account_id),
          last_day as (select c.account_id, max(m.date) as d from metric_daily m join campaign c on c.id = m.campaign_id
                        where c.account_id in (select id from acc) group by c.account_id),
          y as (select c.account_id, sum(m.spend) as spend, sum(m.conversion_value) as revenue, sum(m.conversions) as conversions
                  from metric_daily m join campaign c on c.id = m.campaign_id
                  join last_day l on l.account_id = c.account_id and m.date = l.d group by c.account_id),
          s as (select distinct on (account_id) account_id, status::text, coalesce(finished_at, started_at) as at, error
                  from sync_run where account_id in (select id from acc) order by account_id, started_at desc)
     select acc.*, camp.active, camp.total, l.d::text as day, y.spend::text, y.revenue::text, y.conversions::text,
            s.status as sync_status, s.at as sync_at, s.error as sync_error
       from acc left join camp on camp.account_id = acc.id left join last_day l on l.account_id = acc.id
       left join y on y.account_id = acc.id left join s on s.account_id = acc.id
      order by acc.platform, acc.name`,
    [ws.id],
  );
  const out: PlatformStatus[] = [];
  for (const platform of PLATFORMS) {
    const mine = rows.filter((r) => r.platform === platform);
    if (!mine.length) continue;
    let spend = 0n;
    let revenue = 0n;
    let conversions = 0n;
    for (const r of mine) {
      spend += parseMoney(r.spend ?? '0');
      revenue += parseMoney(r.revenue ?? '0');
      conversions += parseMoney(r.conversions ?? '0');
    }
    const currencies = [...new Set(mine.map((r) => r.currency))];
    const days = mine
      .map((r) => r.day)
      .filter((d): d is string => !!d)
      .sort();
    const latest = [...mine].filter((r) => r.sync_at).sort((a, b) => b.sync_at!.getTime() - a.sync_at!.getTime())[0];
    out.push({
      platform,
      currency: currencies.length === 1 ? currencies[0]! : null,
      accounts: mine.map((r) => ({ id: r.id, name: r.name, externalId: r.external_id })),
      activeCampaigns: mine.reduce((s, r) => s + Number(r.active ?? 0), 0),
      campaigns: mine.reduce((s, r) => s + Number(r.total ?? 0), 0),
      yesterday: {
        date: days[days.length - 1] ?? null,
        spend: formatMoney(spend),
        revenue: formatMoney(revenue),
        conversions: formatMoney(conversions, 1),
        roas: ratio(revenue, spend),
      },
      lastSync: latest ? { status: latest.sync_status!, at: latest.sync_at!.toISOString(), error: latest.sync_error } : null,
    });
  }
  return out;
}
