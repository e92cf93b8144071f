// Set-based writes of normalized platform data. Upserts are idempotent: writing the same rows again changes
// no row count, and a row is only rewritten when a value actually changed (platforms restate recent days).
//
// One page of daily rows is written in one transaction. A first load of an account's days (no row there yet) is
// streamed with COPY straight into metric_daily and the rollup summed from it (copyFresh); otherwise a large page is
// streamed with COPY into a session-private staging table, a small one is passed as arrays (unnest) — both feed the
// same single set-based statement that upserts metric_daily and adds each changed row's difference to the account's daily
// rollup (metric_rollup_daily), so the rollup is never out of step with the rows it sums.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CampaignInfo, MetricRow } from '../connectors/types.js';
import { AppError } from '../core/errors.js';
import { rollupMode, type RollupMode } from './rollups.js';

export async function upsertCampaigns(pool: pg.Pool, accountId: string, currency: string, campaigns: CampaignInfo[]): Promise<number> {
  if (!campaigns.length) return 0;
  const { rowCount } = await pool.query(
    `insert into campaign (id, account_id, external_id, name, status, daily_budget, bid_kind, bid_target, currency, updated_at, last_synced_at)
     select gen_random_uuid(), $1, u.ext, u.name, u.status::"CampaignStatus", u.budget, u.bid_kind, u.bid_target, $2, now(), now()
       from unnest($3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[], $8::numeric[]) as u(ext, name, status, budget, bid_kind, bid_target)
     on conflict (account_id, external_id) do update
       set name = excluded.name, status = excluded.status, daily_budget = excluded.daily_budget,
           bid_kind = excluded.bid_kind, bid_target = excluded.bid_target,
           currency = excluded.currency, last_synced_at = now(),
           updated_at = case when (campaign.name, campaign.status, campaign.daily_budget, campaign.bid_kind, campaign.bid_target) is distinct from
                                  (excluded.name, excluded.status, excluded.daily_budget, excluded.bid_kind, excluded.bid_target)
                             then now() else campaign.updated_at end`,
    [
      accountId,
      currency,
      campaigns.map((c) => c.externalId),
      campaigns.map((c) => c.name),
      campaigns.map((c) => c.status),
      campaigns.map((c) => c.dailyBudget),
      campaigns.map((c) => c.bidTarget?.kind ?? null),
      campaigns.map((c) => c.bidTarget?.value ?? null),
    ],
  );
  return rowCount ?? 0;
}

/**
 * Pages with at least this many rows go through COPY; smaller ones as unnest arrays. Measured on a 2-core
 * machine (bench/ingest): COPY's extra round trips cost more than they save below a few hundred rows.
 */
export const COPY_MIN_ROWS = 300;

export interface UpsertOptions {
  /** Force one load path (tests and the benchmark); by default the page size decides. */
  via?: 'copy' | 'unnest';
  /** A first load's rollup: summed while streaming (default), or re-read from the rows written (the benchmark's A/B). */
  rollupFrom?: 'stream' | 'rows';
}

const STAGE = 'mbo_stage_metric';
/** Connections that already have the staging table (temporary tables live as long as their session). */
const staged = new WeakSet<pg.PoolClient>();

/**
 * Upserts one page of daily rows. A row for a campaign MBO has not listed yet (created on the platform
 * between the listing and the report) gets a placeholder campaign instead of being dropped. A campaign-day
 * that appears twice in one page is written once, with its last values. Returns the number of rows inserted
 * or changed.
 */
export async function upsertMetricRows(
  pool: pg.Pool,
  accountId: string,
  currency: string,
  syncRunId: string,
  rows: MetricRow[],
  opts: UpsertOptions = {},
): Promise<number> {
  if (!rows.length) return 0;
  const page = lastPerCampaignDay(rows);
  const via = opts.via ?? (page.length >= COPY_MIN_ROWS ? 'copy' : 'unnest');
  const rollup = await rollupMode(pool);
  const rollupFrom = opts.rollupFrom ?? 'stream';
  const first = await writePage(pool, { accountId, currency, syncRunId, page, via, rollup, rollupFrom, tryFresh: rollup === 'table' });
  if (first !== 'found-rows') return first;
  return (await writePage(pool, { accountId, currency, syncRunId, page, via, rollup, rollupFrom, tryFresh: false })) as number;
}

