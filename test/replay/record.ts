// Records workflow histories for the replay test (test/replay/replay.test.ts), from real runs: a Temporal dev
// server, a scratch Postgres database, the sandbox and the real worker. Scenarios: a sync of four accounts (its
// per-account children and the rules evaluation it starts), budget changes approved and applied, rejected, and
// one still waiting for approval (the case a deploy meets most), an optimization that opens a change request,
// a workspace-wide optimization plan (its per-account requests left waiting) and a report delivery; an approver
// with a chat channel, so requests waiting for a decision start their approval notices. Then every workflow that ran is saved, a few per type (distinct outcomes first), as
// test/replay/histories/<prefix><Type>-<n>.json. Refresh on purpose, when a workflow changes (README, "Changing a
// workflow safely"); keep histories recorded by older code: they are what running workflows replay.
// usage: npm run replay:record [-- --prefix v2- --per-type 3 --out test/replay/histories --types ReportWorkflow,…]
// (--types: save only these workflow types, e.g. a new type's first histories beside older ones kept as they are)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import protos from '@temporalio/proto';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { PROJECT_ROOT, loadConfig } from '../../lib/config.js';
import { loadKeyring } from '../../lib/secrets.js';
import { useKeyring } from '../../connectors/credentials.js';
import { setNotificationChannel } from '../../services/notifications/channels.js';
import { memberActor } from '../../stack/local-identity.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startOptimization } from '../../services/optimization/optimization.js';
import { startWorkspaceOptimization } from '../../services/optimization/start-workspace-optimization.js';
import { deliverReportNow } from '../../services/reports/reports.js';
import { createContext } from '../../services/context.js';
import { ensureSandbox } from '../../stack/ensure-sandbox.js';
import { startSync } from '../../services/sync/sync.js';
import { createWorker } from '../../workers/create-worker.js';
import { connectWorker } from '../../temporal/worker-connection.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

const { temporal } = protos; // CommonJS: its names come through the default export
Runtime.install({ logger: new DefaultLogger('ERROR') });
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const prefix = arg('prefix', '');
const perType = Number(arg('per-type', '3'));
const onlyTypes = arg('types', '').split(',').filter(Boolean);
const out = path.resolve(arg('out', path.join(PROJECT_ROOT, 'test', 'replay', 'histories')));
/**
 * A history as protobuf.js's plain object (longs, enums and bytes as strings): it round-trips exactly through
 * History.fromObject in the test. (Not historyToJSON: @temporalio/common's nested protobufjs 8 cannot serialise
 * the History type of @temporalio/proto's protobufjs 7 — "type must be a Type".)
 */
const toFixture = (h: protos.temporal.api.history.v1.IHistory) =>
  temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(h), { longs: String, enums: String, bytes: String });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bin = process.env.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
