// Budget-change workflow benchmark on a real Temporal dev server, Postgres and the sandbox: N concurrent change
// requests (one item each) — requested, approved all at once, applied and verified — with one worker and then two
// (the second a real worker process). Prints requests completed per second and approval → applied latency
// (p50/p95, from the moment the decision is sent), one request alone, the same N budget changes made straight to the
// platform (no workflow, no approval, no audit) in the same run, the history events and steps of one request, and
// guardrail evaluation time with an empty account and with 100,000 past changes. The load average is printed with
// each run: the machine is shared, compare runs made in the same conditions.
// usage: npm run bench:workflows [-- --requests 200] [--history 100000] [--workers 1|2|both] [--single 5]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SandboxConnector } from '../../connectors/sandbox/connector.js';
import { evaluateGuardrails, type GuardrailPolicy } from '../../core/guardrails.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { GUARDRAIL_CONTEXT_SQL, guardrailContext } from '../../db/guardrail-context.js';
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
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const N = Number(arg('requests', '200'));
const HISTORY = Number(arg('history', '100000'));
const WORKERS = arg('workers', 'both');
const SINGLE = Number(arg('single', '5'));
const memberContext = (app: AppContext, workspace: string, userId: string, role: Role) => memberActor(app, workspace, userId, role, 'api');
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((p / 100) * v.length))]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bin = process.env.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
if (!existsSync(bin)) throw new Error('build the Temporal CLI first: bash temporal/install.sh');
let admin = process.env.DATABASE_URL;
const benchHome = path.join(PROJECT_ROOT, '.mbo', 'bench');
if (!admin) admin = (await ensureEmbeddedPostgres(benchHome, 54338, 'postgres')).url;
const scratch = await createScratchDatabase(admin, `mbo_bench_${process.pid}`);
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: bin }, namespace: 'mbo', searchAttributes: ALL_SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
});
const workerEnv = { DATABASE_URL: scratch.url, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'mbo', MBO_TEMPORAL_DEV: 'false', MBO_TASK_QUEUE: 'bench' };
const config = loadConfig({ ...workerEnv, LOG_LEVEL: 'error' });
const ctx = await createContext(config);
const connection = await connectWorker(config.temporal);
const worker = await createWorker({ connection, namespace: 'mbo', taskQueue: 'bench', pool: ctx.pool, prisma: ctx.prisma, pageSize: 500 });
const running = worker.run();
let second: ChildProcess | undefined;
try {
  console.log(`# Budget-change workflows: ${N} concurrent requests (1 item each), this machine (${new Date().toISOString()})\n`);
  const perAccount = Math.ceil(N / 4);
  const { workspace } = await ensureSandbox(ctx, {
    workspace: 'bench',
    prefix: 'bench',
    historyDays: 3,
    campaignsPerAccount: 2 * perAccount + 2,
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
  const all = await ctx.prisma.campaign.findMany({
    where: { status: 'ACTIVE', account: { workspaceId: workspace.id } },
    include: { account: true },
    orderBy: { externalId: 'asc' },
  });

  // Guardrail evaluation time, empty account vs 100,000 past changes (older than a day) in the same account.
  const evalTime = async () => {
    const account = all[0]!.account;
    const r = { id: '00000000-0000-0000-0000-000000000000', emergency: false, items: [{ campaignId: all[0]!.id }] };
    const policy = { maxChangePct: 0.5, maxChangesPerDay: 100_000, fourEyes: true, approvalTtlHours: 48, reminderBeforeHours: 12, onFailure: 'rollback' };
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const g = await guardrailContext(ctx.prisma, r, account, new Date().toISOString());
      evaluateGuardrails(
        policy as GuardrailPolicy,
        [{ campaignId: all[0]!.id, platform: account.platform, kind: 'budget', fromBudget: '100', toBudget: '110' }],
        g,
      );
      times.push(performance.now() - t);
    }
    const plan = await ctx.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, format text) ${GUARDRAIL_CONTEXT_SQL}`, [
      account.id,
      new Date(Date.now() - 86_400_000),
      [all[0]!.id],
      r.id,
    ]);
    const exec = plan.rows.map((x) => x['QUERY PLAN']).find((l) => l.startsWith('Execution Time'));
    return { p50: pct(times, 50), p95: pct(times, 95), exec };
  };
  const empty = await evalTime();
  if (HISTORY > 0) {
    const db = new pg.Client({ connectionString: scratch.adminUrl });
    await db.connect();
    const account = all[0]!.account;
    const ids = all.filter((c) => c.accountId === account.id).map((c) => c.id);
    // 1,000 past requests of 100 items each, applied between 2 and 700 days ago, on the account's campaigns.
    await db.query(
      `with reqs as (
         insert into change_request (id, workspace_id, account_id, source, requested_by, reason, status, policy, created_at, updated_at)
         select gen_random_uuid(), $1::uuid, $2::uuid, 'rule', 'bench', 'history', 'APPLIED', '{}'::jsonb, now() - (g * interval '16 hours') - interval '2 days', now()
           from generate_series(1, $4::int / 100) g
         returning id, created_at)
       insert into change_item (id, request_id, seq, campaign_id, kind, from_budget, to_budget, status, applied_at)
       select gen_random_uuid(), r.id, s, ($3::uuid[])[1 + (s % array_length($3::uuid[], 1))], 'budget', 100, 110, 'APPLIED', r.created_at
         from reqs r cross join generate_series(0, 99) s`,
      [workspace.id, account.id, ids, HISTORY],
    );
    await db.query('analyze change_item; analyze change_request');
    await db.end();
  }
  const aged = await evalTime();
  console.log(`| guardrail evaluation (context read + rules), one account | p50 | p95 | database execution |\n| --- | --- | --- | --- |`);
  console.log(`| no past changes | ${empty.p50.toFixed(1)} ms | ${empty.p95.toFixed(1)} ms | ${empty.exec} |`);
  console.log(`| ${HISTORY.toLocaleString('en')} past changes | ${aged.p50.toFixed(1)} ms | ${aged.p95.toFixed(1)} ms | ${aged.exec} |\n`);

  // Baseline: the same number of budget changes straight to the platform (sequential, no workflow).
  const baseline = async (campaigns: typeof all) => {
    const tb = performance.now();
    for (const [i, c] of campaigns.entries())
      await new SandboxConnector(ctx.pool, c.account.platform, c.account.externalId).updateBudget(
        c.externalId,
        (Number(c.dailyBudget) + 1).toFixed(2),
        `baseline-${Date.now()}-${i}`,
      );
    const ms = performance.now() - tb;
    await ctx.pool.query(`update sandbox.campaign s set daily_budget = c.daily_budget from campaign c where c.external_id = s.id`);
    return ms;
  };

  const waitFor = async (ids: string[], status: string) => {
    for (;;) {
      const n = await ctx.prisma.changeRequest.count({ where: { id: { in: ids }, status: status as 'PENDING_APPROVAL' } });
      if (n === ids.length) return;
      await sleep(50);
    }
  };
  const request = (c: (typeof all)[number], f: number) =>
    requestChange(ana, { reason: 'bench', items: [{ campaign: c.id, kind: 'budget', toBudget: (Number(c.dailyBudget) * f).toFixed(2) }] }).then((r) => r.id);
  const applied = async (ids: string[], sentAt: Map<string, number>) => {
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
      await sleep(25);
    }
    return ids.map((id) => done.get(id)! - sentAt.get(id)!);
  };

  // One request alone (nothing else running): approval → applied.
  const single: number[] = [];
  let lastSingle = '';
  for (let i = 0; i < SINGLE; i++) {
    const id = await request(all[all.length - 1 - i]!, 1.05);
    lastSingle = id;
    await waitFor([id], 'PENDING_APPROVAL');
    const sent = new Map([[id, Date.now()]]);
    await decideChange(paul, { requestId: id, approve: true });
    single.push((await applied([id], sent))[0]!);
  }
  const history = (await (await ctx.temporal()).workflow.getHandle(lastSingle).fetchHistory()).events!;
  const kinds = (k: string) => history.filter((e) => (e as Record<string, unknown>)[k]).length;
  console.log(`| one request (1 item), alone | value |\n| --- | --- |`);
  console.log(`| approval → applied, median of ${SINGLE} | ${(pct(single, 50) / 1000).toFixed(3)} s (max ${(Math.max(...single) / 1000).toFixed(3)} s) |`);
  console.log(
    `| history events / activities / workflow tasks | ${history.length} / ${kinds('activityTaskScheduledEventAttributes')} / ${kinds('workflowTaskCompletedEventAttributes')} |\n`,
  );

  const scenario = async (label: string, campaigns: typeof all, factor: number) => {
    const load0 = load();
    const baselineMs = await baseline(campaigns);
    const t0 = performance.now();
    const ids = await Promise.all(campaigns.map((c) => request(c, factor)));
    await waitFor(ids, 'PENDING_APPROVAL');
    const tPending = performance.now();
    const sentAt = new Map<string, number>();
    const tApprove = performance.now();
    await Promise.all(
      ids.map(async (id) => {
        sentAt.set(id, Date.now());
        await decideChange(paul, { requestId: id, approve: true });
      }),
    );
    const latencies = await applied(ids, sentAt);
    const tDone = performance.now();
    const mutations = Number(
      (await ctx.pool.query(`select count(*) as n from sandbox.mutation m where m.idempotency_key = any($1)`, [ids.map((id) => `${id}/0`)])).rows[0].n,
    );
    return {
      label,
      perSec: (N / (tDone - t0)) * 1000,
      pending: tPending - t0,
      approveToAll: tDone - tApprove,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      max: Math.max(...latencies),
      baselineMs,
      ratio: (tDone - tApprove) / baselineMs,
      ratioAll: (tDone - t0) / baselineMs,
      mutations,
      load: `${load0} → ${load()}`,
    };
  };

  const results: Awaited<ReturnType<typeof scenario>>[] = [];
  const firstHalf = all.filter((_, i) => i % 2 === 0).slice(0, N);
  const secondHalf = all.filter((_, i) => i % 2 === 1).slice(0, N);
  if (WORKERS !== '2') results.push(await scenario('one worker', firstHalf, 1.1));
  if (WORKERS !== '1') {
    second = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...workerEnv, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await sleep(8000); // bundling and polling
    results.push(await scenario('two workers', secondHalf, 1.1));
  }
  console.log(`| ${N} concurrent requests | ${results.map((r) => r.label).join(' | ')} |\n| --- |${results.map(() => ' --- |').join('')}`);
  const row = (name: string, f: (r: (typeof results)[number]) => string) => console.log(`| ${name} | ${results.map(f).join(' | ')} |`);
  row('requests completed per second (request → applied)', (r) => r.perSec.toFixed(1));
  row(`request → pending approval, all ${N}`, (r) => sec(r.pending));
  row('approval → applied p50 (from the decision sent)', (r) => sec(r.p50));
  row('approval → applied p95', (r) => sec(r.p95));
  row('approval → applied, last', (r) => sec(r.max));
  row(`approve all → all applied`, (r) => sec(r.approveToAll));
  row(`direct platform calls, the same ${N} changes (sequential)`, (r) => sec(r.baselineMs));
  row('approve all → all applied, vs direct calls', (r) => `${r.ratio.toFixed(1)}×`);
  row('request → applied (whole path), vs direct calls', (r) => `${r.ratioAll.toFixed(1)}×`);
  row('platform mutations by the workflows', (r) => `${r.mutations} (exactly one per request)`);
  row('load average (1, 5, 15 min) before → after', (r) => r.load);
} finally {
  if (second && second.exitCode === null) {
    second.kill('SIGTERM');
    await new Promise((r) => second!.once('exit', r));
  }
  worker.shutdown();
  await running;
  await connection.close();
  await ctx.close();
  await env.teardown();
  await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(benchHome);
}