interface PageWrite {
  accountId: string;
  currency: string;
  syncRunId: string;
  page: MetricRow[];
  via: 'copy' | 'unnest';
  rollup: RollupMode;
  rollupFrom: 'stream' | 'rows';
  /** Try the `fresh` statement when the account has no rollup day in the page's range (table mode only). */
  tryFresh: boolean;
}

/** One transaction for one page; 'found-rows' when the fresh path met stored rows (rolled back: retry probing). */
async function writePage(pool: pg.Pool, w: PageWrite): Promise<number | 'found-rows'> {
  const { page } = w;
  const client = await pool.connect();
  try {
    const stage =
      w.via === 'copy' && !staged.has(client)
        ? `create temp table if not exists ${STAGE} (ext text not null, date date not null, imp bigint not null, clk bigint not null,
             spend numeric not null, conv numeric not null, val numeric not null) on commit delete rows;`
        : '';
    // One round trip opens the transaction. One writer per account at a time: the rollup adds differences
    // against the rows as the upsert saw them, which a concurrent page of the same account must not change.
    // Large batches sort in memory rather than in temporary files. Whether the account has any day in the page's
    // range decides between probing stored rows and the fresh path. (JIT would compile the big statement on every
    // page: more time than it saves here.)
    const memory = page.length >= 5000 ? `set local work_mem = '64MB';` : '';
    const [lo, hi] = dateSpan(page);
    const fresh =
      w.tryFresh && lo && hi
        ? `select not exists (select 1 from metric_rollup_daily where account_id = '${uuid(w.accountId)}' and date between '${lo}' and '${hi}') as fresh`
        : 'select false as fresh';
    const opened = await client.query(
      `${stage} begin; set local jit = off; ${memory} select pg_advisory_xact_lock(hashtextextended('${uuid(w.accountId)}', 7013)); ${fresh}`,
    );
    if (stage) staged.add(client);
    const isFresh = (opened as unknown as pg.QueryResult<{ fresh: boolean }>[]).at(-1)?.rows[0]?.fresh === true;
    if (isFresh && w.via === 'copy' && lo && hi) {
      const n = await copyFresh(client, w, lo, hi);
      if (n === 'found-rows') {
        await client.query('rollback');
        return 'found-rows';
      }
      await client.query('commit');
      return n;
    }
    let source: string;
    let params: unknown[] = [w.accountId, w.currency, w.syncRunId, [...new Set(page.map((r) => r.campaignExternalId))]];
    if (w.via === 'copy') {
      await pipeline(Readable.from(copyLines(page)), client.query(copyFrom(`copy ${STAGE} (ext, date, imp, clk, spend, conv, val) from stdin`)));
      if (page.length >= 20_000) await client.query(`analyze ${STAGE}`);
      source = `${STAGE} as u`;
    } else {
      source = `unnest($5::text[], $6::date[], $7::bigint[], $8::bigint[], $9::numeric[], $10::numeric[], $11::numeric[])
                as u(ext, date, imp, clk, spend, conv, val)`;
      params = [
        ...params,
        page.map((r) => r.campaignExternalId),
        page.map((r) => r.date),
        page.map((r) => r.impressions),
        page.map((r) => r.clicks),
        page.map((r) => r.spend),
        page.map((r) => r.conversions),
        page.map((r) => r.conversionValue),
      ];
    }
    const mode: MergeMode = w.rollup === 'timescale' ? 'plain' : isFresh ? 'fresh' : 'probe';
    const { rows: out } = await client.query<{ changed: number; rewritten: number }>(mergeSql(source, mode), params);
    if (mode === 'fresh' && (out[0]?.rewritten ?? 0) > 0) {
      await client.query('rollback');
      return 'found-rows';
    }
    await client.query('commit');
    return out[0]?.changed ?? 0;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * The first load of an account's days (`fresh`: the account has no rollup day, hence no row, in the page's range):
 * campaign ids are resolved (placeholders created) in one statement, the rows are streamed with COPY straight into
 * metric_daily — no staging table, no per-row lookup — and the rollup is summed from the rows just written, which
 * are the only rows of these campaigns in the range. A row that exists after all fails the COPY on the primary key
 * (unique_violation): the caller rolls back and writes the page through the probing statement instead.
 * The rollup's sums are computed here, exactly (integers of the columns' scale, rounded as numeric rounds), while the
 * COPY stream is produced — not read back from the rows just written; a page with a value that is not a plain
 * decimal (which only Postgres may interpret) is summed from the rows in SQL as before.
 */
