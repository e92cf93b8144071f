// The first `npm run up` on a new machine (issue 10 §4), for real: an empty MBO_HOME (a path with a space, a quote
// and a `$`, which only an argument list survives), its own embedded Postgres and Temporal dev server on isolated
// ports, while every core is busy with a CPU-burning process. The Go build of the Temporal CLI is not repeated:
// MBO_TEMPORAL_BIN points at the binary built once (temporal/dev-server.test.ts covers the build's output).
// Then the failures a new user meets: a port taken by another program (named, nothing started), and a Temporal that
// will not start (the error names its log, and the Postgres this run started is stopped again).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../db/database.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import { isRunning, portProblem } from '../../lib/processes.js';
import { portBlock } from './ports.js';

const TEMPORAL_BIN = process.env.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
const homes: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

function isolated(name: string, base: number) {
  const home = path.join(PROJECT_ROOT, '.mbo', `test ${name} ${process.pid} 'q' $HOME`);
  rmSync(home, { recursive: true, force: true });
  homes.push(home);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'MBO_API_KEY', 'MBO_USER'].includes(k) && !k.startsWith('TEMPORAL_'))),
    MBO_HOME: home,
    MBO_PG_PORT: String(base),
    TEMPORAL_ADDRESS: `127.0.0.1:${base + 1}`,
    MBO_TEMPORAL_UI_PORT: String(base + 2),
    MBO_API_PORT: String(base + 3),
    MBO_MCP_PORT_BASE: String(base + 100), // the MCP servers on base+101…107: clear of the other isolated stacks
    MBO_WORKER_METRICS_PORT: String(base + 9),
    MBO_TEMPORAL_BIN: TEMPORAL_BIN,
    MBO_SANDBOX_HISTORY_DAYS: '14',
    MBO_USER: 'first.admin',
    LOG_LEVEL: 'warn',
  };
  const ports = [base, base + 1, base + 2, base + 3];
  const mbo = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args], { cwd: PROJECT_ROOT, env, maxBuffer: 16 << 20 }, (e, stdout, stderr) =>
        resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  return { home, env, ports, mbo };
}

/** Nothing of this home runs: no live pid file, no Postgres, every port free. */
async function nothingRunning(home: string, ports: number[]) {
  const run = path.join(home, 'run');
  const live = existsSync(run)
    ? readdirSync(run)
        .map((f) => Number(readFileSync(path.join(run, f), 'utf8')))
        .filter((pid) => pid > 0 && isRunning(pid))
    : [];
  expect(live).toEqual([]);
  expect(existsSync(path.join(home, 'pg', 'postmaster.pid'))).toBe(false);
  for (const port of ports) expect(await portProblem('127.0.0.1', port), `port ${port}`).toBeNull();
}

/**
 * With the machine's Postgres (DATABASE_URL, as in CI) the stack runs on a database of its own, as an operator would
 * set it up (roles made, migrated); without it, on the embedded one (slower on a busy machine: initdb, migrations).
 */
async function onMachinePostgres(env: NodeJS.ProcessEnv, name: string): Promise<boolean> {
  const machinePg = process.env.DATABASE_URL;
  if (!machinePg) return false;
  const db = await createScratchDatabase(machinePg, `mbo_${name}_${process.pid}`);
  cleanups.push(db.drop);
  Object.assign(env, { DATABASE_URL: db.appUrl, MBO_DATABASE_OWNER_URL: db.ownerUrl });
  return true;
}

/** One process spinning on each core, until stopped. */
function burnCpus(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => {});
  for (const home of homes) {
    const env = { ...process.env, MBO_HOME: home };
    await new Promise((r) => execFile(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), 'down'], { cwd: PROJECT_ROOT, env }, r));
    rmSync(home, { recursive: true, force: true });
  }
});

