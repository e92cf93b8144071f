// Ingestion at scale, end to end on the real Temporal dev server and Postgres: pages large enough for the COPY
// path, a re-sync that changes nothing, restated values that are rewritten (and only those), the daily rollup
// equal to a direct SUM throughout, placeholder campaigns, and a sync whose worker is SIGKILLed midway and
// replaced, ending with every row stored exactly once. (The full 3.65 M-row run with a kill and restart is
// `npm run bench:ingest -- --kill-restart`.)
import type { ChildProcess } from 'node:child_process';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.js';
import { COPY_MIN_ROWS, upsertMetricRows } from '../../db/metric-store.js';
import { platformAggregate } from '../../db/rollups.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, metricRowCount, spawnWorkerProcess, startInProcessWorker, testContext, testEnv, waitFor } from './harness.js';

const PAGE = String(COPY_MIN_ROWS); // every full page goes through COPY, the last partial one through unnest

/** Account-days where the rollup differs from summing metric_daily directly (empty when they agree). */
async function rollupDrift(ctx: AppContext, workspace: string) {
  const { rows } = await ctx.pool.query(
    `with acc as (select a.id from platform_account a join workspace w on w.id = a.workspace_id where w.slug = $1),
          direct as (select c.account_id, m.date, count(*)::int as campaigns, sum(m.impressions) as impressions, sum(m.clicks) as clicks,
                            sum(m.spend) as spend, sum(m.conversions) as conversions, sum(m.conversion_value) as conversion_value
                       from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id in (select id from acc)
                      group by c.account_id, m.date),
          r as (select * from metric_rollup_daily where account_id in (select id from acc))
     select coalesce(d.account_id, r.account_id) as account_id, coalesce(d.date, r.date) as date
       from direct d full join r on r.account_id = d.account_id and r.date = d.date
      where (d.campaigns, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value)
            is distinct from (r.campaigns, r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value)`,
    [workspace],
  );
  return rows;
}

async function sandboxTruth(ctx: AppContext, accountIds: string[]) {
  const { rows } = await ctx.pool.query<{ n: string; spend: string; value: string; from: string; to: string }>(
    `select count(*) as n, sum(spend)::text as spend, sum(conversion_value)::text as value, min(date)::text as from, max(date)::text as to
       from sandbox.metric_day where account_id = any($1)`,
    [accountIds],
  );
  const r = rows[0]!;
  return { rows: Number(r.n), spend: r.spend, value: r.value, range: { from: r.from, to: r.to } };
}