async function copyFresh(client: pg.PoolClient, w: PageWrite, lo: string, hi: string): Promise<number | 'found-rows'> {
  const exts = [...new Set(w.page.map((r) => r.campaignExternalId))];
  const { rows: known } = await client.query<{ id: string; external_id: string }>(
    `with placeholder as (
       insert into campaign (id, account_id, external_id, name, status, currency, updated_at)
       select gen_random_uuid(), $1, ext, ext, 'ACTIVE', $2, now() from unnest($3::text[]) as ext
       on conflict (account_id, external_id) do nothing
       returning id, external_id)
     select id, external_id from campaign where account_id = $1 and external_id = any($3::text[])
     union all select id, external_id from placeholder`,
    [w.accountId, w.currency, exts],
  );
  const ids = new Map(known.map((k) => [k.external_id, k.id]));
  const sums = w.rollupFrom === 'stream' ? daySums(w.page) : null;
  try {
    await pipeline(
      Readable.from(copyResolvedLines(w.page, ids, w.currency, w.syncRunId)),
      client.query(
        copyFrom('copy metric_daily (campaign_id, date, impressions, clicks, spend, conversions, conversion_value, currency, sync_run_id) from stdin'),
      ),
    );
  } catch (e) {
    if ((e as { code?: string }).code === '23505') return 'found-rows';
    throw e;
  }
  const days = sums
    ? `unnest($3::date[], $4::int[], $5::bigint[], $6::bigint[], $7::numeric[], $8::numeric[], $9::numeric[])
         as d(date, campaigns, impressions, clicks, spend, conversions, conversion_value)`
    : `(select m.date, count(*) as campaigns, sum(m.impressions) as impressions, sum(m.clicks) as clicks, sum(m.spend) as spend,
               sum(m.conversions) as conversions, sum(m.conversion_value) as conversion_value
          from metric_daily m where m.campaign_id = any($3::uuid[]) and m.date between $4 and $5 group by m.date) d`;
  const params = sums
    ? [
        w.accountId,
        w.currency,
        sums.map((d) => d.date),
        sums.map((d) => d.campaigns),
        sums.map((d) => d.impressions.toString()),
        sums.map((d) => d.clicks.toString()),
        sums.map((d) => unscaled(d.spend, 6)),
        sums.map((d) => unscaled(d.conversions, 4)),
        sums.map((d) => unscaled(d.value, 6)),
      ]
    : [w.accountId, w.currency, [...ids.values()], lo, hi];
  await client.query(
    `insert into metric_rollup_daily as r (account_id, date, workspace_id, platform, currency, campaigns, impressions, clicks,
                                          spend, conversions, conversion_value, updated_at)
     select a.id, d.date, a.workspace_id, a.platform, $2, d.campaigns, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value, now()
       from ${days}
       join platform_account a on a.id = $1
     on conflict (account_id, date) do update
       set campaigns = r.campaigns + excluded.campaigns, impressions = r.impressions + excluded.impressions,
           clicks = r.clicks + excluded.clicks, spend = r.spend + excluded.spend, conversions = r.conversions + excluded.conversions,
           conversion_value = r.conversion_value + excluded.conversion_value, updated_at = now()`,
    params,
  );
  return w.page.length;
}

