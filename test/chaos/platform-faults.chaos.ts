// Chaos 4 and 5: a platform misbehaving under a running worker (the sandbox platform's fault injection, the same
// code path as a live connector's errors). 4: a 429 storm — every metrics call of one account answered 429 with
// retry-after for MBO_CHAOS_STORM_SECONDS (default 120) while a four-account sync runs. 5: platform calls that hang
// past their activity's heartbeat timeout (a metrics page and a budget change answering after 25–30 s). Proves:
// the sync completes with every row exactly once; the hung change is retried and applied exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, metricRowCount, startInProcessWorker, testContext, waitFor } from '../e2e/harness.js';
import { startPlatformFakes } from '../e2e/platform-fakes.js';
import { connectAccount } from '../../services/accounts/connect-account.js';
import { addDays, todayIn } from '../../core/dates.js';
import { randomBytes } from 'node:crypto';
import { numberFromEnv, recordRow, sleep } from './chaos.js';

const RANGE = { from: '2026-05-02', to: '2026-05-31' };
const STORM_S = numberFromEnv('MBO_CHAOS_STORM_SECONDS', 120);
let ctx: AppContext;
let worker: Awaited<ReturnType<typeof startInProcessWorker>> | undefined;

beforeAll(async () => {
  ctx = await testContext({
    MBO_SYNC_PAGE_SIZE: '15',
    LOG_LEVEL: 'error',
    MBO_SECRET_KEY: randomBytes(32).toString('hex'),
    MBO_SYNC_BACKFILL_DAYS: '45',
  });
  worker = await startInProcessWorker(ctx);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

async function expectedRows(accounts: { externalId: string }[]): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: string }>('select count(*) as n from sandbox.metric_day where account_id = any($1) and date between $2 and $3', [
    accounts.map((a) => a.externalId),
    RANGE.from,
    RANGE.to,
  ]);
  return Number(rows[0]!.n);
}