if (!existsSync(bin)) throw new Error('build the Temporal CLI first: bash temporal/install.sh');
let admin = process.env.DATABASE_URL;
const home = path.join(PROJECT_ROOT, '.mbo', 'replay-record');
if (!admin) admin = (await ensureEmbeddedPostgres(home, 54339, 'postgres')).url;
const scratch = await createScratchDatabase(admin, `mbo_replay_${process.pid}`);
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: bin }, namespace: 'mbo', searchAttributes: ALL_SEARCH_ATTRIBUTES, extraArgs: ['--log-level', 'error'] },
});
const config = loadConfig({
  DATABASE_URL: scratch.url,
  TEMPORAL_ADDRESS: env.address,
  MBO_TEMPORAL_DEV: 'false',
  MBO_TASK_QUEUE: 'replay',
  LOG_LEVEL: 'error',
  MBO_SECRET_KEY: randomBytes(32).toString('base64'), // seals the notification channel's webhook URL
});
useKeyring(loadKeyring(config));
const ctx = await createContext(config);
const connection = await connectWorker(config.temporal);
const worker = await createWorker({ connection, namespace: 'mbo', taskQueue: 'replay', pool: ctx.pool, prisma: ctx.prisma, pageSize: 500 });
const running = worker.run();
try {
  const { workspace } = await ensureSandbox(ctx, {
    workspace: 'replay',
    prefix: 'replay',
    historyDays: 30,
    campaignsPerAccount: 6,
    seed: 3,
    today: '2026-06-01',
    members: [
      ['ana', 'analyst'],
      ['paul', 'approver'],
    ],
  });
  await ctx.prisma.guardrailSetting.create({ data: { workspaceId: workspace.id, policy: { learningPhaseDays: 0 } } });
  const ana = await memberActor(ctx, 'replay', 'ana', 'analyst', 'cli');
  const paul = await memberActor(ctx, 'replay', 'paul', 'approver', 'cli');
  await (await startSync(ana, { from: '2026-05-02', to: '2026-05-31' })).handle.result();
  const client = await ctx.temporal();
  const campaigns = await ctx.prisma.campaign.findMany({
    where: { status: 'ACTIVE', account: { workspaceId: workspace.id, platform: 'meta' } },
    orderBy: { externalId: 'asc' },
  });
  const item = (i: number, f: number) => ({
    campaign: campaigns[i]!.id,
    kind: 'budget' as const,
    toBudget: (Number(campaigns[i]!.dailyBudget) * f).toFixed(2),
  });
  const pending = async (id: string) => {
    while ((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status !== 'PENDING_APPROVAL') await sleep(100);
  };
  // paul has a Slack-compatible channel (a loopback receiver), so each request that waits for a decision starts its
  // ApprovalNoticeWorkflow from its own workflow (patch chat-14-notice-from-workflow).
  const hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
  await setNotificationChannel(paul, { kind: 'slack', address: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook` });
  const noticeSent = async (id: string) => {
    while (!(await ctx.prisma.approvalNotice.count({ where: { requestId: id, status: 'sent' } }))) await sleep(100);
  };
  // Approved and applied (two items), rejected, and one left waiting for a decision.
  const applied = await requestChange(ana, { reason: 'replay: approved', items: [item(0, 1.1), item(1, 0.9)] });
  await pending(applied.id);
  await noticeSent(applied.id);
  await decideChange(paul, { requestId: applied.id, approve: true, note: 'ok' });
  await client.workflow.getHandle(applied.id).result();
  const rejected = await requestChange(ana, { reason: 'replay: rejected', items: [item(2, 1.2)] });
  await pending(rejected.id);
  await decideChange(paul, { requestId: rejected.id, approve: false, note: 'not now' });
  await client.workflow.getHandle(rejected.id).result();
  const waiting = await requestChange(ana, { reason: 'replay: waiting', items: [item(3, 1.05)] });
  await pending(waiting.id);
  await noticeSent(waiting.id);
  // An optimization of one account (it syncs the account, plans and opens a change request).
  try {
    const account = await ctx.prisma.platformAccount.findFirstOrThrow({ where: { workspaceId: workspace.id, platform: 'google_ads' } });
    const o = await startOptimization(ana, { account: account.id, objective: 'revenue' });
    await (o as { handle?: { result(): Promise<unknown> } }).handle?.result();
  } catch (e) {
    console.warn(`optimization scenario: ${(e as Error).message.split('\n')[0]}`);
  }
  // A workspace-wide plan over every account (no fresh sync: the data above is a minute old); its requests wait.
  try {
    const plan = await startWorkspaceOptimization(ana, { objective: 'revenue', sync: false });
    await (plan as { handle?: { result(): Promise<unknown> } }).handle?.result();
  } catch (e) {
    console.warn(`workspace optimization scenario: ${(e as Error).message.split('\n')[0]}`);
  }
  // A report delivered now (no webhook subscribed: rendered, nothing to send).
  try {
    const { workflowId } = await deliverReportNow(ana, { days: 7 });
    await client.workflow.getHandle(workflowId).result();
  } catch (e) {
    console.warn(`report scenario: ${(e as Error).message.split('\n')[0]}`);
  }
  await sleep(2000); // let started children (rules, budget changes) reach a resting point

  // Every workflow that ran, by type: a few per type, different outcomes first.
  const byType = new Map<string, { workflowId: string; runId: string; status: string }[]>();
  for await (const w of client.workflow.list()) {
    if (onlyTypes.length && !onlyTypes.includes(w.type)) continue;
    const list = byType.get(w.type) ?? [];
    list.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name });
    byType.set(w.type, list);
  }
  mkdirSync(out, { recursive: true });
  for (const [type, runs] of [...byType].sort()) {
    const seen = new Set<string>();
    const picked = [...runs.filter((r) => !seen.has(r.status) && seen.add(r.status)), ...runs].filter((r, i, a) => a.indexOf(r) === i).slice(0, perType);
    for (const [n, r] of picked.entries()) {
      const history = await client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
      const file = path.join(out, `${prefix}${type}-${n + 1}.json`);
      writeFileSync(file, JSON.stringify(toFixture(history), null, 1) + '\n');
      console.log(`${path.relative(PROJECT_ROOT, file)}: ${type}, ${r.status.toLowerCase()}, ${history.events?.length} events`);
    }
  }
  hook.close();
} finally {
  worker.shutdown();
  await running;
  await connection.close();
  await ctx.close();
  await env.teardown();
  await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(home);
}