interface DaySum {
  date: string;
  campaigns: number;
  impressions: number;
  clicks: number;
  /** In units of the column's scale: spend and value 10⁻⁶, conversions 10⁻⁴ (safe integers, checked). */
  spend: number;
  conversions: number;
  value: number;
}

/**
 * The page's sums per day, exactly as numeric(18,6)/(18,4) and bigint columns would hold them; null when a value is
 * not a plain decimal or a sum leaves the range where a double counts exactly (2⁵³) — Postgres sums those instead.
 */
function daySums(
  page: MetricRow[],
): { date: string; campaigns: number; impressions: bigint; clicks: bigint; spend: bigint; conversions: bigint; value: bigint }[] | null {
  const byDay = new Map<string, DaySum>();
  for (const r of page) {
    const spend = scaledNumber(r.spend, 6);
    const conversions = scaledNumber(r.conversions, 4);
    const value = scaledNumber(r.conversionValue, 6);
    if (spend === null || conversions === null || value === null || !Number.isSafeInteger(r.impressions) || !Number.isSafeInteger(r.clicks)) return null;
    let d = byDay.get(r.date);
    if (!d) byDay.set(r.date, (d = { date: r.date, campaigns: 0, impressions: 0, clicks: 0, spend: 0, conversions: 0, value: 0 }));
    d.campaigns++;
    d.impressions += r.impressions;
    d.clicks += r.clicks;
    d.spend += spend;
    d.conversions += conversions;
    d.value += value;
  }
  const out = [...byDay.values()];
  for (const d of out) if (![d.impressions, d.clicks, d.spend, d.conversions, d.value].every(Number.isSafeInteger)) return null;
  return out.map((d) => ({
    ...d,
    impressions: BigInt(d.impressions),
    clicks: BigInt(d.clicks),
    spend: BigInt(d.spend),
    conversions: BigInt(d.conversions),
    value: BigInt(d.value),
  }));
}

/** scaled() without BigInt for the common case (a short plain decimal): a safe integer, else scaled()'s answer as one. */
function scaledNumber(v: string | number, scale: number): number | null {
  const t = String(v);
  const dot = t.indexOf('.');
  const digits = dot < 0 ? t.length : dot;
  if (t.length <= 15 && digits >= 1 && t.length - dot - 1 <= scale) {
    let n = 0;
    for (let i = 0; i < t.length; i++) {
      if (i === dot) continue;
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return slow(t, scale);
      n = n * 10 + c;
    }
    const fracLen = dot < 0 ? 0 : t.length - dot - 1;
    const x = n * 10 ** (scale - fracLen);
    return Number.isSafeInteger(x) ? x : null;
  }
  return slow(t, scale);
}

const slow = (t: string, scale: number): number | null => {
  const n = scaled(t, scale);
  return n === null || n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(n);
};

const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * A plain decimal string as an integer count of 10^-scale, rounded half away from zero as Postgres rounds a numeric
 * into a column of that scale ("12.3456785" at scale 6 → 12345679); null for anything else (exponents, NaN, spaces).
 */
export function scaled(v: string | number, scale: number): bigint | null {
  const m = PLAIN_DECIMAL.exec(String(v));
  if (!m || (!m[2] && !m[3])) return null;
  const frac = m[3] ?? '';
  let n = BigInt((m[2] || '0') + frac.slice(0, scale).padEnd(scale, '0'));
  if (frac.length > scale && frac.charCodeAt(scale) >= 53) n += 1n; // the first dropped digit is 5 or more
  return m[1] === '-' ? -n : n;
}

