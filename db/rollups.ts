// Daily rollups per ad account and the reads built on them: totals per platform over a date range and a daily
// series, in each account's currency (grouped by currency when accounts differ) and, on request, converted into a
// report currency at each day's rate. On plain Postgres the table metric_rollup_daily is kept in step by the
// metric upsert (db/metric-store.ts); where TimescaleDB made metric_rollup_daily_cagg (a continuous aggregate
// with real-time aggregation) the reads use that instead. rebuildRollups repairs the table from metric_daily.
import type pg from 'pg';
import type { PlatformKind } from '../connectors/types.js';
import { validateRange, type IsoDate } from '../core/dates.js';
import { AppError } from '../core/errors.js';
import { formatMoney, parseMoney, toDecimalString, type Micros } from '../core/money.js';
import { fxTableFor } from './fx-rates.js';

export type RollupMode = 'table' | 'timescale';
const modes = new WeakMap<pg.Pool, Promise<RollupMode>>();

/** Which rollup serves reads on this database (looked up once per pool). */
export function rollupMode(pool: pg.Pool): Promise<RollupMode> {
  let m = modes.get(pool);
  if (!m) {
    m = pool
      .query<{ cagg: boolean }>(`select to_regclass('metric_rollup_daily_cagg') is not null as cagg`)
      .then((r) => (r.rows[0]?.cagg ? 'timescale' : 'table'));
    m.catch(() => modes.delete(pool));
    modes.set(pool, m);
  }
  return m;
}

/** The rollup rows with workspace, platform and currency, from whichever source is in charge. */
async function rollupSource(pool: pg.Pool): Promise<string> {
  return (await rollupMode(pool)) === 'table'
    ? 'metric_rollup_daily'
    : `(select r.account_id, r.date, a.workspace_id, a.platform, r.currency, r.campaigns, r.impressions, r.clicks, r.spend,
               r.conversions, r.conversion_value
          from metric_rollup_daily_cagg r join platform_account a on a.id = r.account_id)`;
}

/**
 * Recomputes the rollup of the given accounts (default: all) and days (default: all) from metric_daily. The
 * upsert keeps the table in step on its own; this is for repair and backfill. Returns account-days written.
 */
