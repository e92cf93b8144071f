// The two database roles MBO runs with, so that the application cannot erase its own record (issue 11, finding 7):
//   - the OWNER role owns MBO's schema objects and runs the migrations;
//   - the APPLICATION role logs in, owns nothing and is a member of nothing: it may read and write rows but never
//     TRUNCATE, never UPDATE or DELETE `audit_event`, never disable a trigger, never set session_replication_role.
// Which rows it may touch is decided by the migration `20261201900000_app_role` (run as the owner, which names the
// application role through the `mbo.app_role` setting). This module does what only a superuser can: create the
// roles, let the owner create objects in the database, and hand objects made by an earlier version (owned by the
// superuser it connected as) over to the owner, so an existing database is upgraded in place.
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface RoleNames {
  owner: string;
  app: string;
}

export interface Login {
  user: string;
  password: string;
}

export interface RoleLogins {
  owner: Login;
  app: Login;
}

/** The schemas MBO's migrations create objects in. */
export const MBO_SCHEMAS = ['public', 'sandbox'] as const;

/**
 * Role names for one database. Roles are cluster-wide, so each database gets its own pair (parallel test
 * databases on one server never share a password); the database `mbo` gets the plain `mbo_owner` / `mbo_app`.
 */
export function roleNamesFor(database: string): RoleNames {
  if (database === 'mbo') return { owner: 'mbo_owner', app: 'mbo_app' };
  const slug = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const scoped = (kind: string) => {
    const name = `mbo_${kind}_${slug}`;
    return name.length <= 63 ? name : `mbo_${kind}_${createHash('sha256').update(database).digest('hex').slice(0, 24)}`;
  };
  return { owner: scoped('owner'), app: scoped('app') };
}

/** `url` with another login (user and password), same server and database. */
export function urlAs(url: string, login: Login): string {
  const u = new URL(url);
  u.username = encodeURIComponent(login.user);
  u.password = encodeURIComponent(login.password);
  return u.toString();
}

/** `url` pointing at another database on the same server, same login. */
export function urlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** What the login of `url` may do that matters here: superuser, and whether it owns MBO's tables. */
export async function inspectLogin(url: string): Promise<{ superuser: boolean; ownsTables: boolean }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ superuser: boolean; owns: boolean }>(
      `select r.rolsuper or r.rolbypassrls as superuser,
              exists (select 1 from pg_class t join pg_namespace n on n.oid = t.relnamespace
                       where t.relowner = r.oid and n.nspname = any($1) and t.relkind in ('r', 'p')) as owns
         from pg_roles r where r.rolname = current_user`,
      [MBO_SCHEMAS],
    );
    return { superuser: rows[0]!.superuser, ownsTables: rows[0]!.owns };
  });
}

/**
 * Makes `logins` exist as plain roles with these passwords and prepares `adminUrl`'s database for them: the owner
 * may create schemas and owns every object an earlier version left to another role; the application role may
 * connect. Idempotent; `adminUrl` must be a superuser connected to the target database.
 */
export async function ensureRoles(adminUrl: string, logins: RoleLogins): Promise<void> {
  const database = databaseOf(adminUrl);
  await withClient(adminUrl, async (c) => {
    const id = (s: string) => c.escapeIdentifier(s);
    for (const login of [logins.owner, logins.app]) {
      const { rowCount } = await c.query('select 1 from pg_roles where rolname = $1', [login.user]);
      // Passwords cannot be bind parameters in CREATE/ALTER ROLE; escapeLiteral quotes them.
      await c.query(
        `${rowCount ? 'alter' : 'create'} role ${id(login.user)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls inherit password ${c.escapeLiteral(login.password)}`,
      );
      // A member of nothing: no role it could SET ROLE to or inherit privileges from.
      const { rows } = await c.query<{ role: string }>(
        `select g.rolname as role from pg_auth_members m join pg_roles g on g.oid = m.roleid
          join pg_roles u on u.oid = m.member where u.rolname = $1`,
        [login.user],
      );
      for (const { role } of rows) await c.query(`revoke ${id(role)} from ${id(login.user)}`);
    }
    const owner = id(logins.owner.user);
    const app = id(logins.app.user);
    await c.query(`grant connect, create, temporary on database ${id(database)} to ${owner}`);
    await c.query(`revoke create on database ${id(database)} from ${app}`);
    await c.query(`grant connect, temporary on database ${id(database)} to ${app}`);
    await c.query(`alter database ${id(database)} set mbo.app_role = ${c.escapeLiteral(logins.app.user)}`);
    // Postgres < 15 lets PUBLIC create objects in `public`: the application must own nothing, so not there either.
    await c.query(`revoke create on schema public from public`);
    await c.query(`grant usage, create on schema public to ${owner}`);
    await reassignToOwner(c, logins.owner.user);
  });
}

