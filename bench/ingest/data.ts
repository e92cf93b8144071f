// The benchmark's world: one workspace, accounts spread over the four platforms (in three currencies), campaigns,
// and deterministic daily rows generated page by page in report order (day by day, campaign by campaign), so every
// phase — and a restarted loader — sees exactly the same rows without holding 3.65 M objects in memory.
import type pg from 'pg';
import type { MetricRow, PlatformKind } from '../../connectors/types.js';
import { PLATFORMS } from '../../connectors/types.js';
import { addDays } from '../../core/dates.js';
import { upsertCampaigns } from '../../db/metric-store.js';

export interface Shape {
  accounts: number;
  campaignsPerAccount: number;
  days: number;
  firstDay: string;
}

export interface BenchAccount {
  id: string;
  index: number;
  platform: PlatformKind;
  currency: string;
  /** campaign external id → MBO id */
  campaignIds: string[];
}

const CURRENCIES: Record<PlatformKind, string> = { google_ads: 'USD', meta: 'EUR', tiktok: 'USD', linkedin: 'GBP' };

export async function createWorld(pool: pg.Pool, shape: Shape): Promise<{ workspaceId: string; accounts: BenchAccount[] }> {
  const workspaceId = (await pool.query<{ id: string }>(`insert into workspace (id, slug, name) values (gen_random_uuid(), 'bench', 'Bench') returning id`))
    .rows[0]!.id;
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < shape.accounts; i++) {
    const platform = PLATFORMS[i % PLATFORMS.length]!;
    const currency = CURRENCIES[platform];
    const id = (
      await pool.query<{ id: string }>(
        `insert into platform_account (id, workspace_id, platform, external_id, name, currency, time_zone)
         values (gen_random_uuid(), $1, $2, $3, $3, $4, 'UTC') returning id`,
        [workspaceId, platform, `bench-${i}`, currency],
      )
    ).rows[0]!.id;
    await upsertCampaigns(
      pool,
      id,
      currency,
      Array.from({ length: shape.campaignsPerAccount }, (_, c) => ({
        externalId: ext(c),
        name: `Campaign ${c}`,
        status: 'ACTIVE' as const,
        dailyBudget: '100',
      })),
    );
    const { rows } = await pool.query<{ id: string; external_id: string }>(`select id, external_id from campaign where account_id = $1`, [id]);
    const byExt = new Map(rows.map((r) => [r.external_id, r.id]));
    accounts.push({ id, index: i, platform, currency, campaignIds: Array.from({ length: shape.campaignsPerAccount }, (_, c) => byExt.get(ext(c))!) });
  }
  return { workspaceId, accounts };
}

const ext = (c: number) => `cmp-${String(c).padStart(5, '0')}`;
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

/** The row of campaign `c` on day `d` of account `a` (values vary, are exact decimals, and are reproducible). */
export function metricRow(shape: Shape, a: number, c: number, d: number, version = 0): MetricRow {
  const h = (a * 7919 + c * 104_729 + d * 1_299_709 + version * 15_485_863) % 1_000_003;
  const spendCents = 500 + (h % 40_000);
  const clicks = 5 + (h % 300);
  return {
    campaignExternalId: ext(c),
    date: addDays(shape.firstDay, d),
    impressions: clicks * (20 + (h % 50)),
    clicks,
    spend: cents(spendCents),
    conversions: `${h % 20}.${h % 2 ? '5' : '0'}`,
    conversionValue: cents(spendCents * (1 + (h % 4))),
  };
}

/** Rows of one account in report order, `size` at a time, from row `start` on. */
export function* pages(shape: Shape, a: number, size: number, start = 0, version = 0): Generator<MetricRow[]> {
  const total = shape.days * shape.campaignsPerAccount;
  for (let i = start; i < total; i += size) {
    const page: MetricRow[] = [];
    for (let k = i; k < Math.min(total, i + size); k++) {
      page.push(metricRow(shape, a, k % shape.campaignsPerAccount, Math.floor(k / shape.campaignsPerAccount), version));
    }
    yield page;
  }
}

export const totalRows = (shape: Shape) => shape.accounts * shape.campaignsPerAccount * shape.days;

/** Runs `fn` for every account, `concurrency` accounts at a time. */
export async function forAccounts<T>(accounts: T[], concurrency: number, fn: (a: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, accounts.length) }, async () => {
      while (next < accounts.length) await fn(accounts[next++]!);
    }),
  );
}