export async function rebuildRollups(pool: pg.Pool, q: { accountIds?: string[]; from?: IsoDate; to?: IsoDate } = {}): Promise<number> {
  if ((await rollupMode(pool)) === 'timescale') {
    await pool.query(`call refresh_continuous_aggregate('metric_rollup_daily_cagg', $1::date, $2::date + 1)`, [q.from ?? null, q.to ?? null]);
    return 0;
  }
  const client = await pool.connect();
  try {
    await client.query('begin');
    const args = [q.accountIds ?? null, q.from ?? null, q.to ?? null];
    const where = (account: string, date: string) =>
      `($1::uuid[] is null or ${account} = any($1::uuid[])) and ($2::date is null or ${date} >= $2::date) and ($3::date is null or ${date} <= $3::date)`;
    await client.query(`delete from metric_rollup_daily where ${where('account_id', 'date')}`, args);
    const { rowCount } = await client.query(
      `insert into metric_rollup_daily (account_id, date, workspace_id, platform, currency, campaigns, impressions, clicks, spend,
                                        conversions, conversion_value)
       select c.account_id, m.date, a.workspace_id, a.platform, min(m.currency), count(*), sum(m.impressions), sum(m.clicks),
              sum(m.spend), sum(m.conversions), sum(m.conversion_value)
         from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id
        where ${where('c.account_id', 'm.date')}
        group by c.account_id, m.date, a.workspace_id, a.platform`,
      args,
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

/** Totals as exact decimal strings: money and conversions with 6 and 4 fraction digits, counts as integers. */
export interface MetricTotals {
  spend: string;
  revenue: string;
  conversions: string;
  clicks: string;
  impressions: string;
}

export interface PlatformAggregate {
  platform: PlatformKind;
  accounts: number;
  /**
   * The currency of `spend` and `revenue`: the report currency when one was asked for, else the accounts' one
   * currency; null when accounts differ and no report currency was asked (then see `byCurrency`).
   */
  currency: string | null;
  spend: string | null;
  revenue: string | null;
  conversions: string;
  clicks: string;
  impressions: string;
  /** Totals in each account currency (one entry when all the platform's accounts share a currency). */
  byCurrency: (MetricTotals & { currency: string })[];
}

export interface AggregateQuery {
  workspaceId: string;
  from: IsoDate;
  to: IsoDate;
  /** Convert spend and revenue into this currency at each day's rate (fx_rate); stored amounts never change. */
  reportCurrency?: string;
  /** How old the latest rate before a day may be (default 7 days); older means a missing rate, an error. */
  maxFxStaleDays?: number;
}

interface Acc {
  spend: Micros;
  revenue: Micros;
  conversions: Micros;
  clicks: bigint;
  impressions: bigint;
}
const zero = (): Acc => ({ spend: 0n, revenue: 0n, conversions: 0n, clicks: 0n, impressions: 0n });
const totals = (a: Acc): MetricTotals => ({
  spend: toDecimalString(a.spend),
  revenue: toDecimalString(a.revenue),
  conversions: formatMoney(a.conversions, 4),
  clicks: a.clicks.toString(),
  impressions: a.impressions.toString(),
});

interface DayRow {
  platform: PlatformKind;
  currency: string;
  date: IsoDate;
  spend: string;
  revenue: string;
  conversions: string;
  clicks: string;
  impressions: string;
}

/**
 * The rollup summed per platform and currency — per day too when `perDay` (a conversion into a report currency
 * needs each day's rate); without it the period's sums come back as one row per platform and currency.
 */
async function dayRows(pool: pg.Pool, q: AggregateQuery, filter: { platform?: PlatformKind; accountId?: string } = {}, perDay = true): Promise<DayRow[]> {
  validateRange(q);
  const src = await rollupSource(pool);
  const { rows } = await pool.query<DayRow>(
    `select r.platform::text as platform, trim(r.currency) as currency, ${perDay ? 'r.date' : 'null::date as date'}, sum(r.spend)::text as spend,
            sum(r.conversion_value)::text as revenue, sum(r.conversions)::text as conversions,
            sum(r.clicks)::text as clicks, sum(r.impressions)::text as impressions
       from ${src} r
      where r.workspace_id = $1 and r.date between $2::date and $3::date
        and ($4::text is null or r.platform::text = $4) and ($5::uuid is null or r.account_id = $5::uuid)
      group by r.platform, r.currency${perDay ? ', r.date order by r.date' : ''}`,
    [q.workspaceId, q.from, q.to, filter.platform ?? null, filter.accountId ?? null],
  );
  return rows;
}

async function converter(pool: pg.Pool, q: AggregateQuery, rows: DayRow[]) {
  const target = q.reportCurrency?.toUpperCase();
  if (!target) return undefined;
  if (!/^[A-Z]{3}$/.test(target)) throw new AppError('VALIDATION', `report currency must be a 3-letter code, got "${q.reportCurrency}"`);
  const currencies = [...new Set(rows.map((r) => r.currency))];
  const fx = currencies.some((c) => c !== target)
    ? await fxTableFor(pool, { currencies, target, from: q.from, to: q.to, maxStaleDays: q.maxFxStaleDays })
    : undefined;
  return { target, convert: (amount: Micros, from: string, date: IsoDate) => (fx ? fx.convert(amount, from, target, date) : amount) };
}

/**
 * Per platform over [from, to] (inclusive, account-local days): spend, revenue, conversions, clicks and
 * impressions of the workspace's accounts, exact, per account currency, and — with `reportCurrency` — spend and
 * revenue converted day by day into it. A missing rate fails the call with the pair and day.
 */
export async function platformAggregate(pool: pg.Pool, q: AggregateQuery): Promise<PlatformAggregate[]> {
  const [rows, accounts] = await Promise.all([dayRows(pool, q, {}, !!q.reportCurrency), accountCounts(pool, q)]);
  const conv = await converter(pool, q, rows);
  const byPlatform = new Map<PlatformKind, { all: Acc; report: Acc; byCcy: Map<string, Acc>; accounts: Set<string> }>();
  for (const r of rows) {
    let p = byPlatform.get(r.platform);
    if (!p) byPlatform.set(r.platform, (p = { all: zero(), report: zero(), byCcy: new Map(), accounts: new Set() }));
    let c = p.byCcy.get(r.currency);
    if (!c) p.byCcy.set(r.currency, (c = zero()));
    const spend = parseMoney(r.spend);
    const revenue = parseMoney(r.revenue);
    for (const a of [c, p.all]) {
      a.spend += spend;
      a.revenue += revenue;
      a.conversions += parseMoney(r.conversions);
      a.clicks += BigInt(r.clicks);
      a.impressions += BigInt(r.impressions);
    }
    if (conv) {
      p.report.spend += conv.convert(spend, r.currency, r.date);
      p.report.revenue += conv.convert(revenue, r.currency, r.date);
    }
  }
  return [...byPlatform.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([platform, p]) => {
      const all = totals(p.all);
      const single = p.byCcy.size === 1 ? [...p.byCcy.keys()][0]! : null;
      const currency = conv?.target ?? single;
      const money = conv ? totals(p.report) : single ? all : null;
      return {
        platform,
        accounts: accounts.get(platform) ?? 0,
        currency,
        spend: money?.spend ?? null,
        revenue: money?.revenue ?? null,
        conversions: all.conversions,
        clicks: all.clicks,
        impressions: all.impressions,
        byCurrency: [...p.byCcy.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ccy, a]) => ({ currency: ccy, ...totals(a) })),
      };
    });
}

async function accountCounts(pool: pg.Pool, q: AggregateQuery): Promise<Map<PlatformKind, number>> {
  const src = await rollupSource(pool);
  const { rows } = await pool.query<{ platform: PlatformKind; n: number }>(
    `select r.platform::text as platform, count(distinct r.account_id)::int as n from ${src} r
      where r.workspace_id = $1 and r.date between $2::date and $3::date group by r.platform`,
    [q.workspaceId, q.from, q.to],
  );
  return new Map(rows.map((r) => [r.platform, r.n]));
}

export interface SeriesPoint extends MetricTotals {
  date: IsoDate;
  currency: string;
}

/**
 * One point per day (and per account currency when they differ, unless `reportCurrency` converts them into one),
 * optionally for one platform or one account. Days without data are absent.
 */
export async function dailySeries(pool: pg.Pool, q: AggregateQuery & { platform?: PlatformKind; accountId?: string }): Promise<SeriesPoint[]> {
  const rows = await dayRows(pool, q, { platform: q.platform, accountId: q.accountId });
  const conv = await converter(pool, q, rows);
  const points = new Map<string, { date: IsoDate; currency: string; acc: Acc }>();
  for (const r of rows) {
    const currency = conv?.target ?? r.currency;
    const key = `${r.date}/${currency}`;
    let p = points.get(key);
    if (!p) points.set(key, (p = { date: r.date, currency, acc: zero() }));
    const spend = parseMoney(r.spend);
    const revenue = parseMoney(r.revenue);
    p.acc.spend += conv ? conv.convert(spend, r.currency, r.date) : spend;
    p.acc.revenue += conv ? conv.convert(revenue, r.currency, r.date) : revenue;
    p.acc.conversions += parseMoney(r.conversions);
    p.acc.clicks += BigInt(r.clicks);
    p.acc.impressions += BigInt(r.impressions);
  }
  return [...points.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.currency < b.currency ? -1 : 1))
    .map((p) => ({ date: p.date, currency: p.currency, ...totals(p.acc) }));
}
