// Reads over the daily rollup on a real Postgres (scratch database on DATABASE_URL's server): per-platform totals
// equal to a direct SUM, per-currency grouping, conversion into a report currency at each day's rate (rates from
// the ECB fixture), and a missing rate as an error that names the pair and the day.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from './database.js';
import { loadFxFile, storeFxRates } from './fx-rates.js';
import { upsertMetricRows } from './metric-store.js';
import { dailySeries, platformAggregate } from './rollups.js';
import './pool.js';

const adminUrl = process.env.DATABASE_URL;
const ECB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'core', 'fixtures', 'eurofxref-hist-sample.xml');
const RUN = '00000000-0000-4000-8000-000000000001';
let pool: pg.Pool;
let drop: (() => Promise<void>) | undefined;
let ws: string;

async function account(platform: string, currency: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into platform_account (id, workspace_id, platform, external_id, name, currency, time_zone)
     values (gen_random_uuid(), $1, $2, gen_random_uuid()::text, 'a', $3, 'UTC') returning id`,
    [ws, platform, currency],
  );
  return rows[0]!.id;
}
const rows = (days: string[], spend: string, revenue: string) =>
  days.flatMap((date) =>
    ['x', 'y'].map((c) => ({ campaignExternalId: c, date, impressions: 100, clicks: 3, spend, conversions: '0.5', conversionValue: revenue })),
  );

describe.skipIf(!adminUrl)('platformAggregate / dailySeries (needs DATABASE_URL: a Postgres server to make a scratch database on)', () => {
  beforeAll(async () => {
    const db = await createScratchDatabase(adminUrl!, `mbo_unit_rollups_${process.pid}`);
    drop = db.drop;
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    // Dropping the scratch database ends its connections: a client still closing must not raise an unhandled 'error'.
    pool.on('error', () => {});
    pool.on('connect', (c) => c.on('error', () => {}));
    ws = (await pool.query<{ id: string }>(`insert into workspace (id, slug, name) values (gen_random_uuid(), 'r', 'r') returning id`)).rows[0]!.id;
    const days = ['2026-05-01', '2026-05-02', '2026-05-04'];
    await upsertMetricRows(pool, await account('meta', 'USD'), 'USD', RUN, rows(days, '10.00', '25.00'));
    await upsertMetricRows(pool, await account('meta', 'GBP'), 'GBP', RUN, rows(days, '8.50', '20.00'));
    await upsertMetricRows(pool, await account('google_ads', 'EUR'), 'EUR', RUN, rows(days, '100.123456', '300.5'));
    await upsertMetricRows(pool, await account('google_ads', 'EUR'), 'EUR', RUN, rows(['2026-04-01'], '1', '1')); // outside the range
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await drop?.();
  });

  it('sums each platform exactly and groups by currency when accounts differ', async () => {
    const agg = await platformAggregate(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-04' });
    expect(agg.map((a) => a.platform)).toEqual(['google_ads', 'meta']);
    const google = agg[0]!;
    expect(google).toMatchObject({ accounts: 1, currency: 'EUR', spend: '600.740736', revenue: '1803.000000', clicks: '18', impressions: '600' });
    expect(google.conversions).toBe('3.0000');
    const meta = agg[1]!;
    expect(meta).toMatchObject({ accounts: 2, currency: null, spend: null, revenue: null, clicks: '36', conversions: '6.0000' });
    expect(meta.byCurrency).toEqual([
      { currency: 'GBP', spend: '51.000000', revenue: '120.000000', conversions: '3.0000', clicks: '18', impressions: '600' },
      { currency: 'USD', spend: '60.000000', revenue: '150.000000', conversions: '3.0000', clicks: '18', impressions: '600' },
    ]);
    // equal to a direct SUM over metric_daily
    const { rows: direct } = await pool.query(
      `select a.platform::text, sum(m.spend)::text as spend from metric_daily m join campaign c on c.id = m.campaign_id
         join platform_account a on a.id = c.account_id where a.workspace_id = $1 and m.date between '2026-05-01' and '2026-05-04'
        group by a.platform, a.currency order by 1, 2`,
      [ws],
    );
    expect(direct.map((r) => `${r.platform} ${r.spend}`)).toEqual(['google_ads 600.740736', 'meta 51.000000', 'meta 60.000000']);
  });

  it('converts into a report currency with each day’s rate (a weekend day takes Friday’s)', async () => {
    await loadFxFile(pool, ECB);
    const agg = await platformAggregate(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-04', reportCurrency: 'EUR' });
    const meta = agg.find((a) => a.platform === 'meta')!;
    // per day: 20 USD / rate(USD) + 17 GBP / rate(GBP); 05-02 is a Saturday: 05-01's rates
    expect(meta.currency).toBe('EUR');
    expect(meta.spend).toBe(
      (
        [
          ['1.1290', '0.84890'],
          ['1.1290', '0.84890'],
          ['1.1312', '0.85015'],
        ] as const
      )
        .reduce((s, [usd, gbp]) => s + Math.round((20 / Number(usd)) * 1e6) + Math.round((17 / Number(gbp)) * 1e6), 0)
        .toString()
        .replace(/(\d{6})$/, '.$1'),
    );
    expect(agg.find((a) => a.platform === 'google_ads')!.spend).toBe('600.740736'); // EUR stays as it is
    const series = await dailySeries(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-04', platform: 'meta', reportCurrency: 'EUR' });
    expect(series.map((p) => [p.date, p.currency])).toEqual([
      ['2026-05-01', 'EUR'],
      ['2026-05-02', 'EUR'],
      ['2026-05-04', 'EUR'],
    ]);
  });

  it('a missing rate is an error naming the pair and the day — never a silent 1.0', async () => {
    await expect(platformAggregate(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-04', reportCurrency: 'CHF' })).rejects.toThrow(
      /no exchange rate (EUR|GBP|USD)→CHF for 2026-05-0\d/,
    );
    await storeFxRates(pool, [{ base: 'EUR', quote: 'CHF', date: '2026-04-30', rate: '0.94' }], 'test');
    await expect(platformAggregate(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-04', reportCurrency: 'CHF' })).resolves.toHaveLength(2);
    await expect(platformAggregate(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-20', reportCurrency: 'CHF', maxFxStaleDays: 2 })).rejects.toThrow(
      /→CHF for 2026-05-0[34]/,
    );
  });

  it('a daily series per currency without a report currency', async () => {
    const s = await dailySeries(pool, { workspaceId: ws, from: '2026-05-01', to: '2026-05-01' });
    expect(s.map((p) => `${p.currency} ${p.spend}`)).toEqual(['EUR 200.246912', 'GBP 17.000000', 'USD 20.000000']);
  });
});
