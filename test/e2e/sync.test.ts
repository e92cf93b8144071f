// Sync on the real Temporal dev server and real Postgres: idempotency, rate limits, auth failures.
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, metricRowCount, startInProcessWorker, testContext, memberContext } from './harness.js';

const RANGE = { from: '2026-05-02', to: '2026-05-31' }; // the isolated sandbox's 30 days of history

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };

beforeAll(async () => {
  ctx = await testContext({ MBO_SYNC_PAGE_SIZE: '40' });
  worker = await startInProcessWorker(ctx);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

async function sandboxTotals(prefixAccounts: string[]) {
  const { rows } = await ctx.pool.query<{ n: string; spend: string; value: string }>(
    `select count(*) as n, sum(spend)::text as spend, sum(conversion_value)::text as value from sandbox.metric_day
      where account_id = any($1) and date between $2 and $3`,
    [prefixAccounts, RANGE.from, RANGE.to],
  );
  return { rows: Number(rows[0]!.n), spend: rows[0]!.spend, value: rows[0]!.value };
}

/** Starts a sync of the workspace as an analyst of it (the way every door does), and waits for the result. */
async function sync(workspace: string, input: Record<string, unknown> = { from: RANGE.from, to: RANGE.to }) {
  return (await startSync(await memberContext(ctx, workspace, 'sync-tester', 'analyst'), input)).handle.result();
}

describe('sync', () => {
  it('stores exactly what the platform reports, and re-syncing a range changes nothing', async () => {
    const { workspace, accounts } = await isolatedSandbox(ctx);
    const truth = await sandboxTotals(accounts.map((a) => a.externalId));
    expect(truth.rows).toBe(4 * 5 * 30);

    const first = await sync(workspace);
    expect(first.failed).toBe(0);
    const after1 = await metricRowCount(ctx, workspace);
    expect(after1).toEqual({ rows: truth.rows, distinct: truth.rows, spend: truth.spend, value: truth.value });

    const second = await sync(workspace);
    expect(second.failed).toBe(0);
    expect(second.accounts.every((a) => a.rows === 0)).toBe(true); // nothing rewritten
    expect(await metricRowCount(ctx, workspace)).toEqual(after1);

    const runs = await ctx.prisma.syncRun.findMany({ where: { account: { workspace: { slug: workspace } } } });
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.status === 'SUCCEEDED' && r.finishedAt)).toBe(true);
  });

  it("waits out a rate limit for the platform's retry-after, then completes", async () => {
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx);
    const meta = accounts.find((a) => a.platform === 'meta')!;
    await sandbox.injectFault({ accountId: meta.externalId, operation: 'getMetrics', kind: 'rate_limit', count: 2, retryAfterSeconds: 3 });

    const result = await sync(workspace);
    expect(result.failed).toBe(0);
    expect((await metricRowCount(ctx, workspace)).rows).toBe(4 * 5 * 30);

    const calls = await sandbox.calls(meta.externalId, 'getMetrics');
    expect(calls.slice(0, 3).map((c) => c.outcome)).toEqual(['429', '429', '200']);
    // Retried after the 3 s the platform asked for, not after the 1 s initial backoff.
    expect(calls[1]!.at.getTime() - calls[0]!.at.getTime()).toBeGreaterThanOrEqual(2900);
    expect(calls[2]!.at.getTime() - calls[1]!.at.getTime()).toBeGreaterThanOrEqual(2900);
  });

  it('fails an account fast with a clear reason on an auth error, and still syncs the others', async () => {
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx);
    const tiktok = accounts.find((a) => a.platform === 'tiktok')!;
    // One bad answer only: had the sync retried, the second attempt would have succeeded.
    await sandbox.injectFault({ accountId: tiktok.externalId, operation: 'authenticate', kind: 'auth_expired', count: 1 });

    const started = Date.now();
    const result = await sync(workspace);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.failed).toBe(1);
    expect(result.succeeded).toBe(3);
    const failed = result.accounts.find((a) => a.accountId === tiktok.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/access token expired/);

    expect(await sandbox.calls(tiktok.externalId, 'authenticate')).toHaveLength(1);
    const run = await ctx.prisma.syncRun.findFirstOrThrow({ where: { accountId: tiktok.id } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/access token expired/);
    expect((await metricRowCount(ctx, workspace)).rows).toBe(3 * 5 * 30);
  });

  it('rejects bad input before starting anything', async () => {
    const { workspace } = await isolatedSandbox(ctx);
    const analyst = await memberContext(ctx, workspace, 'sync-tester', 'analyst');
    await expect(startSync(analyst, { from: '2026-05-31', to: '2026-05-01' })).rejects.toThrow(/after/);
    await expect(startSync(analyst, { from: '2026-05-01' })).rejects.toThrow(/together/);
    await expect(startSync(analyst, { from: '0000-01-01', to: '2026-05-01' })).rejects.toThrow(/date|2000/);
    await expect(startSync(analyst, { accounts: ['no-such-account'] })).rejects.toThrow(/no account "no-such-account"/);
    const viewer = await memberContext(ctx, workspace, 'sync-viewer', 'viewer');
    await expect(startSync(viewer, {})).rejects.toThrow(/only analysts may/);
    expect(await ctx.prisma.syncRun.count({ where: { account: { workspace: { slug: workspace } } } })).toBe(0);
  });
});
