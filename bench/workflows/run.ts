// Budget-change workflow benchmark: 200 concurrent change requests (one item each) on a real Temporal dev
// server, Postgres and the sandbox — requested, approved all at once, applied and verified. Prints requests
// completed per second and approval-to-applied latency (p50/p95), against the same 200 budget changes made by
// calling the platform directly (no workflow, no approval, no audit) in the same run.
// usage: npm run bench:workflows [-- --requests 200]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SandboxConnector } from '../../connectors/sandbox/connector.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { PROJECT_ROOT, loadConfig } from '../../lib/config.js';
import type { Role } from '../../services/actor.js';
import { memberActor } from '../../stack/local-identity.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { createContext, type AppContext } from '../../services/context.js';
import { ensureSandbox } from '../../stack/ensure-sandbox.js';
import { startSync } from '../../services/sync/sync.js';
import { createWorker } from '../../workers/create-worker.js';
import { connectWorker } from '../../temporal/worker-connection.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('requests', 200);
const memberContext = (app: AppContext, workspace: string, userId: string, role: Role) => memberActor(app, workspace, userId, role, 'api');
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((p / 100) * v.length))]!;

const bin = process.env.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
if (!existsSync(bin)) throw new Error('build the Temporal CLI first: bash temporal/install.sh');
let admin = process.env.DATABASE_URL;
const benchHome = path.join(PROJECT_ROOT, '.mbo', 'bench');
if (!admin) admin = (await ensureEmbeddedPostgres(benchHome, 54338, 'postgres')).url;
const scratch = await createScratchDatabase(admin, `mbo_bench_${process.pid}`);
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: bin }, namespace: 'mbo', searchAttributes: ALL_SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
});
const config = loadConfig({
  DATABASE_URL: scratch.url,
  TEMPORAL_ADDRESS: env.address,
  MBO_TEMPORAL_DEV: 'false',
  MBO_TASK_QUEUE: 'bench',
  LOG_LEVEL: 'error',
});
const ctx = await createContext(config);
const connection = await connectWorker(config.temporal);
const worker = await createWorker({ connection, namespace: 'mbo', taskQueue: 'bench', pool: ctx.pool, prisma: ctx.prisma, pageSize: 500 });
const running = worker.run();
try {
  const perAccount = Math.ceil(N / 4);
  const { workspace } = await ensureSandbox(ctx, {
    workspace: 'bench',
    prefix: 'bench',
    historyDays: 3,
    campaignsPerAccount: perAccount + 2,
    seed: 1,
    today: '2026-06-01',
    members: [
      ['ana', 'analyst'],
      ['paul', 'approver'],
    ],
  });
  await ctx.prisma.guardrailSetting.create({ data: { workspaceId: workspace.id, policy: { maxChangesPerDay: 100_000, learningPhaseDays: 0 } } });
  const ana = await memberContext(ctx, 'bench', 'ana', 'analyst');
  const paul = await memberContext(ctx, 'bench', 'paul', 'approver');
  await (await startSync(ana, { from: '2026-05-29', to: '2026-05-31' })).handle.result();
  const campaigns = (
    await ctx.prisma.campaign.findMany({
      where: { status: 'ACTIVE', account: { workspaceId: workspace.id } },
      include: { account: true },
      orderBy: { externalId: 'asc' },
    })
  ).slice(0, N);

  // Baseline: the same number of budget changes straight to the platform (sequential, no workflow).
  const tb = performance.now();
  for (const [i, c] of campaigns.entries())
    await new SandboxConnector(ctx.pool, c.account.platform, c.account.externalId).updateBudget(
      c.externalId,
      (Number(c.dailyBudget) + 1).toFixed(2),
      `baseline-${i}`,
    );
  const baselineMs = performance.now() - tb;
  await ctx.pool.query(`update sandbox.campaign s set daily_budget = c.daily_budget from campaign c where c.external_id = s.id`);

  const t0 = performance.now();
  const ids = await Promise.all(
    campaigns.map((c) =>
      requestChange(ana, {
        reason: 'bench',
        items: [{ campaign: c.id, kind: 'budget', toBudget: (Number(c.dailyBudget) * 1.1).toFixed(2) }],
      }).then((r) => r.id),
    ),
  );
  for (;;) {
    const n = await ctx.prisma.changeRequest.count({ where: { id: { in: ids }, status: 'PENDING_APPROVAL' } });
    if (n === ids.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tPending = performance.now();
  const approvedAt = new Map<string, number>();
  await Promise.all(
    ids.map(async (id) => {
      await decideChange(paul, { requestId: id, approve: true });
      approvedAt.set(id, Date.now());
    }),
  );
  const done = new Map<string, number>();
  while (done.size < ids.length) {
    const rows = await ctx.prisma.changeRequest.findMany({
      where: { id: { in: ids.filter((i) => !done.has(i)) }, status: { in: ['APPLIED', 'FAILED', 'ROLLED_BACK', 'NEEDS_REAPPROVAL', 'BLOCKED'] } },
      select: { id: true, status: true, updatedAt: true },
    });
    for (const r of rows) {
      if (r.status !== 'APPLIED') throw new Error(`request ${r.id} ended ${r.status}`);
      done.set(r.id, r.updatedAt.getTime());
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const tDone = performance.now();
  const latencies = ids.map((id) => done.get(id)! - approvedAt.get(id)!);
  const mutations = Number(
    (await ctx.pool.query(`select count(*) as n from sandbox.mutation where account_id like 'bench-%' and idempotency_key not like 'baseline-%'`)).rows[0].n,
  );
  const perSec = (N / (tDone - t0)) * 1000;
  console.log(`# Budget-change workflows: ${N} concurrent requests (1 item each), one worker, this machine\n`);
  console.log(`| measure | value |\n| --- | --- |`);
  console.log(`| requests completed per second (request → approved → applied → verified) | ${perSec.toFixed(1)} |`);
  console.log(`| request to pending approval, all ${N} | ${((tPending - t0) / 1000).toFixed(2)} s |`);
  console.log(`| approval → applied latency p50 | ${(pct(latencies, 50) / 1000).toFixed(2)} s |`);
  console.log(`| approval → applied latency p95 | ${(pct(latencies, 95) / 1000).toFixed(2)} s |`);
  console.log(
    `| baseline: the same ${N} budget changes straight to the platform | ${(baselineMs / 1000).toFixed(2)} s (${((N / baselineMs) * 1000).toFixed(0)}/s) |`,
  );
  console.log(`| workflow path vs direct calls | ${((tDone - t0) / baselineMs).toFixed(1)}× the time, for approval, guardrails, read-back and audit |`);
  console.log(`| platform mutations by the workflows | ${mutations} (exactly one per request) |`);
} finally {
  worker.shutdown();
  await running;
  await connection.close();
  await ctx.close();
  await env.teardown();
  await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(benchHome);
}
