// Shared pieces for end-to-end tests: a context on the test database and Temporal server, an isolated
// sandbox world per test, workers in-process or as a real child process (to kill it).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { SandboxPlatform } from '../../connectors/sandbox/platform.js';
import { loadConfig, PROJECT_ROOT } from '../../lib/config.js';
import { createContext, type AppContext } from '../../services/context.js';
import { ensureSandbox } from '../../stack/ensure-sandbox.js';
import { connectWorker } from '../../temporal/worker-connection.js';
import { createWorker } from '../../workers/create-worker.js';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ActorSource, Role, ServiceContext } from '../../services/actor.js';
import { issueApiKey, memberActor } from '../../stack/local-identity.js';

// Quiet SDK logs in tests: warnings and errors only.
// All e2e files share one process (singleFork), and the Runtime is a process-wide singleton: install it once.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch (e) {
  if ((e as Error).name !== 'IllegalStateError') throw e;
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'mbo',
    MBO_TEMPORAL_DEV: 'false',
    TEMPORAL_UI_URL: 'http://localhost:8233',
    MBO_TASK_QUEUE: `test-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export async function testContext(extra: Record<string, string> = {}): Promise<AppContext> {
  return createContext(loadConfig(testEnv(extra)));
}

/** A fresh workspace with its own four sandbox accounts (small: fast to sync, still several pages). */
export async function isolatedSandbox(ctx: AppContext, opts: { historyDays?: number; campaignsPerAccount?: number } = {}) {
  const id = randomUUID().slice(0, 8);
  const workspace = `ws-${id}`;
  const { accounts } = await ensureSandbox(ctx, {
    workspace,
    prefix: `t${id}`,
    historyDays: opts.historyDays ?? 30,
    campaignsPerAccount: opts.campaignsPerAccount ?? 5,
    seed: 7,
    today: '2026-06-01',
  });
  return { workspace, accounts, sandbox: new SandboxPlatform(ctx.pool) };
}

export async function startInProcessWorker(ctx: AppContext): Promise<{ worker: Worker; done: Promise<void> }> {
  const connection = await connectWorker(ctx.config.temporal);
  const worker = await createWorker({
    connection,
    namespace: ctx.config.temporal.namespace,
    taskQueue: ctx.config.temporal.taskQueue,
    pool: ctx.pool,
    prisma: ctx.prisma,
    pageSize: ctx.config.sync.pageSize,
    alertWebhookUrl: ctx.config.alerts.webhookUrl,
  });
  const done = worker.run().finally(() => connection.close());
  return { worker, done };
}

/** The real worker entry point as a child process (what `mbo up` runs), so a test can kill -9 it. */
export function spawnWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function metricRowCount(ctx: AppContext, workspace: string): Promise<{ rows: number; distinct: number; spend: string; value: string }> {
  const { rows } = await ctx.pool.query<{ rows: string; distinct: string; spend: string; value: string }>(
    `select count(*) as rows, count(distinct (m.campaign_id, m.date)) as distinct, coalesce(sum(m.spend), 0)::text as spend,
            coalesce(sum(m.conversion_value), 0)::text as value
       from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id
       join workspace w on w.id = a.workspace_id where w.slug = $1`,
    [workspace],
  );
  const r = rows[0]!;
  return { rows: Number(r.rows), distinct: Number(r.distinct), spend: r.spend, value: r.value };
}

/**
 * A member of `workspace` (created with `role` when missing) as the actor of use cases — what a door builds from
 * a credential. Tests call use cases through this, exactly as the API and CLI do.
 */
export async function memberContext(
  ctx: AppContext,
  workspace: string,
  userId: string,
  role: Role = 'analyst',
  source: ActorSource = 'cli',
): Promise<ServiceContext> {
  return memberActor(ctx, workspace, userId, role, source);
}

/** An API key of a member (created with `role` when missing), as an admin or `mbo up` would hand it out. */
export async function memberKey(ctx: AppContext, workspace: string, userId: string, role: Role = 'analyst', expiresAt?: Date): Promise<string> {
  const { actor } = await memberContext(ctx, workspace, userId, role);
  return issueApiKey(ctx.prisma, { workspaceId: actor.workspaceId, userId, name: `test key of ${userId}`, expiresAt });
}
