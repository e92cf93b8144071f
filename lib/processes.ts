// Pid files for the detached processes `mbo up` starts (Temporal dev server, worker) under MBO_HOME/run (0700,
// files 0600).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { privateDir, writePrivateFile } from './private-files.js';

const pidFile = (home: string, name: string) => path.join(home, 'run', `${name}.pid`);

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