describe('chaos: platform faults', () => {
  it(`completes a sync through a ${STORM_S} s 429 storm, every row exactly once`, async () => {
    const t0 = Date.now();
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx);
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    await sandbox.injectFault({ accountId: google.externalId, operation: 'getMetrics', kind: 'rate_limit', count: 1_000_000, retryAfterSeconds: 2 });
    const sync = await startSync(await memberContext(ctx, workspace, 'ana-storm', 'analyst'), { from: RANGE.from, to: RANGE.to });
    let ended = false;
    const result = sync.handle.result().finally(() => (ended = true));
    const stormEnds = Date.now() + STORM_S * 1000;
    while (!ended && Date.now() < stormEnds) await sleep(500);
    const endedDuringStorm = ended;
    await sandbox.clearFaults(google.externalId);
    const r = await result;
    const answered429 = (await sandbox.calls(google.externalId, 'getMetrics')).filter((c) => c.outcome === '429').length;
    const stored = await metricRowCount(ctx, workspace);
    const expected = await expectedRows(accounts);
    recordRow({
      fault: `429 storm (retry-after 2 s) on one platform account for ${STORM_S} s during a sync`,
      runs: expected,
      lost: Math.max(0, expected - stored.distinct),
      duplicated: stored.rows - stored.distinct,
      outcome: `${answered429} calls answered 429; sync ended ${endedDuringStorm ? 'DURING' : 'after'} the storm, ${r.failed} accounts failed`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(endedDuringStorm).toBe(false);
    expect(r.failed).toBe(0);
    expect(stored.rows).toBe(expected);
    expect(stored.distinct).toBe(expected);
  });

  it('retries platform calls that hang past their timeout and completes them exactly once', async () => {
    const t0 = Date.now();
    const { workspace, accounts, sandbox } = await isolatedSandbox(ctx);
    const meta = accounts.find((a) => a.platform === 'meta') ?? accounts[1]!;
    // One metrics page answers after 25 s (the sync activity's heartbeat timeout is 15 s).
    await sandbox.injectFault({ accountId: meta.externalId, operation: 'getMetrics', kind: 'slow', count: 1, delayMs: 25_000 });
    const analyst = await memberContext(ctx, workspace, 'ana-hang', 'analyst');
    // Approvers are captured when a request is made: the approver exists first.
    const approver = await memberContext(ctx, workspace, 'paul-hang', 'approver');
    const r = await (await startSync(analyst, { from: RANGE.from, to: RANGE.to })).handle.result();
    const stored = await metricRowCount(ctx, workspace);
    const expected = await expectedRows(accounts);
    const pages = (await sandbox.calls(meta.externalId, 'getMetrics')).length;
    recordRow({
      fault: 'metrics page hangs 25 s (past the 15 s heartbeat timeout) during a sync',
      runs: expected,
      lost: Math.max(0, expected - stored.distinct),
      duplicated: stored.rows - stored.distinct,
      outcome: `sync: ${r.succeeded} accounts done, ${r.failed} failed; ${pages} metrics calls on the hung account`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(r.failed).toBe(0);
    expect(stored.rows).toBe(expected);
    expect(stored.distinct).toBe(expected);

    // A budget change whose platform call answers after 30 s (the apply activity's heartbeat timeout is 10 s).
    const t1 = Date.now();
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    const campaign = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: google.id, status: 'ACTIVE' }, orderBy: { externalId: 'asc' } });
    const { id } = await requestChange(analyst, {
      reason: 'chaos: hung platform call',
      items: [{ campaign: campaign.id, kind: 'budget', toBudget: (Number(campaign.dailyBudget) * 1.1).toFixed(2) }],
    });
    await waitFor('pending approval', async () => (await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status === 'PENDING_APPROVAL', 120_000);
    await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'slow', count: 1, delayMs: 30_000 });
    await decideChange(approver, { requestId: id, approve: true });
    const final = (await (await ctx.temporal()).workflow.getHandle(id).result()) as { status: string };
    await sleep(2000); // let a late answer of the hung call land before counting
    const mutations = await sandbox.mutationCount(google.externalId, campaign.externalId);
    const calls = (await sandbox.calls(google.externalId, 'mutate')).length;
    recordRow({
      fault: 'budget change call hangs 30 s (past the 10 s heartbeat timeout)',
      runs: 1,
      lost: final.status === 'APPLIED' && mutations > 0 ? 0 : 1,
      duplicated: Math.max(0, mutations - 1),
      outcome: `request ${final.status}; ${mutations} sandbox mutation(s) from ${calls} platform call(s)`,
      seconds: (Date.now() - t1) / 1000,
    });
    expect(final.status).toBe('APPLIED');
    expect(mutations).toBe(1);
  });

  it('retries a live connector call that hangs past its HTTP timeout (Meta loopback fake) and stores every row once', async () => {
    const t0 = Date.now();
    const fakes = await startPlatformFakes(addDays(todayIn('UTC'), -2));
    try {
      const { workspace } = await isolatedSandbox(ctx, { historyDays: 3, campaignsPerAccount: 1 });
      const admin = await memberContext(ctx, workspace, 'adm-http', 'admin');
      const account = await connectAccount(admin, fakes.connect.meta);
      // The next two calls through the proxy answer after 15 s; the Meta connector gives up on a call after 10 s.
      const proxy = fakes.proxies.meta;
      const callsBefore = proxy.calls.length;
      proxy.delayMs = 15_000;
      proxy.slowCalls = 2;
      const r = await (await startSync(admin, { accounts: [account.id] })).handle.result();
      const { rows } = await ctx.pool.query<{ n: string; d: string }>(
        `select count(*) as n, count(distinct (m.campaign_id, m.date)) as d from metric_daily m join campaign c on c.id = m.campaign_id where c.account_id = $1`,
        [account.id],
      );
      const stored = { rows: Number(rows[0]!.n), distinct: Number(rows[0]!.d) };
      const expected = fakes.expected('meta').rows;
      recordRow({
        fault: 'live connector (Meta fake) calls hang 15 s, past its 10 s HTTP timeout, during a sync',
        runs: expected,
        lost: Math.max(0, expected - stored.distinct),
        duplicated: stored.rows - stored.distinct,
        outcome: `sync: ${r.succeeded} accounts done, ${r.failed} failed; ${proxy.calls.length - callsBefore} calls through the proxy, ${2 - proxy.slowCalls} hung`,
        seconds: (Date.now() - t0) / 1000,
      });
      expect(proxy.slowCalls).toBe(0);
      expect(r.failed).toBe(0);
      expect(stored.rows).toBe(expected);
      expect(stored.distinct).toBe(expected);
    } finally {
      await fakes.close();
    }
  });
});
