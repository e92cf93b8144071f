// The page upsert against a real Postgres (a scratch database on DATABASE_URL's server): idempotency, restated
// values, placeholder campaigns, both load paths (COPY and unnest) and the rollup kept equal to a direct SUM.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricRow } from '../connectors/types.js';
import { createScratchDatabase } from './database.js';
import { scaled, unscaled, upsertCampaigns, upsertMetricRows } from './metric-store.js';
import { rebuildRollups } from './rollups.js';
import './pool.js';

const adminUrl = process.env.DATABASE_URL;
const RUN = '00000000-0000-4000-8000-000000000001';
let pool: pg.Pool;
let drop: (() => Promise<void>) | undefined;
let workspaceId: string;

async function account(platform = 'meta', currency = 'USD'): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into platform_account (id, workspace_id, platform, external_id, name, currency, time_zone)
     values (gen_random_uuid(), $1, $2, gen_random_uuid()::text, 'test', $3, 'UTC') returning id`,
    [workspaceId, platform, currency],
  );
  return rows[0]!.id;
}

const row = (ext: string, date: string, spend: string, extra: Partial<MetricRow> = {}): MetricRow => ({
  campaignExternalId: ext,
  date,
  impressions: 1000,
  clicks: 10,
  spend,
  conversions: '1.5',
  conversionValue: '30.25',
  ...extra,
});

function grid(campaigns: number, days: number, spend = (c: number, d: number) => `${c + 1}.${String(d).padStart(2, '0')}`): MetricRow[] {
  const out: MetricRow[] = [];
  for (let d = 0; d < days; d++)
    for (let c = 0; c < campaigns; c++) out.push(row(`c${c}`, `2026-03-${String(d + 1).padStart(2, '0')}`, spend(c, d), { impressions: 100 * c + d }));
  return out;
}

/** metric_daily summed directly per account-day vs the maintained rollup: every difference. */
async function rollupDrift(accountId: string) {
  const { rows } = await pool.query(
    `with direct as (
       select m.date, count(*)::int as campaigns, sum(m.impressions) as impressions, sum(m.clicks) as clicks, sum(m.spend) as spend,
              sum(m.conversions) as conversions, sum(m.conversion_value) as conversion_value
         from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1 group by m.date)
     select coalesce(d.date, r.date) as date from direct d full join (select * from metric_rollup_daily where account_id = $1) r on r.date = d.date
      where (d.campaigns, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value)
            is distinct from (r.campaigns, r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value)`,
    [accountId],
  );
  return rows;
}

const stored = async (accountId: string) =>
  (
    await pool.query(
      `select c.external_id, m.date, m.impressions, m.clicks, m.spend::text, m.conversions::text, m.conversion_value::text, m.updated_at
         from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1 order by 1, 2`,
      [accountId],
    )
  ).rows;

describe('exact sums of a COPY page (the rollup computed while streaming)', () => {
  it('scales plain decimals as numeric(…, scale) rounds them, and refuses anything else', () => {
    expect(scaled('12.3456785', 6)).toBe(12345679n);
    expect(scaled('-1.00005', 4)).toBe(-10001n);
    expect(scaled('7', 4)).toBe(70000n);
    expect(scaled('.5', 6)).toBe(500000n);
    expect(scaled(2.25, 6)).toBe(2250000n);
    for (const bad of ['1e3', 'NaN', '', '.', ' 1', '1,5']) expect(scaled(bad, 6)).toBeNull();
    expect([unscaled(12345679n, 6), unscaled(-10001n, 4), unscaled(5n, 6)]).toEqual(['12.345679', '-1.0001', '0.000005']);
  });
});

describe.skipIf(!adminUrl)('upsertMetricRows (needs DATABASE_URL: a Postgres server to make a scratch database on)', () => {
  beforeAll(async () => {
    const db = await createScratchDatabase(adminUrl!, `mbo_unit_store_${process.pid}`);
    drop = db.drop;
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    // Dropping the scratch database ends its connections: a client still closing must not raise an unhandled 'error'.
    pool.on('error', () => {});
    pool.on('connect', (c) => c.on('error', () => {}));
    workspaceId = (await pool.query<{ id: string }>(`insert into workspace (id, slug, name) values (gen_random_uuid(), 'w', 'w') returning id`)).rows[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await drop?.();
  });

  for (const via of ['copy', 'unnest'] as const) {
    it(`${via}: the same page twice changes nothing; restated values are rewritten, and only those`, async () => {
      const acc = await account();
      await upsertCampaigns(pool, acc, 'USD', [{ externalId: 'c0', name: 'Zero', status: 'ACTIVE', dailyBudget: '10' }]);
      const page = grid(4, 5);
      expect(await upsertMetricRows(pool, acc, 'USD', RUN, page, { via })).toBe(20);
      const before = await stored(acc);
      expect(await upsertMetricRows(pool, acc, 'USD', RUN, page, { via })).toBe(0);
      expect(await stored(acc)).toEqual(before);

      const restated = page.map((r) => (r.date === '2026-03-05' && r.campaignExternalId !== 'c3' ? { ...r, spend: '99.99', conversions: '2' } : r));
      expect(await upsertMetricRows(pool, acc, 'USD', RUN, restated, { via })).toBe(3);
      const after = await stored(acc);
      expect(after.filter((r) => r.spend === '99.990000')).toHaveLength(3);
      expect(after.filter((r, i) => r.updated_at.getTime() !== before[i].updated_at.getTime())).toHaveLength(3);
      expect(await rollupDrift(acc)).toEqual([]);
    });

    it(`${via}: unknown campaign ids get placeholder campaigns instead of losing rows`, async () => {
      const acc = await account();
      await upsertCampaigns(pool, acc, 'USD', [{ externalId: 'known', name: 'Known', status: 'PAUSED', dailyBudget: '5' }]);
      const n = await upsertMetricRows(
        pool,
        acc,
        'USD',
        RUN,
        [row('known', '2026-03-01', '1'), row('new-1', '2026-03-01', '2'), row('new-2', '2026-03-02', '3')],
        {
          via,
        },
      );
      expect(n).toBe(3);
      const { rows } = await pool.query(`select external_id, name, status from campaign where account_id = $1 order by external_id`, [acc]);
      expect(rows).toEqual([
        { external_id: 'known', name: 'Known', status: 'PAUSED' },
        { external_id: 'new-1', name: 'new-1', status: 'ACTIVE' },
        { external_id: 'new-2', name: 'new-2', status: 'ACTIVE' },
      ]);
      expect(await rollupDrift(acc)).toEqual([]);
    });
  }

  it('COPY and unnest store the same rows; ids with tabs, newlines and backslashes survive COPY', async () => {
    const odd = ['tab\there', 'new\nline', 'back\\slash', 'quote"\'', 'ünï'];
    const page = [...grid(3, 3), ...odd.map((ext, i) => row(ext, '2026-03-01', `${i}.5`))];
    const [a, b] = [await account(), await account()];
    await upsertMetricRows(pool, a, 'USD', RUN, page, { via: 'copy' });
    await upsertMetricRows(pool, b, 'USD', RUN, page, { via: 'unnest' });
    const strip = (rs: Record<string, unknown>[]) => rs.map(({ updated_at: _u, ...r }) => r);
    expect(strip(await stored(a))).toEqual(strip(await stored(b)));
    expect((await stored(a)).map((r) => r.external_id)).toEqual(expect.arrayContaining(odd));
  });

  it('a first load sums its rollup while streaming: equal to the rows, with values rounded to the columns and odd ones', async () => {
    const a = await account();
    const odd = grid(4, 5, (c, d) => `${c}.${d}0000049${c}`).map((r, i) => ({ ...r, conversions: `0.${i}5555`, conversionValue: `${i}.0000005` }));
    expect(await upsertMetricRows(pool, a, 'USD', RUN, odd, { via: 'copy' })).toBe(20);
    expect(await rollupDrift(a)).toEqual([]);
    // A value only Postgres reads ("1e1"): summed from the rows in SQL instead, still equal.
    const b = await account();
    const withExponent = grid(3, 4).map((r, i) => (i === 5 ? { ...r, spend: '1e1' } : r));
    expect(await upsertMetricRows(pool, b, 'USD', RUN, withExponent, { via: 'copy' })).toBe(12);
    expect(await rollupDrift(b)).toEqual([]);
    expect((await stored(b)).some((r) => r.spend === '10.000000')).toBe(true);
  });

  it('a campaign-day twice in one page is written once, with its last values', async () => {
    const acc = await account();
    expect(await upsertMetricRows(pool, acc, 'USD', RUN, [row('c', '2026-03-01', '1'), row('c', '2026-03-01', '2')], { via: 'copy' })).toBe(1);
    expect((await stored(acc))[0].spend).toBe('2.000000');
  });

  it('a range that looks fresh (no rollup day) but holds rows falls back to probing them: nothing is doubled', async () => {
    const acc = await account();
    const page = grid(3, 2);
    await upsertMetricRows(pool, acc, 'USD', RUN, page, { via: 'copy' });
    await pool.query(`delete from metric_rollup_daily where account_id = $1`, [acc]); // the rollup out of step
    const restated = page.map((r, i) => (i === 0 ? { ...r, spend: '42.00' } : r));
    expect(await upsertMetricRows(pool, acc, 'USD', RUN, restated, { via: 'copy' })).toBe(1);
    expect((await stored(acc)).filter((r) => r.spend === '42.000000')).toHaveLength(1);
    expect(
      (await pool.query(`select count(*)::int as n from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1`, [acc])).rows[0].n,
    ).toBe(6);
    await rebuildRollups(pool, { accountIds: [acc] });
    expect(await rollupDrift(acc)).toEqual([]);
  });

  it('the rollup stays equal to a direct SUM under concurrent, overlapping pages of one account', async () => {
    const acc = await account('tiktok');
    const pages = Array.from({ length: 8 }, (_, k) => grid(30, 10, (c, d) => `${(c * 7 + d * 3 + k) % 50}.${k}`).slice(k * 20, k * 20 + 150));
    await Promise.all(pages.map((p, k) => upsertMetricRows(pool, acc, 'USD', RUN, p, { via: k % 2 ? 'copy' : 'unnest' })));
    await Promise.all(pages.reverse().map((p) => upsertMetricRows(pool, acc, 'USD', RUN, p)));
    expect(await rollupDrift(acc)).toEqual([]);
    // and a rebuild from metric_daily agrees with what the upserts maintained
    const before = (await pool.query(`select * from metric_rollup_daily where account_id = $1 order by date`, [acc])).rows;
    expect(await rebuildRollups(pool, { accountIds: [acc] })).toBe(before.length);
    const after = (await pool.query(`select * from metric_rollup_daily where account_id = $1 order by date`, [acc])).rows;
    const strip = (rs: Record<string, unknown>[]) => rs.map(({ updated_at: _u, ...r }) => r);
    expect(strip(after)).toEqual(strip(before));
  });

  it('metric_daily has no per-row foreign key, yet a campaign with rows cannot be deleted (trigger under the account lock)', async () => {
    const acc = await account();
    await upsertMetricRows(pool, acc, 'USD', RUN, grid(2, 3), { via: 'copy' });
    const { rows: fk } = await pool.query(`select 1 from pg_constraint where conrelid = 'metric_daily'::regclass and contype = 'f'`);
    expect(fk).toEqual([]);
    const { rows: camps } = await pool.query<{ id: string }>(`select id from campaign where account_id = $1 order by external_id`, [acc]);
    await expect(pool.query(`delete from campaign where id = $1`, [camps[0]!.id])).rejects.toMatchObject({ code: '23503' });
    await pool.query(
      `insert into campaign (id, account_id, external_id, name, status, currency) values (gen_random_uuid(), $1, 'empty', 'empty', 'ACTIVE', 'USD')`,
      [acc],
    );
    expect((await pool.query(`delete from campaign where account_id = $1 and external_id = 'empty'`, [acc])).rowCount).toBe(1);
  });
});
