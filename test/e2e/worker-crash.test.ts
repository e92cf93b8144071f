// A worker killed (SIGKILL) in the middle of a metrics walk: a new worker finishes the sync from the
// heartbeat cursor, with no duplicate and no missing row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, metricRowCount, spawnWorkerProcess, testContext, testEnv, waitFor, memberContext } from './harness.js';

const RANGE = { from: '2026-05-02', to: '2026-05-31' };
let ctx: AppContext;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = testEnv({ MBO_SYNC_PAGE_SIZE: '15' });
  ctx = await testContext(env);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ctx?.close();
});

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())));

describe('worker crash mid-sync', () => {
  it('resumes from the cursor on a new worker and stores every row exactly once', async () => {
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx);
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    // 150 rows in pages of 15 = 10 pages; each page answer takes 400 ms, so the walk is still going when we kill.
    await sandbox.injectFault({ accountId: google.externalId, operation: 'getMetrics', kind: 'slow', count: 1000, delayMs: 400 });

    const first = spawnWorkerProcess(env);
    children.push(first);
    const sync = await startSync(await memberContext(ctx, workspace, 'sync-tester', 'analyst'), { accounts: [google.id], from: RANGE.from, to: RANGE.to });

    await waitFor('four pages stored', async () => (await sandbox.calls(google.externalId, 'getMetrics')).length >= 4, 90_000);
    first.kill('SIGKILL');
    await exited(first);
    const pagesBeforeKill = (await sandbox.calls(google.externalId, 'getMetrics')).length;
    expect((await metricRowCount(ctx, workspace)).rows).toBeLessThan(150);

    const second = spawnWorkerProcess(env);
    children.push(second);
    const result = await sync.handle.result();
    second.kill('SIGTERM');
    await exited(second);

    expect(result.failed).toBe(0);
    const stored = await metricRowCount(ctx, workspace);
    expect(stored.rows).toBe(150);
    expect(stored.distinct).toBe(150);
    const { rows } = await ctx.pool.query<{ spend: string }>(
      'select sum(spend)::text as spend from sandbox.metric_day where account_id = $1 and date between $2 and $3',
      [google.externalId, RANGE.from, RANGE.to],
    );
    expect(stored.spend).toBe(rows[0]!.spend);

    // Resumed, not restarted: at most the page in flight at the kill is fetched twice.
    const totalCalls = (await sandbox.calls(google.externalId, 'getMetrics')).length;
    expect(totalCalls).toBeLessThanOrEqual(10 + 1);
    expect(totalCalls).toBeGreaterThan(pagesBeforeKill);
  });
});
