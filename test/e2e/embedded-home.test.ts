// The embedded database in a home whose path has a space and a `$` in it (no path goes through a shell), and a
// data dir made by an earlier version — migrated as the superuser, so the superuser owns every table — upgraded in
// place by the first `up` after pulling: the owner role takes the tables over, the application role owns nothing,
// the earlier rows are still there, and MBO_HOME's secrets and data are private (files 0600, folders 0700).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, prepareDatabase } from '../../db/database.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { loadConfig, PROJECT_ROOT } from '../../lib/config.js';
import { portBlock } from './ports.js';

const run = promisify(execFile);
const home = path.join(PROJECT_ROOT, '.mbo', `test home $HOME ${process.pid}`);
const port = await portBlock(1); // below the ephemeral range: see ports.ts
const config = loadConfig({ MBO_HOME: home, MBO_PG_PORT: String(port), LOG_LEVEL: 'warn' });
const mode = (p: string) => statSync(p).mode & 0o777;

afterAll(async () => {
  await stopEmbeddedPostgres(home).catch(() => {});
  rmSync(home, { recursive: true, force: true });
});

/** What an earlier version did: every migration before the app-role one, run by the Prisma CLI as the superuser. */
async function migrateLikeAnEarlierVersion(superuserUrl: string): Promise<void> {
  const old = path.join(home, 'old-version');
  const migrations = path.join(old, 'migrations');
  mkdirSync(migrations, { recursive: true });
  const src = path.join(PROJECT_ROOT, 'prisma', 'migrations');
  for (const d of readdirSync(src).filter((d) => d < '20261201900000' && existsSync(path.join(src, d, 'migration.sql'))))
    cpSync(path.join(src, d), path.join(migrations, d), { recursive: true });
  writeFileSync(path.join(migrations, 'migration_lock.toml'), 'provider = "postgresql"\n');
  const configFile = path.join(old, 'prisma.config.ts');
  writeFileSync(
    configFile,
    `import base from ${JSON.stringify(path.join(PROJECT_ROOT, 'prisma.config.ts'))};\n` +
      `export default { ...base, schema: ${JSON.stringify(path.join(PROJECT_ROOT, 'prisma', 'schema.prisma'))}, migrations: { path: ${JSON.stringify(migrations)} } };\n`,
  );
  await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'prisma.sh'), 'migrate', 'deploy', '--config', configFile], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: superuserUrl, MBO_DATABASE_OWNER_URL: '' },
  });
  const c = new pg.Client({ connectionString: superuserUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string }>(`insert into workspace (id, slug, name) values (gen_random_uuid(), 'old', 'Old') returning id`);
    await c.query(
      `insert into audit_event (workspace_id, actor, action, entity_type, entity_id) values ($1::uuid, 'old', 'old.thing', 'workspace', $1::text)`,
      [rows[0]!.id],
    );
  } finally {
    await c.end();
  }
}

describe('embedded database', () => {
  it('starts in a home with a space in its path and upgrades an earlier data dir in place', { timeout: 150_000 }, async () => {
    const superuser = (await ensureEmbeddedPostgres(home, port)).url;
    await migrateLikeAnEarlierVersion(superuser);
    expect(() => databaseUrl(config)).toThrow(/npm run up/); // this version's roles are made by `up`

    const t0 = Date.now();
    const { appUrl, ownerUrl } = await prepareDatabase(config);
    console.log(`upgrade in place: ${Date.now() - t0} ms`);
    expect(Date.now() - t0).toBeLessThan(90_000);
    expect(new URL(appUrl).username).toBe('mbo_app');
    expect(new URL(ownerUrl).username).toBe('mbo_owner');
    expect(databaseUrl(config)).toBe(appUrl);

    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    try {
      const { rows } = await app.query<{ owners: string; mine: string }>(
        `select string_agg(distinct pg_get_userbyid(c.relowner), ',') as owners,
                (select count(*) from pg_class where relowner = (select oid from pg_roles where rolname = current_user)) as mine
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname in ('public', 'sandbox') and c.relkind in ('r', 'S', 'v', 'm')`,
      );
      expect(rows[0]).toEqual({ owners: 'mbo_owner', mine: '0' });
      expect((await app.query(`select count(*)::int as n from audit_event where actor = 'old'`)).rows[0]).toEqual({ n: 1 });
      await expect(app.query('delete from audit_event')).rejects.toThrow(/permission denied/);
      await expect(app.query('set session_replication_role = replica')).rejects.toThrow(/permission denied/);
      await app.query(`insert into workspace (id, slug, name) values (gen_random_uuid(), 'new', 'New')`);
    } finally {
      await app.end();
    }

    // Again (every `up` does it): nothing to change, nothing breaks.
    expect((await prepareDatabase(config)).appUrl).toBe(appUrl);

    // Secrets and data are private; the password file given to initdb is gone.
    expect(mode(path.join(home, 'db-roles.json'))).toBe(0o600);
    expect(mode(path.join(home, 'pg-password'))).toBe(0o600);
    expect(mode(path.join(home, 'logs', 'postgres.log'))).toBe(0o600);
    expect(mode(path.join(home, 'pg'))).toBe(0o700);
    expect(mode(path.join(home, 'logs'))).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
    expect(mode(home)).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
    expect(readdirSync(home).filter((f) => f.startsWith('.pwfile'))).toEqual([]);
  });
});
