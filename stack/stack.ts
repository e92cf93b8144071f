// Brings the whole product up on its embedded defaults (or on configured services) and down again: the secret key
// file, Postgres (+ migrations), Temporal dev server + UI, search attributes, sandbox data, the local people and
// their API keys, the worker, the API and the hourly sync schedule. Every step is idempotent, so `mbo up` on a
// running stack checks it and starts nothing twice. Before starting anything it checks that the ports it needs are
// free; when a step fails, it stops what this run started and the error says which log to read.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { stopEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { Config } from '../lib/config.js';
import { isRunning, logFile, portProblem, readPid, startDetached, stopNamed, tailOf } from '../lib/processes.js';
import { loadKeyring, localKeyFile } from '../lib/secrets.js';
import type { ServiceContext } from '../services/actor.js';
import { authenticateApiKey } from '../services/auth/authenticate.js';
import { createContext, type AppContext } from '../services/context.js';
import { startTemporalDevServer, stopTemporalDevServer, temporalAnswers } from '../temporal/dev-server.js';
import { registerSearchAttributes } from '../temporal/search-attributes.js';
import { MCP_SERVERS } from '../mcp-servers/registry.js';
import { ensureSandbox } from './ensure-sandbox.js';
import { ensureSyncSchedule } from './ensure-sync-schedule.js';
import { ensureLocalIdentity, keyFile, type LocalPerson } from './local-identity.js';
import { shown, whileWaiting, type Reporter } from './progress.js';

export type { Reporter } from './progress.js';

/** The processes `mbo up` may start, in start order. */
export type StackProcess = 'postgres' | 'temporal' | 'worker' | 'api' | 'mcp';

const LABEL: Record<StackProcess, string> = {
  postgres: 'the embedded Postgres',
  temporal: 'the Temporal dev server',
  worker: 'the worker',
  api: 'the API',
  mcp: 'the MCP servers',
};

/** The API's first answer can take a while on a busy machine (tsx compiles on start). */
const API_START_TIMEOUT_MS = 120_000;

export const DEMO_COLLEAGUES: [string, 'analyst' | 'approver'][] = [
  ['maria.marketer', 'analyst'],
  ['alex.approver', 'approver'],
];

export interface UpOptions {
  worker?: boolean;
  api?: boolean;
  /** Start the MCP servers' process (mcp-servers/main.ts; default true). */
  mcp?: boolean;
  /** Filled with what this run starts, each before it is waited for (so a caller interrupted midway can stop it: `stopStarted`). */
  started?: StackProcess[];
}

export interface UpResult {
  ctx: AppContext;
  /** The local admin, acting through its key file (first sync, status). */
  admin: ServiceContext;
  people: LocalPerson[];
  api?: { url: string; docs: string };
  /** Each MCP server's Streamable HTTP endpoint, by name. */
  mcp?: Record<string, string>;
  started: StackProcess[];
}

/** The handle of the local admin: MBO_USER, else the OS user. */
export function localAdmin(config: Config): string {
  return config.localUser ?? userInfo().username;
}

/** Where the API answers on this machine (MBO_API_URL may be a public address in front of it). */
export function localApiUrl(config: Config): string {
  const h = config.api.host;
  const host = h === '0.0.0.0' ? '127.0.0.1' : h === '::' ? '[::1]' : h.includes(':') ? `[${h}]` : h;
  return `http://${host}:${config.api.port}`;
}