describe('ingest through the sync workflow (pages on the COPY path)', () => {
  let ctx: AppContext;
  let worker: { worker: Worker; done: Promise<void> };

  beforeAll(async () => {
    ctx = await testContext({ MBO_SYNC_PAGE_SIZE: PAGE });
    worker = await startInProcessWorker(ctx);
  });
  afterAll(async () => {
    worker?.worker.shutdown();
    await worker?.done;
    await ctx?.close();
  });

  it('stores what the platform reports; a re-sync changes nothing; restated days are rewritten; the rollup equals a direct SUM', async () => {
    const { workspace, accounts } = await isolatedSandbox(ctx, { historyDays: 45, campaignsPerAccount: 20 });
    const ids = accounts.map((a) => a.externalId);
    const truth = await sandboxTruth(ctx, ids);
    expect(truth.rows).toBe(4 * 20 * 45);

    const first = await (await startSync(await memberContext(ctx, workspace, 'ana', 'analyst'), truth.range)).handle.result();
    expect(first.failed).toBe(0);
    expect(await metricRowCount(ctx, workspace)).toEqual({ rows: truth.rows, distinct: truth.rows, spend: truth.spend, value: truth.value });
    expect(await rollupDrift(ctx, workspace)).toEqual([]);

    const again = await (await startSync(await memberContext(ctx, workspace, 'ana', 'analyst'), truth.range)).handle.result();
    expect(again.accounts.every((a) => a.rows === 0)).toBe(true);
    expect(await rollupDrift(ctx, workspace)).toEqual([]);

    // The platform restates the last two days of one account (as platforms do for late conversions).
    const meta = accounts.find((a) => a.platform === 'meta')!;
    const { rowCount } = await ctx.pool.query(
      `update sandbox.metric_day set conversions = conversions + 1, conversion_value = conversion_value + 12.34
        where account_id = $1 and date >= $2::date - 1`,
      [meta.externalId, truth.range.to],
    );
    expect(rowCount).toBe(40);
    const restated = await (await startSync(await memberContext(ctx, workspace, 'ana', 'analyst'), truth.range)).handle.result();
    expect(restated.accounts.map((a) => a.rows ?? -1).sort((a, b) => a - b)).toEqual([0, 0, 0, 40]);
    const after = await sandboxTruth(ctx, ids);
    expect(await metricRowCount(ctx, workspace)).toEqual({ rows: truth.rows, distinct: truth.rows, spend: after.spend, value: after.value });
    expect(await rollupDrift(ctx, workspace)).toEqual([]);

    // The per-platform read over the rollup agrees with the platform's own totals.
    const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: workspace } });
    const agg = await platformAggregate(ctx.pool, { workspaceId: ws.id, ...truth.range });
    const { rows: perPlatform } = await ctx.pool.query<{ platform: string; value: string }>(
      `select a.platform::text as platform, sum(m.conversion_value)::text as value from sandbox.metric_day m
         join sandbox.account a on a.id = m.account_id where m.account_id = any($1) group by a.platform order by 1`,
      [ids],
    );
    expect(agg.map((a) => `${a.platform} ${a.revenue}`)).toEqual(perPlatform.map((p) => `${p.platform} ${p.value}`));
  });

  it('rows for a campaign MBO has not listed yet get a placeholder campaign, through both load paths', async () => {
    const { workspace } = await isolatedSandbox(ctx, { historyDays: 3, campaignsPerAccount: 2 });
    const account = await ctx.prisma.platformAccount.findFirstOrThrow({ where: { workspace: { slug: workspace }, platform: 'tiktok' } });
    const row = (ext: string, date: string) => ({
      campaignExternalId: ext,
      date,
      impressions: 10,
      clicks: 1,
      spend: '1.25',
      conversions: '0',
      conversionValue: '0',
    });
    const run = await ctx.prisma.syncRun.create({ data: { accountId: account.id, workflowId: 'e2e', runId: 'e2e', status: 'RUNNING' } });
    const big = Array.from({ length: COPY_MIN_ROWS }, (_, i) => row('launched-later', addDays('2025-01-01', i)));
    expect(await upsertMetricRows(ctx.pool, account.id, account.currency, run.id, [row('brand-new', '2026-05-01')])).toBe(1);
    expect(await upsertMetricRows(ctx.pool, account.id, account.currency, run.id, big)).toBe(COPY_MIN_ROWS);
    const placeholders = await ctx.prisma.campaign.findMany({ where: { accountId: account.id, externalId: { in: ['brand-new', 'launched-later'] } } });
    expect(placeholders.map((c) => [c.externalId, c.name, c.status]).sort()).toEqual([
      ['brand-new', 'brand-new', 'ACTIVE'],
      ['launched-later', 'launched-later', 'ACTIVE'],
    ]);
    expect(await rollupDrift(ctx, workspace)).toEqual([]);
  });
});

describe('a sync on the COPY path whose worker is killed midway', () => {
  let ctx: AppContext;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())));

  beforeAll(async () => {
    env = testEnv({ MBO_SYNC_PAGE_SIZE: PAGE });
    ctx = await testContext(env);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await ctx?.close();
  });

  it('resumes on a new worker and stores every row exactly once, rollup included', async () => {
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx, { historyDays: 60, campaignsPerAccount: 40 });
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    const truth = await sandboxTruth(ctx, [google.externalId]);
    expect(truth.rows).toBe(2400); // 8 pages of 300
    await sandbox.injectFault({ accountId: google.externalId, operation: 'getMetrics', kind: 'slow', count: 1000, delayMs: 400 });

    const first = spawnWorkerProcess(env);
    children.push(first);
    const sync = await startSync(await memberContext(ctx, workspace, 'ana', 'analyst'), { accounts: [google.id], ...truth.range });
    await waitFor('three pages stored', async () => (await metricRowCount(ctx, workspace)).rows >= 3 * COPY_MIN_ROWS, 90_000);
    first.kill('SIGKILL');
    await exited(first);
    expect((await metricRowCount(ctx, workspace)).rows).toBeLessThan(truth.rows);

    const second = spawnWorkerProcess(env);
    children.push(second);
    const result = await sync.handle.result();
    second.kill('SIGTERM');
    await exited(second);

    expect(result.failed).toBe(0);
    expect(await metricRowCount(ctx, workspace)).toEqual({ rows: truth.rows, distinct: truth.rows, spend: truth.spend, value: truth.value });
    expect(await rollupDrift(ctx, workspace)).toEqual([]);
    expect((await sandbox.calls(google.externalId, 'getMetrics')).length).toBeLessThanOrEqual(8 + 1); // resumed, not restarted
  });
});
