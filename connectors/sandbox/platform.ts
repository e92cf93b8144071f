// The sandbox ad platform's "server": accounts, campaigns, a simulated clock, reporting, mutations with
// idempotency keys, a call log and fault injection — all persisted in the `sandbox` schema, so a restart
// resets nothing. MBO reaches it only through SandboxConnector, as it would reach a real platform's API.
import type pg from 'pg';
import { addDays, type DateRange, type IsoDate } from '../../core/dates.js';
import type { BidTarget, CampaignInfo, MetricRow, PlatformKind } from '../types.js';
import { PLATFORMS } from '../types.js';
import { bidAggression, centsToDecimal, generateCampaign, historicalBudget, initialBidTarget, simulateDay, type CampaignTruth } from './model.js';

/** What the platform answers instead of data: an HTTP-like status, as a real API would. */
export class SandboxApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 429 | 503,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SandboxApiError';
  }
}

export type FaultKind = 'rate_limit' | 'transient' | 'slow' | 'auth_expired';
export type Operation = 'authenticate' | 'listCampaigns' | 'getMetrics' | 'mutate';

export interface FaultSpec {
  accountId?: string;
  operation?: Operation;
  kind: FaultKind;
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

export interface SetupOptions {
  seed: number;
  historyDays: number;
  /** First day not yet simulated (history ends the day before). */
  today: IsoDate;
  /** Account ids are `${prefix}-${platform}`; tests use their own prefix to stay isolated. */
  prefix?: string;
  campaignsPerAccount?: number;
}

const ACCOUNT_PROFILE: Record<PlatformKind, { name: string; currency: string; timeZone: string }> = {
  google_ads: { name: 'Sandbox Google Ads', currency: 'USD', timeZone: 'America/New_York' },
  meta: { name: 'Sandbox Meta Ads', currency: 'USD', timeZone: 'America/Los_Angeles' },
  tiktok: { name: 'Sandbox TikTok Ads', currency: 'USD', timeZone: 'UTC' },
  linkedin: { name: 'Sandbox LinkedIn Ads', currency: 'USD', timeZone: 'Europe/London' },
};

const CAMPAIGN_THEMES = [
  'Brand',
  'Prospecting',
  'Retargeting',
  'Lookalike',
  'Promo',
  'Evergreen',
  'Video',
  'Catalog',
  'Search',
  'Lead Gen',
  'Seasonal',
  'Awareness',
];

interface CampaignRow {
  id: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED';
  daily_budget: string;
  truth: CampaignTruth;
  carry: number;
  bid_kind: BidTarget['kind'] | null;
  bid_value: string | null;
  bid_base: string | null;
}

/** A bid target as the sandbox reports it: 2 decimals (target ROAS up to 4, trailing zeros beyond 2 dropped). */
const bidValue = (kind: BidTarget['kind'], v: string) =>
  kind === 'target_roas'
    ? Number(v)
        .toFixed(4)
        .replace(/(\.\d\d\d*?)0+$/, '$1')
    : Number(v).toFixed(2);

type InfoRow = Pick<CampaignRow, 'id' | 'name' | 'status' | 'daily_budget'> & Partial<Pick<CampaignRow, 'bid_kind' | 'bid_value'>>;

const toInfo = (c: InfoRow): CampaignInfo => ({
  externalId: c.id,
  name: c.name,
  status: c.status,
  dailyBudget: Number(c.daily_budget).toFixed(2),
  bidTarget: c.bid_kind && c.bid_value != null ? { kind: c.bid_kind, value: bidValue(c.bid_kind, c.bid_value) } : null,
});

const CAMPAIGN_COLUMNS = 'id, name, status, daily_budget, bid_kind, bid_value';

export class SandboxPlatform {
  constructor(private readonly pool: pg.Pool) {}

  // ---- world setup and clock -------------------------------------------------------------------------