/** The inverse of scaled: an integer count of 10^-scale as a decimal string with `scale` digits. */
export function unscaled(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function* copyResolvedLines(rows: MetricRow[], ids: Map<string, string>, currency: string, syncRunId: string): Generator<string> {
  const CHUNK = 2000;
  const tail = `\t${escapeCopy(currency)}\t${escapeCopy(syncRunId)}\n`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let chunk = '';
    for (const r of rows.slice(i, i + CHUNK)) {
      const id = ids.get(r.campaignExternalId);
      if (!id) throw new AppError('INTERNAL', `no campaign id for ${r.campaignExternalId}`);
      chunk += `${id}\t${r.date}\t${r.impressions}\t${r.clicks}\t${r.spend}\t${r.conversions}\t${r.conversionValue}${tail}`;
    }
    yield chunk;
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The page's first and last day, when every day is a well-formed ISO date (they go into SQL as literals). */
function dateSpan(page: MetricRow[]): [string | undefined, string | undefined] {
  let lo: string | undefined;
  let hi: string | undefined;
  for (const r of page) {
    if (!ISO_DAY.test(r.date)) return [undefined, undefined];
    if (!lo || r.date < lo) lo = r.date;
    if (!hi || r.date > hi) hi = r.date;
  }
  return [lo, hi];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An account id checked to be a UUID, so it may stand as a literal in the one round trip that opens the transaction. */
function uuid(id: string): string {
  if (!UUID.test(id)) throw new AppError('VALIDATION', `not an account id: "${id}"`);
  return id;
}

/**
 * How the one statement learns what a row was before it:
 *  - `probe`: each row's stored values are read through the primary key first (`offset 0` keeps the planner from
 *    turning the per-row lookup into a scan of the whole table), so unchanged rows are left out
 *    before the upsert (a re-sync writes nothing — ON CONFLICT DO UPDATE would lock, i.e. write, every row it
 *    meets) and a rewritten row's old values give the rollup its difference;
 *  - `fresh`: the account has no rollup day in the page's date range, so it has no row there and nothing is
 *    probed (a first load). The statement reports rows it found after all, and the caller then retries with
 *    `probe` — the fast path is checked, never trusted.
 *  - `plain`: TimescaleDB's continuous aggregate does the rollup; rows are probed only to skip unchanged ones.
 */
type MergeMode = 'probe' | 'fresh' | 'plain';

/**
 * The one set-based statement: placeholder campaigns for unknown ids (`placeholder` returns only the new ones;
 * `known` adds those that existed before), the page's rows with their stored values (`cur`, new and changed rows
 * only), the upsert of those into metric_daily, and — unless Timescale does it — each row's difference added to
 * its account-day in metric_rollup_daily. All parts of one statement see the snapshot from before it.
 */
function mergeSql(source: string, mode: MergeMode): string {
  const cur =
    mode === 'fresh'
      ? `select s.*, null::bigint as o_imp, null::bigint as o_clk, null::numeric as o_spend, null::numeric as o_conv, null::numeric as o_val,
                false as found from s`
      : `select s.*, o.impressions as o_imp, o.clicks as o_clk, o.spend as o_spend, o.conversions as o_conv, o.conversion_value as o_val,
                o.campaign_id is not null as found
           from s left join lateral (
                  select m.campaign_id, m.impressions, m.clicks, m.spend, m.conversions, m.conversion_value from metric_daily m
                   where m.campaign_id = s.campaign_id and m.date = s.date offset 0) o on true
          where o.campaign_id is null
             or (o.impressions, o.clicks, o.spend, o.conversions, o.conversion_value) is distinct from (s.imp, s.clk, s.spend, s.conv, s.val)`;
  const upsert = `
    placeholder as (
      insert into campaign (id, account_id, external_id, name, status, currency, updated_at)
      select gen_random_uuid(), $1, ext, ext, 'ACTIVE', $2, now() from unnest($4::text[]) as ext
      on conflict (account_id, external_id) do nothing
      returning id, external_id
    ),
    known as (
      select id, external_id from campaign where account_id = $1 and external_id = any($4::text[])
      union all select id, external_id from placeholder
    ),
    s as (
      select c.id as campaign_id, u.date, u.imp::bigint as imp, u.clk::bigint as clk, u.spend::numeric(18,6) as spend,
             u.conv::numeric(18,4) as conv, u.val::numeric(18,6) as val
        from ${source} join known c on c.external_id = u.ext
    ),
    cur as (${cur}),
    up as (
      insert into metric_daily (campaign_id, date, impressions, clicks, spend, conversions, conversion_value, currency, sync_run_id, updated_at)
      select campaign_id, date, imp, clk, spend, conv, val, $2, $3, now() from cur order by campaign_id, date
      on conflict (campaign_id, date) do update
        set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
            conversions = excluded.conversions, conversion_value = excluded.conversion_value,
            currency = excluded.currency, sync_run_id = excluded.sync_run_id, updated_at = now()
        where (metric_daily.impressions, metric_daily.clicks, metric_daily.spend, metric_daily.conversions, metric_daily.conversion_value)
              is distinct from (excluded.impressions, excluded.clicks, excluded.spend, excluded.conversions, excluded.conversion_value)
      returning campaign_id, date, impressions, clicks, spend, conversions, conversion_value, xmax = 0 as inserted
    )`;
  const result = `select count(*)::int as changed, count(*) filter (where not inserted)::int as rewritten from up`;
  if (mode === 'plain') return `with ${upsert} ${result}`;
  return `with ${upsert},
    delta as (${
      mode === 'fresh'
        ? // every row is new: its values are the difference (a row found after all fails the statement's check)
          `select date, count(*) as campaigns, sum(impressions) as impressions, sum(clicks) as clicks, sum(spend) as spend,
                  sum(conversions) as conversions, sum(conversion_value) as conversion_value
             from up group by date`
        : `select cur.date, count(*) filter (where not cur.found) as campaigns,
                  sum(cur.imp - coalesce(cur.o_imp, 0)) as impressions, sum(cur.clk - coalesce(cur.o_clk, 0)) as clicks,
                  sum(cur.spend - coalesce(cur.o_spend, 0)) as spend, sum(cur.conv - coalesce(cur.o_conv, 0)) as conversions,
                  sum(cur.val - coalesce(cur.o_val, 0)) as conversion_value
             from cur join up on up.campaign_id = cur.campaign_id and up.date = cur.date
            group by cur.date`
    }),
    roll as (
      insert into metric_rollup_daily as r (account_id, date, workspace_id, platform, currency, campaigns, impressions, clicks,
                                            spend, conversions, conversion_value, updated_at)
      select a.id, d.date, a.workspace_id, a.platform, $2, d.campaigns, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value, now()
        from delta d join platform_account a on a.id = $1
      on conflict (account_id, date) do update
        set campaigns = r.campaigns + excluded.campaigns, impressions = r.impressions + excluded.impressions,
            clicks = r.clicks + excluded.clicks, spend = r.spend + excluded.spend, conversions = r.conversions + excluded.conversions,
            conversion_value = r.conversion_value + excluded.conversion_value, updated_at = now()
    )
    ${result}`;
}

/** The page with one row per campaign-day (the last one wins), so one statement never touches a row twice. */
function lastPerCampaignDay(rows: MetricRow[]): MetricRow[] {
  const byKey = new Map<string, MetricRow>();
  for (const r of rows) byKey.set(`${r.campaignExternalId}\u0000${r.date}`, r);
  return byKey.size === rows.length ? rows : [...byKey.values()];
}

/** COPY text format: tab-separated, with backslash escapes for the characters that would break a line. */
const escapeCopy = (s: string) => (/[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);

function* copyLines(rows: MetricRow[]): Generator<string> {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let chunk = '';
    for (const r of rows.slice(i, i + CHUNK)) {
      chunk += `${escapeCopy(r.campaignExternalId)}\t${r.date}\t${r.impressions}\t${r.clicks}\t${r.spend}\t${r.conversions}\t${r.conversionValue}\n`;
    }
    yield chunk;
  }
}

export async function lastStoredDate(pool: pg.Pool, accountId: string): Promise<string | null> {
  const { rows } = await pool.query<{ d: string | null }>(
    'select max(m.date) as d from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1',
    [accountId],
  );
  return rows[0]?.d ?? null;
}
