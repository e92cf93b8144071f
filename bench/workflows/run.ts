// Budget-change workflow benchmark on a real Temporal dev server, Postgres and the sandbox: N concurrent change
// requests (one item each) — requested, approved all at once, applied and verified — with one worker and then two
// (the second a real worker process). Prints requests completed per second and approval → applied latency
// (p50/p95, from the moment the decision is sent), one request alone, the same N budget changes made straight to the
// platform (no workflow, no approval, no audit) in the same run, the history events and steps of one request, and
// guardrail evaluation time with an empty account and with 100,000 past changes. The load average is printed with
// each run: the machine is shared, compare runs made in the same conditions.
// usage: npm run bench:workflows [-- --requests 200] [--history 100000] [--workers 1|2|both] [--single 5]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SandboxConnector } from '../../connectors/sandbox/connector.js';
import { evaluateGuardrails, type GuardrailPolicy } from '../../core/guardrails.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { closePools, getPool } from '../../db/pool.js';
import { closePrisma, getPrisma } from '../../db/prisma.js';
import { PrismaClient } from '../../db/generated/client.js';
import { PrismaPg } from '@prisma/adapter-pg';
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
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s
/** CPU seconds (user + system) a process has used so far; 0 when it cannot be read (not Linux, gone). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}
/** The Temporal dev server this process started (a child named "temporal"). */
function temporalServerPid(): number | undefined {
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'temporal' && ppid === process.pid) return Number(d);
    }
  } catch {
    /* not Linux */
  }
  return undefined;
}

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
// The worker has its own connections, as the worker process has in a deployment (the requests and decisions this
// benchmark sends stand for the API process, on ctx's). --worker-connections N sizes its Prisma pool (default:
// getPrisma's, as the worker process has).
const workerConnections = Number(arg('worker-connections', '0'));
const workerPrisma = workerConnections
  ? new PrismaClient({ adapter: new PrismaPg({ connectionString: scratch.url, max: workerConnections }) })
  : getPrisma(scratch.url);