/** Our embedded cluster runs (its postmaster.pid names a live process). */
function embeddedPostgresRunning(home: string): boolean {
  const file = path.join(home, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isRunning(pid);
}

/** Before anything starts: every port a process of this run would listen on is free, else one error naming them all. */
async function checkPorts(config: Config, opts: UpOptions): Promise<void> {
  const wanted: { host: string; port: number; what: string }[] = [];
  if (!config.database.url && !embeddedPostgresRunning(config.home))
    wanted.push({ host: '127.0.0.1', port: config.database.embeddedPort, what: 'the embedded Postgres; MBO_PG_PORT' });
  if (config.temporal.devServer && !readPid(config.home, 'temporal') && !(await temporalAnswers(config))) {
    const [host, port] = config.temporal.address.split(':') as [string, string];
    const ip = host === 'localhost' ? '127.0.0.1' : host;
    wanted.push({ host: ip, port: Number(port), what: 'Temporal; TEMPORAL_ADDRESS' });
    wanted.push({ host: ip, port: config.temporal.devUiPort, what: 'Temporal UI; MBO_TEMPORAL_UI_PORT' });
  }
  if (opts.api !== false && !readPid(config.home, 'api')) wanted.push({ host: config.api.host, port: config.api.port, what: 'the API; MBO_API_PORT' });
  if (opts.mcp !== false && !readPid(config.home, 'mcp'))
    for (const s of MCP_SERVERS) wanted.push({ host: config.mcp.host, port: config.mcp.portBase + s.portOffset, what: `${s.name}; MBO_MCP_PORT_BASE` });
  const refused = [];
  for (const w of wanted) {
    const problem = await portProblem(w.host, w.port);
    if (problem) refused.push({ ...w, problem });
  }
  if (!refused.length) return;
  const lines = refused.map((t) =>
    t.problem === 'taken' ? `port ${t.port} (${t.what}) is taken by another program` : `${t.host}:${t.port} (${t.what}) is not an address of this machine`,
  );
  throw new AppError('CONFIG_INVALID', `${lines.join('; ')}: stop that program or change the setting named; nothing was started`, {
    ports: refused.map((t) => t.port),
  });
}

/**
 * The environment of a process `up` starts: never the owner's or a superuser's database URL — a worker or API
 * process gets the application role's URL only (what `ensureDatabase` returned), so not even its environment
 * holds a credential that could erase the record.
 */
function childEnv(config: Config, appDatabaseUrl?: string): NodeJS.ProcessEnv {
  const { MBO_DATABASE_OWNER_URL: _owner, MBO_DATABASE_ADMIN_URL: _admin, ...env } = process.env;
  return { ...env, MBO_HOME: config.home, ...(config.database.url && appDatabaseUrl ? { DATABASE_URL: appDatabaseUrl } : {}) };
}

function startNodeProcess(config: Config, name: 'worker' | 'api' | 'mcp', entry: string, appDatabaseUrl?: string): number {
  return startDetached(config.home, name, process.execPath, ['--import', 'tsx', path.join(config.projectRoot, entry)], {
    cwd: config.projectRoot,
    env: childEnv(config, appDatabaseUrl),
  });
}

export function startWorkerProcess(config: Config, appDatabaseUrl?: string): { pid: number; started: boolean } {
  const existing = readPid(config.home, 'worker');
  if (existing) return { pid: existing, started: false };
  return { pid: startNodeProcess(config, 'worker', 'workers/main.ts', appDatabaseUrl), started: true };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The API process (api/main.ts): started detached unless it runs, then waited for until /healthz answers. */
export async function startApiProcess(config: Config, note: Reporter['note'], appDatabaseUrl?: string): Promise<{ pid: number; started: boolean }> {
  const url = localApiUrl(config);
  const existing = readPid(config.home, 'api');
  const pid = existing ?? startNodeProcess(config, 'api', 'api/main.ts', appDatabaseUrl);
  const log = logFile(config.home, 'api');
  const began = Date.now();
  let nextNote = began + 10_000;
  while (!(await healthy(url))) {
    if (!isRunning(pid)) throw new AppError('INTERNAL', `the API exited at start; see ${log}:\n${tailOf(log)}`);
    if (Date.now() - began > API_START_TIMEOUT_MS)
      throw new AppError('INTERNAL', `the API did not answer at ${url}/healthz within ${API_START_TIMEOUT_MS / 1000} s; see ${log}`);
    if (Date.now() >= nextNote) {
      note(`waiting for the API to answer at ${url}/healthz… ${Math.round((Date.now() - began) / 1000)} s`);
      nextNote += 10_000;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { pid, started: !existing };
}

/** Where each MCP server answers on this machine (its Streamable HTTP endpoint). */
export function localMcpUrls(config: Config): Record<string, string> {
  const h = config.mcp.host;
  const host = h === '0.0.0.0' ? '127.0.0.1' : h === '::' ? '[::1]' : h.includes(':') ? `[${h}]` : h;
  return Object.fromEntries(MCP_SERVERS.map((s) => [s.name, `http://${host}:${config.mcp.portBase + s.portOffset}/mcp`]));
}

/** The MCP servers' process (mcp-servers/main.ts): started detached unless it runs, then waited for until every server's /healthz answers. */
export async function startMcpProcess(config: Config, note: Reporter['note'], appDatabaseUrl?: string): Promise<{ pid: number; started: boolean }> {
  const existing = readPid(config.home, 'mcp');
  const pid = existing ?? startNodeProcess(config, 'mcp', 'mcp-servers/main.ts', appDatabaseUrl);
  const log = logFile(config.home, 'mcp');
  const bases = Object.values(localMcpUrls(config)).map((u) => u.replace(/\/mcp$/, ''));
  const began = Date.now();
  let nextNote = began + 10_000;
  while (!(await Promise.all(bases.map(healthy))).every(Boolean)) {
    if (!isRunning(pid)) throw new AppError('INTERNAL', `the MCP servers exited at start; see ${log}:\n${tailOf(log)}`);
    if (Date.now() - began > API_START_TIMEOUT_MS)
      throw new AppError('INTERNAL', `the MCP servers did not answer within ${API_START_TIMEOUT_MS / 1000} s; see ${log}`);
    if (Date.now() >= nextNote) {
      note(`waiting for the MCP servers to answer… ${Math.round((Date.now() - began) / 1000)} s`);
      nextNote += 10_000;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { pid, started: !existing };
}

const stopping = new WeakMap<StackProcess[], Promise<void>>();

/**
 * Stops what a run of `up` started, newest first (after a failure or an interruption). A second call while the
 * first is under way (Ctrl-C during a failing start) joins it instead of stopping everything twice.
 */
export function stopStarted(config: Config, started: StackProcess[], note: Reporter['note']): Promise<void> {
  const inFlight = stopping.get(started);
  if (inFlight) return inFlight;
  const run = (async () => {
    for (const p of [...started].reverse()) {
      const stopped = p === 'postgres' ? await stopEmbeddedPostgres(config.home) : await stopNamed(config.home, p);
      if (stopped) note(`stopped ${LABEL[p]}, which this run had started`);
    }
    started.length = 0;
  })().finally(() => stopping.delete(started));
  stopping.set(started, run);
  return run;
}

export async function bringUpStack(config: Config, r: Reporter, opts: UpOptions = {}): Promise<UpResult> {
  await checkPorts(config, opts);
  const started = opts.started ?? [];
  let ctx: AppContext | undefined;
  try {
    const secretFile = localKeyFile(config.home);
    const hadSecret = existsSync(secretFile);
    loadKeyring(config, { create: true });
    r.step(config.secretKey ? 'Secrets: sealed with MBO_SECRET_KEY' : `Secrets: key file ${shown(secretFile)} (0600${hadSecret ? '' : ', created'})`);

    const pgWasUp = !!config.database.url || embeddedPostgresRunning(config.home);
    const pgFirst = !config.database.url && !existsSync(path.join(config.home, 'pg', 'PG_VERSION'));
    if (!config.database.url && !pgWasUp) started.push('postgres'); // stopped again if anything below fails
    ctx = await whileWaiting(
      r.note,
      config.database.url
        ? 'the database (DATABASE_URL) and its migrations'
        : `the embedded Postgres${pgFirst ? ' (first start: creating the cluster)' : ''} and its migrations`,
      () => createContext(config, { startDatabase: true }),
    );
    r.step(
      config.database.url
        ? 'Postgres: using DATABASE_URL, migrations applied'
        : `Postgres: embedded ${pgWasUp ? 'already running' : 'started'}, data in ${shown(path.join(config.home, 'pg'))} (port ${config.database.embeddedPort}), migrations applied`,
    );

    if (config.temporal.devServer) {
      // Counted as started before the wait: an interruption or a failure while it starts stops it (only a process
      // of our own pid file is ever stopped, so a Temporal that was already there is left alone).
      if (!readPid(config.home, 'temporal')) started.push('temporal');
      const t = await startTemporalDevServer(config, r.note);
      r.step(`Temporal: dev server ${t.started ? 'started' : 'already running'} at ${config.temporal.address}, UI ${config.temporal.uiUrl}`);
    } else {
      r.step(`Temporal: using ${config.temporal.address} (namespace ${config.temporal.namespace})`);
    }
    const client = await ctx.temporal();
    const added = await registerSearchAttributes(client, config.temporal.namespace).catch((e: Error) => {
      r.step(
        `Temporal: could not register search attributes (${e.message.split('\n')[0]}); register Platform, AccountId, Kind, ChangeStatus, RequestedBy, Workspace as Keyword`,
      );
      return [];
    });
    if (added.length) r.step(`Temporal: registered search attributes ${added.join(', ')}`);

    const app = ctx;
    const { workspace, accounts } = await whileWaiting(r.note, 'the sandbox data', () => ensureSandbox(app, { workspace: config.workspace }));
    r.step(`Sandbox: ${accounts.length} ad accounts (${accounts.map((a) => a.platform).join(', ')}) in workspace "${config.workspace}"`);

    const me = localAdmin(config);
    const people = await ensureLocalIdentity(ctx.prisma, {
      home: config.home,
      workspace: { id: workspace.id, slug: workspace.slug },
      people: [[me, 'admin'], ...DEMO_COLLEAGUES],
      passwordFor: me,
    });
    const newKeys = people.filter((p) => p.keyCreated).length;
    r.step(
      `People: ${people.map((p) => `${p.userId} (${p.role})`).join(', ')}; API keys in ${shown(path.dirname(keyFile(config.home, me)))}/ (0600${
        newKeys ? `, ${newKeys} created` : ''
      })`,
    );
    const actor = await authenticateApiKey(ctx, readFileSync(keyFile(config.home, me), 'utf8').trim(), 'cli');
    const admin: ServiceContext = { app: ctx, actor };

    if (opts.worker !== false) {
      const worker = startWorkerProcess(config, ctx.databaseUrl);
      if (worker.started) started.push('worker');
      r.step(`Worker: ${worker.started ? 'started' : 'already running'} (pid ${worker.pid}, log ${shown(logFile(config.home, 'worker'))})`);
    }

    let api: UpResult['api'];
    if (opts.api !== false) {
      if (!readPid(config.home, 'api')) started.push('api'); // as for Temporal: stopped if its start fails midway
      const a = await startApiProcess(config, r.note, ctx.databaseUrl);
      api = { url: localApiUrl(config), docs: `${localApiUrl(config)}/api/v1/docs` };
      r.step(
        `API: ${a.started ? 'started' : 'already running'} at ${api.url} (web app: ${api.url}/ — pid ${a.pid}, log ${shown(logFile(config.home, 'api'))})`,
      );
    }

    let mcp: UpResult['mcp'];
    if (opts.mcp !== false) {
      if (!readPid(config.home, 'mcp')) started.push('mcp'); // as for the API: stopped if its start fails midway
      const m = await startMcpProcess(config, r.note, ctx.databaseUrl);
      mcp = localMcpUrls(config);
      r.step(
        `MCP servers: ${m.started ? 'started' : 'already running'} on ports ${config.mcp.portBase + 1}–${config.mcp.portBase + 7} (pid ${m.pid}, log ${shown(logFile(config.home, 'mcp'))})`,
      );
    }

    const scheduleId = await ensureSyncSchedule(ctx);
    r.step(`Schedule: ${scheduleId} syncs every ${config.sync.scheduleEvery}`);
    return { ctx, admin, people, api, mcp, started: [...started] };
  } catch (e) {
    await ctx?.close();
    await stopStarted(config, started, r.note);
    const err = e instanceof AppError ? e : new AppError('INTERNAL', (e as Error)?.message ?? String(e));
    if (err.message.includes(path.join(config.home, 'logs'))) throw err;
    throw new AppError(err.code, `${err.message}\n(logs in ${path.join(config.home, 'logs')})`, err.details);
  }
}

/** Stops the API, the worker, the Temporal dev server and the embedded Postgres; false when none was running. */
export async function bringDownStack(config: Config, step: Reporter['step']): Promise<boolean> {
  let any = false;
  if (await stopNamed(config.home, 'mcp')) {
    step('MCP servers: stopped');
    any = true;
  }
  if (await stopNamed(config.home, 'api')) {
    step('API: stopped');
    any = true;
  }
  if (await stopNamed(config.home, 'worker')) {
    step('Worker: stopped');
    any = true;
  }
  if (await stopTemporalDevServer(config.home)) {
    step('Temporal: dev server stopped');
    any = true;
  }
  if (!config.database.url && embeddedPostgresRunning(config.home) && (await stopEmbeddedPostgres(config.home))) {
    step('Postgres: embedded database stopped');
    any = true;
  }
  return any;
}
