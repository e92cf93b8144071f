// Applies Prisma migrations (prisma/migrations) with the offline JS schema engine, as the database's OWNER role.
// Idempotent, and quick when there is nothing to do: the applied migrations are read first, so the Prisma CLI is
// started only when one is pending (the application role may read `_prisma_migrations`, so `migrate(appUrl)` on a
// current schema is a no-op rather than an error).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { PROJECT_ROOT } from '../lib/config.js';

const run = promisify(execFile);
const MIGRATIONS = path.join(PROJECT_ROOT, 'prisma', 'migrations');

/** Migration folders not yet applied (or failed) in the database of `url`. */
export async function pendingMigrations(url: string): Promise<string[]> {
  const all = readdirSync(MIGRATIONS)
    .filter((d) => existsSync(path.join(MIGRATIONS, d, 'migration.sql')))
    .sort();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select migration_name as name from _prisma_migrations where finished_at is not null and rolled_back_at is null`,
    );
    const done = new Set(rows.map((r) => r.name));
    return all.filter((d) => !done.has(d));
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return all; // no _prisma_migrations yet: a new database
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `url` with the setting `mbo.app_role` for its sessions (the app-role migration grants to that role). */
export function withAppRole(url: string, appRole: string): string {
  const u = new URL(url);
  const escaped = appRole.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
  u.searchParams.set('options', `${u.searchParams.get('options') ?? ''} -c mbo.app_role=${escaped}`.trim());
  return u.toString();
}

/**
 * Brings the schema of `url`'s database up to date. `url` should be the owner role's; `appRole` names the
 * application role the migrations grant to (default: the setting stored on the database, else `mbo_app`).
 */
export async function migrate(url: string, opts: { appRole?: string } = {}): Promise<void> {
  const pending = await pendingMigrations(url).catch(() => ['?']);
  if (!pending.length) return;
  const ownerUrl = opts.appRole ? withAppRole(url, opts.appRole) : url;
  try {
    await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'prisma.sh'), 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: ownerUrl, MBO_DATABASE_OWNER_URL: ownerUrl },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    const denied = /permission denied|must be owner/i.test(out)
      ? '\n(the role in this URL may not change the schema: migrations run as the owner role — see README, "Database roles")'
      : '';
    throw new AppError(
      'INTERNAL',
      `database migration failed:\n${
        out
          .split('\n')
          .filter((l) => /error|Error|failed/.test(l))
          .slice(0, 10)
          .join('\n') || out.slice(-2000)
      }${denied}`,
    );
  }
}
