// The local Temporal: `temporal server start-dev` with a SQLite file under MBO_HOME (workflows survive restarts),
// Temporal UI, and the `mbo` namespace. Runs detached with a pid file so it outlives the CLI that started it.
// The first run on a new machine builds the pinned CLI with Go (minutes): its messages and a periodic "still
// building" line reach the terminal, and the whole build output is kept in MBO_HOME/logs/temporal-install.log.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../core/errors.js';
import type { Config } from '../lib/config.js';
import { connectClient } from './connection.js';
import { makePrivate, privateDir } from '../lib/private-files.js';
import { isRunning, logFile, readPid, startDetached, stopPid, tailOf } from '../lib/processes.js';

/** Says what is happening while something slow runs (one line each). */
export type Note = (message: string) => void;

/** A first start on a slow, busy machine (SQLite schema, namespace, UI) can take minutes; later starts take seconds. */
export const DEV_SERVER_START_TIMEOUT_MS = 5 * 60_000;
const NOTE_EVERY_MS = 10_000;

/** The Temporal CLI binary: MBO_TEMPORAL_BIN, or the pinned version in .tools/bin, built by temporal/install.sh when missing. */
export async function ensureTemporalCli(config: Config, note: Note = () => {}, opts: { tickMs?: number } = {}): Promise<string> {
  const bin = config.temporal.binary;
  if (bin !== path.join(config.projectRoot, '.tools', 'bin', 'temporal')) {
    // MBO_TEMPORAL_BIN: a binary someone else provides
    if (!existsSync(bin)) throw new AppError('CONFIG_INVALID', `MBO_TEMPORAL_BIN=${bin} does not exist`);
    return bin;
  }
  const log = logFile(privateDir(config.home), 'temporal-install');
  writeFileSync(log, '', { mode: 0o600 });
  const started = Date.now();
  let downloaded = 0;
  let compiled = 0;
  let building = false;
  const child = spawn('bash', [path.join(config.projectRoot, 'temporal', 'install.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      writeFileSync(log, line + '\n', { flag: 'a' });
      if (line.startsWith('go: downloading')) downloaded++;
      else if (/^[\w.-]+(\/[\w.~+-]+)+$|^[a-z0-9]+$/.test(line))
        compiled++; // `go install -v` names each package it builds
      else {
        building ||= line.startsWith('mbo: building');
        if (/ is installed at /.test(line)) building = false; // done: no "still building" after it
        messages.push(line.replace(/^mbo: /, ''));
        note(line.replace(/^mbo: /, ''));
      }
    });
  }
  const ticker = setInterval(() => {
    if (!building) return;
    const s = Math.round((Date.now() - started) / 1000);
    note(`still building the Temporal CLI… ${s} s (${downloaded} modules downloaded, ${compiled} packages compiled)`);
  }, opts.tickMs ?? 15_000);
  const code = await new Promise<number>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c ?? -1));
  }).finally(() => clearInterval(ticker));
  if (code !== 0) {
    throw new AppError('CONFIG_INVALID', `${['the Temporal CLI could not be installed:', ...messages.slice(-8)].join('\n')}\n(the whole output is in ${log})`);
  }
  return bin;
}

async function reachable(config: Config): Promise<boolean> {
  try {
    const client = await connectClient(config.temporal, { timeoutMs: 3000 }); // the first connection of a busy process is slow
    try {
      await client.workflowService.describeNamespace({ namespace: config.temporal.namespace });
    } finally {
      await client.connection.close();
    }
    return true;
  } catch {
    return false;
  }
}

/** The dev server's SQLite files are private (0600) whatever the umask. */
function privateDb(home: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) makePrivate(path.join(home, 'temporal.db') + suffix);
}

/** Whether the dev server (or any Temporal with our namespace) already answers at the configured address. */
export const temporalAnswers = reachable;

export async function startTemporalDevServer(config: Config, note: Note = () => {}): Promise<{ started: boolean; pid?: number }> {
  const running = readPid(config.home, 'temporal');
  if (running) {
    await waitForAnswer(config, running, note);
    return { started: false, pid: running };
  }
  if (await reachable(config)) return { started: false };
  const bin = await ensureTemporalCli(config, note);
  const [ip, port] = config.temporal.address.split(':') as [string, string];
  privateDir(config.home);
  const dbFile = path.join(config.home, 'temporal.db');
  privateDb(config.home);
  const first = !existsSync(dbFile);
  const pid = startDetached(config.home, 'temporal', bin, [
    'server',
    'start-dev',
    '--db-filename',
    dbFile,
    '--namespace',
    config.temporal.namespace,
    '--ip',
    ip === 'localhost' ? '127.0.0.1' : ip,
    '--port',
    port,
    '--ui-port',
    String(config.temporal.devUiPort),
    '--log-level',
    'warn',
  ]);
  await waitForAnswer(config, pid, note, first);
  return { started: true, pid };
}

/** Waits until the dev server `pid` answers (saying so every 10 s), or fails when it exits or takes too long. */
async function waitForAnswer(config: Config, pid: number, note: Note, first = false): Promise<void> {
  const log = logFile(config.home, 'temporal');
  const started = Date.now();
  let nextNote = started + NOTE_EVERY_MS;
  const what = `the Temporal dev server to answer at ${config.temporal.address} (namespace "${config.temporal.namespace}"${first ? ', first start' : ''})`;
  while (Date.now() - started < DEV_SERVER_START_TIMEOUT_MS) {
    if (!isRunning(pid)) throw new AppError('INTERNAL', `the Temporal dev server exited at start; see ${log}:\n${tailOf(log)}`);
    if (await reachable(config)) {
      privateDb(config.home); // SQLite created its files with the server's umask
      return;
    }
    if (Date.now() >= nextNote) {
      note(`waiting for ${what}… ${Math.round((Date.now() - started) / 1000)} s`);
      nextNote += NOTE_EVERY_MS;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new AppError(
    'INTERNAL',
    `the Temporal dev server did not answer at ${config.temporal.address} within ${DEV_SERVER_START_TIMEOUT_MS / 1000} s; see ${log}`,
  );
}

export async function stopTemporalDevServer(home: string): Promise<boolean> {
  const pid = readPid(home, 'temporal');
  return pid ? stopPid(home, 'temporal', pid) : false;
}
