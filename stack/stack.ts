// Brings the whole product up on its embedded defaults (or on configured services) and down again:
// Postgres (+ migrations), Temporal dev server + UI, search attributes, sandbox data, the worker, the hourly
// sync schedule and a first sync. Every step is idempotent, so `mbo up` on a running stack just checks it.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { stopEmbeddedPostgres } from '../db/embedded-postgres.js';
import { migrate } from '../db/migrate.js';
import type { Config } from '../lib/config.js';
import { isRunning, readPid, stopPid, writePid } from '../lib/processes.js';
import { startTemporalDevServer, stopTemporalDevServer } from '../temporal/dev-server.js';
import { registerSearchAttributes } from '../temporal/search-attributes.js';
import { createContext, type AppContext } from '../services/context.js';
import { ensureSandbox } from './ensure-sandbox.js';
import { ensureSyncSchedule } from './ensure-sync-schedule.js';

export type Step = (message: string) => void;

export function startWorkerProcess(config: Config): { pid: number; started: boolean } {
  const existing = readPid(config.home, 'worker');
  if (existing) return { pid: existing, started: false };
  mkdirSync(path.join(config.home, 'logs'), { recursive: true });
  const log = openSync(path.join(config.home, 'logs', 'worker.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(config.projectRoot, 'workers', 'main.ts')], {
    cwd: config.projectRoot,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, MBO_HOME: config.home },
  });
  child.unref();
  writePid(config.home, 'worker', child.pid!);
  return { pid: child.pid!, started: true };
}

export async function bringUpStack(config: Config, step: Step, opts: { worker?: boolean } = {}): Promise<AppContext> {
  step(
    config.database.url ? 'Postgres: using DATABASE_URL' : `Postgres: embedded, data in ${path.join(config.home, 'pg')} (port ${config.database.embeddedPort})`,
  );
  const ctx = await createContext(config, { startDatabase: true });
  await migrate(ctx.databaseUrl);
  step('Postgres: migrations applied');

  if (config.temporal.devServer) {
    const { started } = await startTemporalDevServer(config);
    step(`Temporal: dev server ${started ? 'started' : 'already running'} at ${config.temporal.address}, UI ${config.temporal.uiUrl}`);
  } else {
    step(`Temporal: using ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  }
  const client = await ctx.temporal();
  const added = await registerSearchAttributes(client, config.temporal.namespace).catch((e: Error) => {
    step(
      `Temporal: could not register search attributes (${e.message.split('\n')[0]}); register Platform, AccountId, Kind, ChangeStatus, RequestedBy, Workspace as Keyword`,
    );
    return [];
  });
  if (added.length) step(`Temporal: registered search attributes ${added.join(', ')}`);

  const me = process.env.MBO_USER ?? userInfo().username;
  const { accounts } = await ensureSandbox(ctx, {
    workspace: config.workspace,
    members: [
      [me, 'admin'],
      ['maria.marketer', 'analyst'],
      ['alex.approver', 'approver'],
    ],
  });
  step(`Sandbox: ${accounts.length} ad accounts (${accounts.map((a) => a.platform).join(', ')}) in workspace "${config.workspace}"`);

  if (opts.worker !== false) {
    const worker = startWorkerProcess(config);
    step(`Worker: ${worker.started ? 'started' : 'already running'} (pid ${worker.pid}, log ${path.join(config.home, 'logs', 'worker.log')})`);
  }

  const scheduleId = await ensureSyncSchedule(ctx);
  step(`Schedule: ${scheduleId} syncs every ${config.sync.scheduleEvery}`);
  return ctx;
}

export async function bringDownStack(config: Config, step: Step): Promise<void> {
  const worker = readPid(config.home, 'worker');
  if (worker) {
    await stopPid(config.home, 'worker', worker);
    step('Worker: stopped');
  }
  if (await stopTemporalDevServer(config.home)) step('Temporal: dev server stopped');
  if (!config.database.url && (await stopEmbeddedPostgres(config.home))) step('Postgres: embedded database stopped');
}

export function stackProcesses(config: Config) {
  const worker = readPid(config.home, 'worker');
  const temporal = readPid(config.home, 'temporal');
  return { worker: worker && isRunning(worker) ? worker : null, temporal: temporal ?? null };
}