/**
 * Upgrade in place: every object in MBO's schemas that belongs to another role (an earlier version migrated as the
 * superuser) is handed to the owner. Objects that belong to an extension (TimescaleDB) stay as they are.
 */
async function reassignToOwner(c: pg.Client, owner: string): Promise<void> {
  const { rows } = await c.query<{ stmt: string }>(
    `with mine as (select oid, nspname from pg_namespace where nspname = any($1)),
          ext as (select objid, classid from pg_depend where deptype = 'e')
     select format('alter schema %I owner to %I', n.nspname, $2::text) as stmt
       from pg_namespace n join pg_roles r on r.oid = n.nspowner
      where n.nspname = 'sandbox' and r.rolname <> $2
     union all
     select format('alter %s %I.%I owner to %I',
                   case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
                                  when 'f' then 'foreign table' else 'table' end,
                   m.nspname, c.relname, $2::text)
       from pg_class c join mine m on m.oid = c.relnamespace join pg_roles r on r.oid = c.relowner
      where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and r.rolname <> $2
        and not exists (select 1 from ext where ext.objid = c.oid and ext.classid = 'pg_class'::regclass)
        -- a sequence owned by a column moves with its table
        and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.classid = 'pg_class'::regclass
                                              and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')))
     union all
     select format('alter %s %s owner to %I', case p.prokind when 'p' then 'procedure' else 'function' end,
                   p.oid::regprocedure, $2::text)
       from pg_proc p join mine m on m.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
      where r.rolname <> $2 and p.prokind in ('f', 'p')
        and not exists (select 1 from ext where ext.objid = p.oid and ext.classid = 'pg_proc'::regclass)
     union all
     select format('alter type %I.%I owner to %I', m.nspname, t.typname, $2::text)
       from pg_type t join mine m on m.oid = t.typnamespace join pg_roles r on r.oid = t.typowner
      where r.rolname <> $2 and t.typtype in ('e', 'd') and t.typrelid = 0
        and not exists (select 1 from ext where ext.objid = t.oid and ext.classid = 'pg_type'::regclass)`,
    [MBO_SCHEMAS, owner],
  );
  if (!rows.length) return;
  await c.query('begin');
  try {
    for (const { stmt } of rows) {
      await c.query('savepoint one');
      try {
        await c.query(stmt);
      } catch (e) {
        // A TimescaleDB continuous aggregate is a view that only `alter materialized view` may hand over.
        if (!stmt.startsWith('alter view ')) throw e;
        await c.query('rollback to savepoint one');
        await c.query(stmt.replace('alter view ', 'alter materialized view '));
      }
    }
    await c.query('commit');
  } catch (e) {
    await c.query('rollback').catch(() => {});
    throw e;
  }
}

/** Drops the roles of a database that is already dropped (scratch databases of tests and benchmarks). */
export async function dropRoles(serverAdminUrl: string, names: RoleNames): Promise<void> {
  await withClient(serverAdminUrl, async (c) => {
    for (const name of [names.app, names.owner]) await c.query(`drop role if exists ${c.escapeIdentifier(name)}`);
  });
}