  /** Creates the four accounts with their campaigns and history; accounts that exist are left as they are. */
  async setup(o: SetupOptions): Promise<string[]> {
    const prefix = o.prefix ?? 'sbx';
    const perAccount = o.campaignsPerAccount ?? 10;
    const ids: string[] = [];
    for (const platform of PLATFORMS) {
      const accountId = `${prefix}-${platform}`;
      ids.push(accountId);
      const client = await this.pool.connect();
      try {
        await client.query('begin');
        const p = ACCOUNT_PROFILE[platform];
        const inserted = await client.query(
          `insert into sandbox.account (id, platform, name, currency, time_zone, seed, today)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing returning id`,
          [accountId, platform, p.name, p.currency, p.timeZone, o.seed, o.today],
        );
        if (!inserted.rowCount) {
          await client.query('rollback');
          continue;
        }
        const rows: Array<[string, string, string, IsoDate, number, number, number, number, number]> = [];
        for (let i = 0; i < perAccount; i++) {
          const { truth, budget } = generateCampaign(o.seed, platform, i);
          const id = `${accountId}-c${String(i + 1).padStart(2, '0')}`;
          const name = `${CAMPAIGN_THEMES[i % CAMPAIGN_THEMES.length]} ${platform === 'google_ads' ? 'Search' : 'Social'} ${i + 1}`;
          const paused = i === perAccount - 1 && (platform === 'meta' || platform === 'linkedin');
          let carry = 0;
          for (let d = 0; d < o.historyDays; d++) {
            const date = addDays(o.today, d - o.historyDays);
            const b = historicalBudget(truth, budget, o.seed, id, d, o.historyDays);
            const day = simulateDay(truth, b, !(paused && d >= o.historyDays - 20), carry, date, o.seed, id);
            carry = day.carry;
            rows.push([id, date, '', date, day.impressions, day.clicks, day.spendCents, day.conversions, day.valueCents]);
          }
          const bid = initialBidTarget(truth, budget, platform, i);
          await client.query(
            `insert into sandbox.campaign (account_id, id, name, status, daily_budget, truth, carry, bid_kind, bid_value, bid_base)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
            [accountId, id, name, paused ? 'PAUSED' : 'ACTIVE', budget.toFixed(2), JSON.stringify(truth), carry, bid?.kind ?? null, bid?.value ?? null],
          );
        }
        await insertDays(
          client,
          accountId,
          rows.map(([id, date, , , imp, clk, spend, conv, value]) => ({ id, date, imp, clk, spend, conv, value })),
        );
        await client.query('commit');
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    }
    return ids;
  }

  /** Simulates the next `days` days of an account (or every account) from the budgets and statuses in force. */
  async advance(days: number, accountId?: string): Promise<{ accountId: string; today: IsoDate }[]> {
    const accounts = await this.pool.query<{ id: string; seed: number; today: IsoDate }>(
      `select id, seed, today from sandbox.account where ($1::text is null or id = $1) order by id`,
      [accountId ?? null],
    );
    if (accountId && !accounts.rowCount) throw new SandboxApiError(404, `no sandbox account ${accountId}`);
    const out: { accountId: string; today: IsoDate }[] = [];
    for (const a of accounts.rows) {
      const client = await this.pool.connect();
      try {
        await client.query('begin');
        const { rows: current } = await client.query<{ today: IsoDate }>('select today from sandbox.account where id = $1 for update', [a.id]);
        let today = current[0]!.today;
        const campaigns = (
          await client.query<CampaignRow>(
            'select id, name, status, daily_budget, truth, carry, bid_kind, bid_value, bid_base from sandbox.campaign where account_id = $1',
            [a.id],
          )
        ).rows;
        const rows: DayRow[] = [];
        for (let d = 0; d < days; d++) {
          for (const c of campaigns) {
            const aggression = bidAggression(c.bid_kind, c.bid_value, c.bid_base);
            const day = simulateDay(c.truth, Number(c.daily_budget), c.status === 'ACTIVE', c.carry, today, a.seed, c.id, aggression);
            c.carry = day.carry;
            rows.push({ id: c.id, date: today, imp: day.impressions, clk: day.clicks, spend: day.spendCents, conv: day.conversions, value: day.valueCents });
          }
          today = addDays(today, 1);
        }
        await insertDays(client, a.id, rows);
        for (const c of campaigns) await client.query('update sandbox.campaign set carry = $3 where account_id = $1 and id = $2', [a.id, c.id, c.carry]);
        await client.query('update sandbox.account set today = $2 where id = $1', [a.id, today]);
        await client.query('commit');
        out.push({ accountId: a.id, today });
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    }
    return out;
  }

  // ---- fault injection and observability (the test bed's knobs) ----------------------------------------

  async injectFault(f: FaultSpec): Promise<void> {
    await this.pool.query(`insert into sandbox.fault (account_id, operation, kind, remaining, retry_after_seconds, delay_ms) values ($1, $2, $3, $4, $5, $6)`, [
      f.accountId ?? null,
      f.operation ?? null,
      f.kind,
      f.count,
      f.retryAfterSeconds ?? 1,
      f.delayMs ?? 0,
    ]);
  }

  async clearFaults(accountId?: string): Promise<void> {
    await this.pool.query('delete from sandbox.fault where ($1::text is null or account_id = $1)', [accountId ?? null]);
  }

  async calls(accountId: string, operation?: Operation) {
    const { rows } = await this.pool.query<{ operation: string; outcome: string; detail: unknown; at: Date }>(
      'select operation, outcome, detail, at from sandbox.call_log where account_id = $1 and ($2::text is null or operation = $2) order by id',
      [accountId, operation ?? null],
    );
    return rows;
  }

  async mutationCount(accountId: string, campaignId?: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'select count(*) as n from sandbox.mutation where account_id = $1 and ($2::text is null or campaign_id = $2)',
      [accountId, campaignId ?? null],
    );
    return Number(rows[0]!.n);
  }

  async rowCount(accountId: string, range?: DateRange): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'select count(*) as n from sandbox.metric_day where account_id = $1 and ($2::date is null or date between $2 and $3)',
      [accountId, range?.from ?? null, range?.to ?? null],
    );
    return Number(rows[0]!.n);
  }

  // ---- the API -----------------------------------------------------------------------------------------

  async authenticate(accountId: string) {
    return this.call(accountId, 'authenticate', async () => {
      const { rows } = await this.pool.query<{ id: string; name: string; currency: string; time_zone: string; today: IsoDate }>(
        'select id, name, currency, time_zone, today from sandbox.account where id = $1',
        [accountId],
      );
      if (!rows[0]) throw new SandboxApiError(401, `unknown account ${accountId}: credentials rejected`);
      return rows[0];
    });
  }

  async listCampaigns(accountId: string): Promise<CampaignInfo[]> {
    return this.call(accountId, 'listCampaigns', async () => {
      const { rows } = await this.pool.query<CampaignRow>(`select ${CAMPAIGN_COLUMNS} from sandbox.campaign where account_id = $1 order by id`, [accountId]);
      return rows.map(toInfo);
    });
  }

  /** One campaign (the read-back after a change; counted as a listCampaigns call in the call log). */
  async getCampaign(accountId: string, campaignId: string): Promise<CampaignInfo | null> {
    return this.call(accountId, 'listCampaigns', async () => {
      const { rows } = await this.pool.query<CampaignRow>(`select ${CAMPAIGN_COLUMNS} from sandbox.campaign where account_id = $1 and id = $2`, [
        accountId,
        campaignId,
      ]);
      return rows[0] ? toInfo(rows[0]) : null;
    });
  }

  /** Report rows ordered by (date, campaign), paged with a keyset cursor "date|campaignId". */
  async getMetrics(accountId: string, campaignIds: string[] | null, range: DateRange, pageToken: string | undefined, pageSize: number) {
    return this.call(accountId, 'getMetrics', async () => {
      let after: [string, string] = ['0001-01-01', ''];
      if (pageToken) {
        const [d, c] = Buffer.from(pageToken, 'base64url').toString().split('|');
        if (!d || c === undefined) throw new SandboxApiError(400, 'malformed page token');
        after = [d, c];
      }
      const { rows } = await this.pool.query<{
        campaign_id: string;
        date: IsoDate;
        impressions: string;
        clicks: string;
        spend: string;
        conversions: string;
        conversion_value: string;
      }>(
        `select campaign_id, date, impressions, clicks, spend, conversions, conversion_value from sandbox.metric_day
          where account_id = $1 and date between $2 and $3 and ($4::text[] is null or campaign_id = any($4))
            and (date, campaign_id) > ($5::date, $6::text)
          order by date, campaign_id limit $7`,
        [accountId, range.from, range.to, campaignIds, after[0], after[1], pageSize + 1],
      );
      const more = rows.length > pageSize;
      const page = rows.slice(0, pageSize);
      const last = page[page.length - 1];
      const metricRows: MetricRow[] = page.map((r) => ({
        campaignExternalId: r.campaign_id,
        date: r.date,
        impressions: Number(r.impressions),
        clicks: Number(r.clicks),
        spend: r.spend,
        conversions: r.conversions,
        conversionValue: r.conversion_value,
      }));
      return { rows: metricRows, nextPageToken: more && last ? Buffer.from(`${last.date}|${last.campaign_id}`).toString('base64url') : undefined };
    });
  }

  /**
   * Budget change, pause, resume or bid target change. A replayed idempotency key returns the first result and
   * changes nothing. A bid target is refused (400) where the campaign has none, or names another strategy's target.
   */
  async mutate(
    accountId: string,
    campaignId: string,
    kind: 'budget' | 'pause' | 'resume' | 'bid',
    idempotencyKey: string,
    amount?: string,
    target?: BidTarget,
  ) {
    return this.call(accountId, 'mutate', async () => {
      if (!idempotencyKey) throw new SandboxApiError(400, 'idempotency key required');
      const client = await this.pool.connect();
      try {
        await client.query('begin');
        const prior = await client.query<{ before: CampaignInfo; after: CampaignInfo }>(
          'select before, after from sandbox.mutation where account_id = $1 and idempotency_key = $2',
          [accountId, idempotencyKey],
        );
        if (prior.rows[0]) {
          await client.query('commit');
          return { applied: false, before: prior.rows[0].before, after: prior.rows[0].after };
        }
        const { rows } = await client.query<CampaignRow>(`select ${CAMPAIGN_COLUMNS} from sandbox.campaign where account_id = $1 and id = $2 for update`, [
          accountId,
          campaignId,
        ]);
        const c = rows[0];
        if (!c) throw new SandboxApiError(404, `campaign ${campaignId} not found`);
        const before = toInfo(c);
        let budget = c.daily_budget;
        let status = c.status;
        let bid = c.bid_value;
        if (kind === 'budget') {
          if (!amount || !/^\d+(\.\d{1,6})?$/.test(amount) || Number(amount) < 1)
            throw new SandboxApiError(400, `invalid daily budget "${amount}": must be a decimal ≥ 1.00`);
          budget = amount;
        } else if (kind === 'bid') {
          if (!c.bid_kind) throw new SandboxApiError(400, `campaign ${campaignId} bids automatically: it has no bid target to set`);
          if (!target || target.kind !== c.bid_kind)
            throw new SandboxApiError(400, `campaign ${campaignId} bids with ${c.bid_kind}, not ${target?.kind ?? '(none)'}: that would switch its strategy`);
          if (!/^\d+(\.\d{1,6})?$/.test(target.value) || Number(target.value) <= 0)
            throw new SandboxApiError(400, `invalid ${target.kind} "${target.value}": must be a positive decimal`);
          bid = target.value;
        } else status = kind === 'pause' ? 'PAUSED' : 'ACTIVE';
        await client.query('update sandbox.campaign set daily_budget = $3, status = $4, bid_value = $5, updated_at = now() where account_id = $1 and id = $2', [
          accountId,
          campaignId,
          budget,
          status,
          bid,
        ]);
        const after = toInfo({ ...c, daily_budget: budget, status, bid_value: bid });
        await client.query('insert into sandbox.mutation (account_id, campaign_id, idempotency_key, kind, before, after) values ($1, $2, $3, $4, $5, $6)', [
          accountId,
          campaignId,
          idempotencyKey,
          kind,
          JSON.stringify(before),
          JSON.stringify(after),
        ]);
        await client.query('commit');
        return { applied: true, before, after };
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    });
  }

  /** Every API call passes here: consume a matching fault if one is armed, log the call and its outcome. */
  private async call<T>(accountId: string, operation: Operation, fn: () => Promise<T>): Promise<T> {
    const { rows } = await this.pool.query<{ kind: FaultKind; retry_after_seconds: number; delay_ms: number }>(
      `update sandbox.fault set remaining = remaining - 1
        where id = (select id from sandbox.fault
                     where remaining > 0 and (account_id is null or account_id = $1) and (operation is null or operation = $2)
                     order by id limit 1 for update skip locked)
        returning kind, retry_after_seconds, delay_ms`,
      [accountId, operation],
    );
    const fault = rows[0];
    const log = (outcome: string, detail?: unknown) =>
      this.pool.query('insert into sandbox.call_log (account_id, operation, outcome, detail) values ($1, $2, $3, $4)', [
        accountId,
        operation,
        outcome,
        detail === undefined ? null : JSON.stringify(detail),
      ]);
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delay_ms));
    if (fault?.kind === 'rate_limit') {
      await log('429', { retryAfterSeconds: fault.retry_after_seconds });
      throw new SandboxApiError(429, 'rate limit exceeded', fault.retry_after_seconds);
    }
    if (fault?.kind === 'transient') {
      await log('503');
      throw new SandboxApiError(503, 'service temporarily unavailable');
    }
    if (fault?.kind === 'auth_expired') {
      await log('401');
      throw new SandboxApiError(401, 'access token expired: re-authorize the account');
    }
    try {
      const result = await fn();
      await log('200');
      return result;
    } catch (e) {
      await log(e instanceof SandboxApiError ? String(e.status) : 'error', { message: (e as Error).message });
      throw e;
    }
  }
}

interface DayRow {
  id: string;
  date: IsoDate;
  imp: number;
  clk: number;
  spend: number;
  conv: number;
  value: number;
}

async function insertDays(client: pg.PoolClient, accountId: string, rows: DayRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await client.query(
      `insert into sandbox.metric_day (account_id, campaign_id, date, impressions, clicks, spend, conversions, conversion_value)
       select $1, * from unnest($2::text[], $3::date[], $4::bigint[], $5::bigint[], $6::numeric[], $7::numeric[], $8::numeric[])
       on conflict do nothing`,
      [
        accountId,
        chunk.map((r) => r.id),
        chunk.map((r) => r.date),
        chunk.map((r) => r.imp),
        chunk.map((r) => r.clk),
        chunk.map((r) => centsToDecimal(r.spend)),
        chunk.map((r) => r.conv),
        chunk.map((r) => centsToDecimal(r.value)),
      ],
    );
  }
}
