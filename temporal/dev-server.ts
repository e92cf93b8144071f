// The local Temporal: `temporal server start-dev` with a SQLite file under MBO_HOME (workflows survive restarts),
// Temporal UI, and the `mbo` namespace. Runs detached with a pid file so it outlives the CLI that started it.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../core/errors.js';
import type { Config } from '../lib/config.js';
import { connectClient } from './connection.js';
import { makePrivate, openPrivateLog, privateDir } from '../lib/private-files.js';
import { isRunning, readPid, stopPid, writePid } from '../lib/processes.js';

const run = promisify(execFile);

export async function ensureTemporalCli(config: Config): Promise<string> {
  const bin = config.temporal.binary;
  if (process.env.MBO_TEMPORAL_BIN) {
    if (!existsSync(bin)) throw new AppError('CONFIG_INVALID', `MBO_TEMPORAL_BIN=${bin} does not exist`);
    return bin;
  }
  try {
    await run('bash', [path.join(config.projectRoot, 'temporal', 'install.sh')], { maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    throw new AppError('CONFIG_INVALID', ((e as { stderr?: string }).stderr ?? String(e)).trim());
  }
  return bin;
}

async function reachable(config: Config): Promise<boolean> {
  try {
    const client = await connectClient(config.temporal, { timeoutMs: 1000 });
    await client.workflowService.describeNamespace({ namespace: config.temporal.namespace });
    await client.connection.close();
    return true;
  } catch {
    return false;
  }
}

export async function startTemporalDevServer(config: Config): Promise<{ started: boolean }> {
  if (await reachable(config)) return { started: false };
  const bin = await ensureTemporalCli(config);
  const [ip, port] = config.temporal.address.split(':') as [string, string];
  privateDir(config.home);
  const log = openPrivateLog(path.join(privateDir(path.join(config.home, 'logs')), 'temporal.log'));
  const dbFile = path.join(config.home, 'temporal.db');
  const privateDb = () => ['', '-wal', '-shm', '-journal'].forEach((suffix) => makePrivate(dbFile + suffix));
  privateDb();
  const child = spawn(
    bin,
    [
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
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  writePid(config.home, 'temporal', child.pid!);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!isRunning(child.pid!))
      throw new AppError('INTERNAL', `the Temporal dev server exited at start; see ${path.join(config.home, 'logs', 'temporal.log')}`);
    if (await reachable(config)) {
      privateDb(); // SQLite created it with the server's umask
      return { started: true };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new AppError('INTERNAL', 'the Temporal dev server did not answer within 60 s');
}

export async function stopTemporalDevServer(home: string): Promise<boolean> {
  const pid = readPid(home, 'temporal');
  return pid ? stopPid(home, 'temporal', pid) : false;
}
