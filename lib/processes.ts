// The detached processes `mbo up` starts (Temporal dev server, worker, API): pid files under MBO_HOME/run (0700,
// files 0600), private logs under MBO_HOME/logs, stopping them again, and whether a port is free before anything
// starts. Every child is spawned with an argument list, never through a shell, so any MBO_HOME path is safe.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { openPrivateLog, privateDir, writePrivateFile } from './private-files.js';

const pidFile = (home: string, name: string) => path.join(home, 'run', `${name}.pid`);

/** MBO_HOME/logs/<name>.log (the folder made private). */
export function logFile(home: string, name: string): string {
  return path.join(privateDir(path.join(home, 'logs')), `${name}.log`);
}

export function writePid(home: string, name: string, pid: number): void {
  privateDir(path.join(home, 'run'));
  writePrivateFile(pidFile(home, name), String(pid));
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of a process we started, if it is still alive. */
export function readPid(home: string, name: string): number | undefined {
  const f = pidFile(home, name);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && isRunning(pid) ? pid : undefined;
}

/** SIGTERM, wait up to `graceMs` for a clean exit, then SIGKILL. */
export async function stopPid(home: string, name: string, pid: number, graceMs = 20_000): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    rmSync(pidFile(home, name), { force: true });
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(home, name), { force: true });
  return true;
}

/** Stops the process of pid file `name` if it runs; true when there was one. */
export async function stopNamed(home: string, name: string): Promise<boolean> {
  const pid = readPid(home, name);
  return pid ? stopPid(home, name, pid) : false;
}

/**
 * Starts `command args` detached (its own session, so it outlives the CLI), stdout and stderr appended to the
 * private log MBO_HOME/logs/<name>.log, and records its pid. No shell is involved.
 */
export function startDetached(home: string, name: string, command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const log = openPrivateLog(logFile(home, name));
  try {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', log, log] });
    child.on('error', () => {}); // a missing binary shows as "not running" to whoever waits for it
    child.unref();
    if (!child.pid) throw new Error(`could not start ${command}`);
    writePid(home, name, child.pid);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/**
 * Whether a service could listen on host:port: null when it could, else why not — something already listens there
 * ('taken'), or the address is not one of this machine's ('unavailable').
 */
export function portProblem(host: string, port: number): Promise<'taken' | 'unavailable' | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? 'unavailable' : 'taken'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** The last `lines` lines of a log, for an error message. */
export function tailOf(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
