// Chaos 2: Postgres restarted in the middle of a sync and in the middle of an apply. The case runs its own embedded
// Postgres cluster (db/embedded-postgres.ts, an ephemeral port under .mbo/) with a scratch database — never the
// shared server other tests use — and restarts it (pg_ctl stop -m fast: every connection cut) while a real worker
// process walks metrics pages and while it applies an approved budget change. A worker that dies of it would be
// restarted, as a supervisor would, and counted (with its last words). Proves: the worker survives (0 restarts); the
// sync completes with every row stored exactly once; the apply completes exactly once (one mutation, APPLIED).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../db/database.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, metricRowCount, spawnWorkerProcess, testContext, testEnv, waitFor } from '../e2e/harness.js';
import { freePort, killHard, recordRow, sleep } from './chaos.js';

const RANGE = { from: '2026-05-02', to: '2026-05-31' };
const home = path.join(PROJECT_ROOT, '.mbo', `chaos-pg-${process.pid}`);
let ctx: AppContext | undefined;
let worker: ChildProcess | undefined;
let supervise = false;
let workerRestarts = 0;
let dropDb: (() => Promise<void>) | undefined;

/** The worker as a supervisor keeps it: restarted when it exits (the last lines it wrote are printed). */
function startWorker(env: Record<string, string>) {
  supervise = true;
  const spawnOne = () => {
    const w = spawnWorkerProcess(env);
    worker = w;
    let tail = '';
    w.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
    w.once('exit', (code, signal) => {
      if (!supervise) return;
      workerRestarts++;
      console.log(`[chaos] the worker exited (code ${code}, signal ${signal}); its last words:\n${tail}`);
      setTimeout(spawnOne, 500);
    });
  };
  spawnOne();
}

afterAll(async () => {
  supervise = false;
  await killHard(worker);
  await ctx?.close();
  await dropDb?.().catch(() => {});
  await stopEmbeddedPostgres(home);
  rmSync(home, { recursive: true, force: true });
});

describe('chaos: Postgres restarted', () => {
  it('completes a sync and an apply exactly once across restarts of the database', async () => {
    mkdirSync(home, { recursive: true });
    const port = await freePort();
    const restart = async () => {
      expect(await stopEmbeddedPostgres(home)).toBe(true);
      await sleep(2000);
      await ensureEmbeddedPostgres(home, port, 'postgres');
    };
    const admin = await ensureEmbeddedPostgres(home, port, 'postgres');
    const scratch = await createScratchDatabase(admin.url, `mbo_chaos_${process.pid}`);
    dropDb = scratch.drop;
    const env = testEnv({ DATABASE_URL: scratch.appUrl, MBO_SYNC_PAGE_SIZE: '15', LOG_LEVEL: 'error' });
    ctx = await testContext(env);
    const app = ctx;
    const { workspace, accounts, sandbox } = await isolatedSandbox(app);
    const analyst = await memberContext(app, workspace, 'ana-pg', 'analyst');
    // Approvers are captured when a request is made: the approver exists first.
    const approver = await memberContext(app, workspace, 'paul-pg', 'approver');
    startWorker(env);

    // Mid-sync: four accounts × 150 metric rows in pages of 15, each page answer slowed to 300 ms.
    let t0 = Date.now();
    for (const a of accounts) await sandbox.injectFault({ accountId: a.externalId, operation: 'getMetrics', kind: 'slow', count: 1000, delayMs: 300 });
    const sync = await startSync(analyst, { from: RANGE.from, to: RANGE.to });
    const pages = async () => (await Promise.all(accounts.map((a) => sandbox.calls(a.externalId, 'getMetrics')))).reduce((n, c) => n + c.length, 0);
    await waitFor('a few pages stored', async () => (await pages()) >= 6, 180_000);
    const storedAtRestart = (await metricRowCount(app, workspace)).rows;
    await restart();
    const result = await sync.handle.result();
    const stored = await metricRowCount(app, workspace);
    const { rows } = await app.pool.query<{ n: string }>('select count(*) as n from sandbox.metric_day where account_id = any($1) and date between $2 and $3', [
      accounts.map((a) => a.externalId),
      RANGE.from,
      RANGE.to,
    ]);
    const expected = Number(rows[0]!.n);
    recordRow({
      fault: 'Postgres restarted mid-sync',
      runs: expected,
      lost: Math.max(0, expected - stored.distinct),
      duplicated: stored.rows - stored.distinct,
      outcome: `sync: ${result.succeeded} accounts done, ${result.failed} failed; ${storedAtRestart} rows stored before the restart, ${stored.rows} after; worker restarts ${workerRestarts}`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(result.failed).toBe(0);
    expect(workerRestarts).toBe(0); // the worker survives the restart (its queries fail and are retried)
    expect(stored.rows).toBe(expected);
    expect(stored.distinct).toBe(expected);

    // Mid-apply: the budget change's platform call slowed to 4 s; the database goes away while it is in flight.
    t0 = Date.now();
    const restartsBefore = workerRestarts;
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    const campaign = await app.prisma.campaign.findFirstOrThrow({ where: { accountId: google.id, status: 'ACTIVE' }, orderBy: { externalId: 'asc' } });
    const { id } = await requestChange(analyst, {
      reason: 'chaos: Postgres restart mid-apply',
      items: [{ campaign: campaign.id, kind: 'budget', toBudget: (Number(campaign.dailyBudget) * 1.1).toFixed(2) }],
    });
    await waitFor('pending approval', async () => (await app.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status === 'PENDING_APPROVAL', 120_000);
    await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'slow', count: 1, delayMs: 4000 });
    await decideChange(approver, { requestId: id, approve: true });
    await waitFor('applying', async () => (await app.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status === 'APPLYING', 120_000);
    await sleep(1000);
    await restart();
    const final = (await (await app.temporal()).workflow.getHandle(id).result()) as { status: string };
    const mutations = await sandbox.mutationCount(google.externalId, campaign.externalId);
    recordRow({
      fault: 'Postgres restarted mid-apply',
      runs: 1,
      lost: final.status === 'APPLIED' && mutations > 0 ? 0 : 1,
      duplicated: Math.max(0, mutations - 1),
      outcome: `request ${final.status}; ${mutations} sandbox mutation(s); worker restarts ${workerRestarts - restartsBefore}`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(final.status).toBe('APPLIED');
    expect(mutations).toBe(1);
    expect(workerRestarts - restartsBefore).toBe(0);
  });
});