const worker = await createWorker({
  connection,
  namespace: 'mbo',
  taskQueue: 'bench',
  pool: getPool(scratch.url),
  prisma: workerPrisma,
  pageSize: 500,
});
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
  // Latency is the stored updatedAt (the transaction that recorded APPLIED) minus the moment the decision was sent,
  // so how often this polls changes only the benchmark's own load: every 250 ms for many requests, 25 ms for one.
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
      await sleep(ids.length > 1 ? 250 : 25);
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

  // What each process and the database spend per request (the profile that says what limits the run).
  const temporalPid = temporalServerPid();
  const dbCounters = async () => {
    const { rows } = await ctx.pool.query<{ d: Record<string, number | string | null> }>(
      `select to_jsonb(d) as d from pg_stat_database d where datname = current_database()`,
    );
    const d = rows[0]!.d;
    return { xacts: Number(d.xact_commit ?? 0) + Number(d.xact_rollback ?? 0), activeMs: d.active_time == null ? NaN : Number(d.active_time) };
  };
  const cpu = () => ({ bench: process.cpuUsage(), temporal: cpuSeconds(temporalPid), second: cpuSeconds(second?.pid) });
  const secondsOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  /**
   * Where a request's time goes after the decision, from its history's event times (a sample of 10): waiting for
   * a worker to pick up a workflow task or an activity (queue), the worker running it, and the server between
   * one step and the next (e.g. the Update accepted → its first workflow task). Averages per request, in ms.
   */
  const historyProfile = async (ids: string[]) => {
    const client = await ctx.temporal();
    const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 10)) === 0).slice(0, 10);
    const t = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) =>
      Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
    const byType = new Map<string, number>();
    const sum = { events: 0, activities: 0, tasks: 0, taskFailures: 0, wftQueue: 0, wftRun: 0, actQueue: 0, actRun: 0, total: 0, decisionToFirstTask: 0 };
    for (const id of sample) {
      const h = (await client.workflow.getHandle(id).fetchHistory()).events! as unknown as Record<string, unknown>[];
      const has = (k: string) => h.filter((e) => e[k]).length;
      sum.events += h.length;
      sum.activities += has('activityTaskScheduledEventAttributes');
      sum.tasks += has('workflowTaskCompletedEventAttributes');
      sum.taskFailures += has('workflowTaskFailedEventAttributes') + has('workflowTaskTimedOutEventAttributes');
      // After the decision: the Update's acceptance (or, if it was accepted in the task that started it, its request).
      const from = h.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      if (from < 0) continue;
      const byId = new Map(h.map((e) => [String(e.eventId), e]));
      const startedOf = (attrs: string) => (e: Record<string, unknown>) => byId.get(String((e[attrs] as { startedEventId?: unknown }).startedEventId));
      const scheduledOf = (attrs: string) => (e: Record<string, unknown>) => byId.get(String((e[attrs] as { scheduledEventId?: unknown }).scheduledEventId));
      let firstTask: number | undefined;
      for (const e of h.slice(from)) {
        if (e.workflowTaskStartedEventAttributes) {
          const sch = scheduledOf('workflowTaskStartedEventAttributes')(e);
          if (sch && t(sch as never) >= t(h[from] as never)) sum.wftQueue += t(e as never) - t(sch as never);
          firstTask ??= t(e as never);
        }
        if (e.workflowTaskCompletedEventAttributes) {
          const st = startedOf('workflowTaskCompletedEventAttributes')(e);
          if (st) sum.wftRun += t(e as never) - t(st as never);
        }
        if (e.activityTaskStartedEventAttributes) {
          const sch = scheduledOf('activityTaskStartedEventAttributes')(e);
          if (sch) sum.actQueue += t(e as never) - t(sch as never);
        }
        if (e.activityTaskCompletedEventAttributes) {
          const st = startedOf('activityTaskCompletedEventAttributes')(e);
          const sch = scheduledOf('activityTaskCompletedEventAttributes')(e);
          const type = (sch?.activityTaskScheduledEventAttributes as { activityType?: { name?: string } } | undefined)?.activityType?.name ?? '?';
          if (st) {
            sum.actRun += t(e as never) - t(st as never);
            byType.set(type, (byType.get(type) ?? 0) + t(e as never) - t(st as never));
          }
        }
      }
      sum.total += t(h.at(-1) as never) - t(h[from] as never);
      sum.decisionToFirstTask += (firstTask ?? t(h[from] as never)) - t(h[from] as never);
    }
    const n = sample.length;
    const avg = Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / n])) as typeof sum;
    const runByType = [...byType].map(([type, ms]) => `${type} ${(ms / n).toFixed(0)} ms`).join(', ');
    return { ...avg, runByType };
  };
  // A decision the server could not take under load ("Workflow Update failed", a timeout) is sent again while the
  // request still waits for one (the first decision wins; a second one is refused, never applied twice).
  const decide = async (id: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideChange(paul, { requestId: id, approve: true });
      } catch (e) {
        const status = (await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status;
        if (status !== 'PENDING_APPROVAL' || attempt >= 5) {
          if (status === 'PENDING_APPROVAL') throw e;
          return;
        }
        decisionRetries++;
        await sleep(200 * attempt);
      }
    }
  };
  let decisionRetries = 0;

  const scenario = async (label: string, campaigns: typeof all, factor: number) => {
    const load0 = load();
    const baselineMs = await baseline(campaigns);
    const t0 = performance.now();
    // Opened 50 at a time (API clients; 200 at once would wait > 10 s for one of the 10 connections under load).
    const ids: string[] = [];
    for (let i = 0; i < campaigns.length; i += 50) ids.push(...(await Promise.all(campaigns.slice(i, i + 50).map((c) => request(c, factor)))));
    await waitFor(ids, 'PENDING_APPROVAL');
    const tPending = performance.now();
    const sentAt = new Map<string, number>();
    decisionRetries = 0;
    const [db0, cpu0] = [await dbCounters(), cpu()];
    const tApprove = performance.now();
    await Promise.all(
      ids.map(async (id) => {
        sentAt.set(id, Date.now());
        await decide(id);
      }),
    );
    const latencies = await applied(ids, sentAt);
    const tDone = performance.now();
    const [db1, cpu1] = [await dbCounters(), cpu()];
    const profile = {
      ...(await historyProfile(ids)),
      dbXactsPerRequest: (db1.xacts - db0.xacts) / ids.length,
      dbActiveMsPerRequest: (db1.activeMs - db0.activeMs) / ids.length,
      cpuBench: secondsOf(process.cpuUsage(cpu0.bench)),
      cpuTemporal: cpu1.temporal - cpu0.temporal,
      cpuSecond: cpu1.second - cpu0.second,
      wallS: (tDone - tApprove) / 1000,
      decisionRetries,
    };
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
      profile,
    };
  };
  const report = (r: Awaited<ReturnType<typeof scenario>>) =>
    console.log(
      `# ${r.label}: approval → applied p50 ${sec(r.p50)}, p95 ${sec(r.p95)}; approve all → all applied ${sec(r.approveToAll)} vs direct ${sec(r.baselineMs)} = ${r.ratio.toFixed(1)}×; load ${r.load}\n`,
    );

  const results: Awaited<ReturnType<typeof scenario>>[] = [];
  const firstHalf = all.filter((_, i) => i % 2 === 0).slice(0, N);
  const secondHalf = all.filter((_, i) => i % 2 === 1).slice(0, N);
  if (WORKERS !== '2') {
    results.push(await scenario('one worker', firstHalf, 1.1));
    report(results.at(-1)!);
  }
  if (WORKERS !== '1') {
    second = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...workerEnv, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await sleep(8000); // bundling and polling
    results.push(await scenario('two workers', secondHalf, 1.1));
    report(results.at(-1)!);
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
  console.log(
    `\n| profile, approve all → all applied (per request unless said) | ${results.map((r) => r.label).join(' | ')} |\n| --- |${results.map(() => ' --- |').join('')}`,
  );
  row(
    'history events / activities / workflow tasks (sample of 10)',
    (r) => `${r.profile.events.toFixed(0)} / ${r.profile.activities.toFixed(1)} / ${r.profile.tasks.toFixed(1)}`,
  );
  row('workflow tasks failed or timed out (sample of 10)', (r) => r.profile.taskFailures.toFixed(1));
  row('after the decision (history times): accepted → completed', (r) => `${r.profile.total.toFixed(0)} ms`);
  row('… workflow tasks waiting for the worker / running on it', (r) => `${r.profile.wftQueue.toFixed(0)} / ${r.profile.wftRun.toFixed(0)} ms`);
  row('… activities waiting for the worker / running on it', (r) => `${r.profile.actQueue.toFixed(0)} / ${r.profile.actRun.toFixed(0)} ms`);
  row('… activities running, by type', (r) => r.profile.runByType);
  row(
    '… the rest (the server between steps)',
    (r) => `${(r.profile.total - r.profile.wftQueue - r.profile.wftRun - r.profile.actQueue - r.profile.actRun).toFixed(0)} ms`,
  );
  row('database transactions (pg_stat_database)', (r) => r.profile.dbXactsPerRequest.toFixed(1));
  row('database busy time (pg_stat_database active_time)', (r) =>
    Number.isNaN(r.profile.dbActiveMsPerRequest) ? 'n/a' : `${r.profile.dbActiveMsPerRequest.toFixed(1)} ms`,
  );
  row(
    'CPU: bench + in-process worker',
    (r) => `${((r.profile.cpuBench / N) * 1000).toFixed(1)} ms (${((r.profile.cpuBench / r.profile.wallS) * 100).toFixed(0)}% of a core)`,
  );
  row('CPU: second worker process', (r) =>
    r.profile.cpuSecond
      ? `${((r.profile.cpuSecond / N) * 1000).toFixed(1)} ms (${((r.profile.cpuSecond / r.profile.wallS) * 100).toFixed(0)}% of a core)`
      : '—',
  );
  row(
    'CPU: Temporal dev server',
    (r) => `${((r.profile.cpuTemporal / N) * 1000).toFixed(1)} ms (${((r.profile.cpuTemporal / r.profile.wallS) * 100).toFixed(0)}% of a core)`,
  );
  row('decisions sent again (server busy)', (r) => String(r.profile.decisionRetries));
  const one = results[0];
  console.log('\n| target (issue 16) | measured | met |\n| --- | --- | --- |');
  console.log(`| one request alone: approval → applied < 300 ms | ${(pct(single, 50) / 1000).toFixed(3)} s | ${pct(single, 50) < 300 ? 'yes' : 'no'} |`);
  for (const r of results) {
    console.log(`| ${N} concurrent, ${r.label}: approval → applied p95 < 2 s | ${sec(r.p95)} | ${r.p95 < 2000 ? 'yes' : 'no'} |`);
    console.log(`| ${N} concurrent, ${r.label}: workflow path within 5× of direct calls | ${r.ratio.toFixed(1)}× | ${r.ratio <= 5 ? 'yes' : 'no'} |`);
  }
  if (one) console.log(`\nload average now: ${load()} (2 cores: above 2 the run shared the CPU)`);
} finally {
  if (second && second.exitCode === null) {
    second.kill('SIGTERM');
    await new Promise((r) => second!.once('exit', r));
  }
  worker.shutdown();
  await running;
  await connection.close();
  await ctx.close();
  await Promise.all([closePools(), closePrisma(), workerConnections ? workerPrisma.$disconnect() : undefined]);
  await env.teardown();
  await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(benchHome);
}