describe('first run on a new machine', () => {
  it('an empty MBO_HOME on a busy machine: up starts everything, the API answers as the local admin, the keys are 0600, down stops it all', async () => {
    const { home, env, ports, mbo } = isolated('first-run', await portBlock(110));
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755); // as root, the embedded Postgres runs as `postgres` and must reach its data dir
    const machinePg = await onMachinePostgres(env, 'first_run');
    const burners = burnCpus();
    let up: Awaited<ReturnType<typeof mbo>>;
    const t0 = Date.now();
    try {
      up = await mbo('up', '--no-sync');
    } finally {
      burners.forEach((b) => b.kill('SIGKILL'));
    }
    const seconds = Math.round((Date.now() - t0) / 1000);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    console.log(`first up on a busy machine (${burners.length} CPU burners): ${seconds} s`);
    expect(up.stdout).toMatch(machinePg ? /Postgres: using DATABASE_URL, migrations applied/ : /Postgres: embedded started/);
    expect(up.stdout).toContain(`Temporal: dev server started at 127.0.0.1:${ports[1]}, UI http://localhost:${ports[2]}`);
    expect(up.stdout).toMatch(
      /People: first\.admin \(admin\), maria\.marketer \(analyst\), alex\.approver \(approver\); API keys in .*keys\/ \(0600, 3 created\)/,
    );
    expect(up.stdout).toContain(`API: started at http://127.0.0.1:${ports[3]}`);
    expect(up.stdout).toContain(`docs http://127.0.0.1:${ports[3]}/api/v1/docs`);
    expect(up.stdout).toMatch(/MBO_API_KEY=\$\(cat '.*keys\/alex\.approver\.key'\) npx mbo approvals approve/);
    const password = /Web password for first\.admin: (\S+)/.exec(up.stdout)?.[1];
    expect(password).toBeTruthy();
    // Waits are said with their elapsed time when they last (a busy machine makes the first start slow).
    for (const line of up.stdout.split('\n').filter((l) => l.startsWith('… waiting'))) expect(line).toMatch(/… waiting for .+… \d+ s$/);

    for (const user of ['first.admin', 'maria.marketer', 'alex.approver']) expect(statSync(path.join(home, 'keys', `${user}.key`)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(home, 'secret.key')).mode & 0o777).toBe(0o600);

    const api = `http://127.0.0.1:${ports[3]}`;
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const key = readFileSync(path.join(home, 'keys', 'first.admin.key'), 'utf8').trim();
    const me = (await (await fetch(`${api}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).json()) as { userId: string; role: string };
    expect(me).toMatchObject({ userId: 'first.admin', role: 'admin' });
    const login = await fetch(`${api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'first.admin', password }),
    });
    expect(login.status).toBe(200);

    const down = await mbo('down');
    expect(down.stdout).toMatch(/API: stopped[\s\S]*Worker: stopped[\s\S]*Temporal: dev server stopped/);
    if (!machinePg) expect(down.stdout).toMatch(/Postgres: embedded database stopped/);
    await nothingRunning(home, ports);
    expect((await mbo('down')).stdout).toMatch(/MBO is not running/);
  }, 240_000);

  it('a port taken by another program: named, exit non-zero, nothing started', async () => {
    const { home, ports, mbo } = isolated('taken-port', await portBlock(110));
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(ports[3], '127.0.0.1', r)); // the API's port
    try {
      const up = await mbo('up');
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain(`port ${ports[3]} (the API; MBO_API_PORT) is taken by another program`);
      expect(up.stderr).toMatch(/nothing was started/);
      expect(up.stdout).not.toMatch(/✓/);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
    await nothingRunning(home, ports);
  });

  it('a Temporal that will not start: the error names its log, and the Postgres this run started is stopped again', async () => {
    const { home, env, ports, mbo } = isolated('temporal-fails', await portBlock(110));
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    const fake = path.join(home, 'broken temporal');
    writeFileSync(fake, '#!/bin/sh\necho "temporal: cannot open the database: disk full" >&2\nexit 3\n', { mode: 0o755 });
    env.MBO_TEMPORAL_BIN = fake;
    const up = await mbo('up');
    expect(up.code).not.toBe(0);
    expect(up.stdout).toMatch(/Postgres: embedded started/);
    expect(up.stderr).toMatch(/the Temporal dev server exited at start; see .*logs\/temporal\.log/);
    expect(up.stderr).toMatch(/disk full/);
    expect(up.stdout).toMatch(/stopped the embedded Postgres, which this run had started/);
    await nothingRunning(home, ports);
  });

  it('Ctrl-C midway: what this run started is stopped again, exit 130', async () => {
    const { home, env, ports } = isolated('interrupted', await portBlock(110));
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    await onMachinePostgres(env, 'interrupted');
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), 'up', '--no-sync'], { cwd: PROJECT_ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    while (!/Worker: started/.test(out) && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT'); // while the API starts
    expect(await exited, out).toBe(130);
    expect(out).toMatch(/stopped the worker, which this run had started/);
    expect(out).toMatch(/stopped the Temporal dev server, which this run had started/);
    expect(out).toMatch(/interrupted; what this run had started is stopped again/);
    await nothingRunning(home, ports);
  });
});
