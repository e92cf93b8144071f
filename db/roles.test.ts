import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { withAppRole } from './migrate.js';
import { databaseOf, dropRoles, ensureRoles, inspectLogin, roleNamesFor, urlAs, urlFor, userOf, type RoleLogins } from './roles.js';

describe('role names and URLs', () => {
  it('gives the database `mbo` the plain names and every other database its own pair, at most 63 characters', () => {
    expect(roleNamesFor('mbo')).toEqual({ owner: 'mbo_owner', app: 'mbo_app' });
    expect(roleNamesFor('mbo_test_1_2')).toEqual({ owner: 'mbo_owner_mbo_test_1_2', app: 'mbo_app_mbo_test_1_2' });
    expect(roleNamesFor('My-DB')).toEqual({ owner: 'mbo_owner_my_db', app: 'mbo_app_my_db' });
    const long = roleNamesFor('x'.repeat(60));
    expect(long.owner.length).toBeLessThanOrEqual(63);
    expect(long.app).not.toBe(roleNamesFor('x'.repeat(61)).app);
  });

  it('swaps the login and the database of a URL, keeping server and parameters', () => {
    const url = 'postgresql://postgres@db.example:6543/postgres?sslmode=require';
    const app = urlAs(urlFor(url, 'mbo'), { user: 'mbo_app', password: 'p@ss/w:rd' });
    expect(userOf(app)).toBe('mbo_app');
    expect(decodeURIComponent(new URL(app).password)).toBe('p@ss/w:rd');
    expect(databaseOf(app)).toBe('mbo');
    expect(new URL(app).host).toBe('db.example:6543');
    expect(new URL(app).searchParams.get('sslmode')).toBe('require');
    expect(new URL(withAppRole(app, 'odd name')).searchParams.get('options')).toBe('-c mbo.app_role=odd\\ name');
  });
});

// Needs a Postgres superuser: the one in DATABASE_URL (CI sets it to the machine's server). Without it, skipped.
const admin = loadConfig().database.url;
describe.skipIf(!admin)('ensureRoles (on DATABASE_URL, a superuser)', () => {
  const db = `mbo_roles_test_${process.pid}`;
  const names = roleNamesFor(db);
  const logins: RoleLogins = {
    owner: { user: names.owner, password: randomBytes(12).toString('hex') },
    app: { user: names.app, password: randomBytes(12).toString('hex') },
  };
  const sql = async (url: string, q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(q)).rows;
    } finally {
      await c.end();
    }
  };
  afterAll(async () => {
    await sql(admin!, `drop database if exists ${db} with (force)`);
    await dropRoles(admin!, names);
  });

  it('makes plain roles, hands over what the superuser owned, and is idempotent', async () => {
    await sql(admin!, `create database ${db}`);
    const dbAdmin = urlFor(admin!, db);
    // An earlier version's objects, owned by the superuser; and a role of ours that someone made too powerful.
    await sql(
      dbAdmin,
      `create type mood as enum ('ok'); create table public.t (id bigserial primary key, m mood);
       create sequence public.s; create function public.f() returns int language sql as 'select 1';
       create schema sandbox; create table sandbox.u (id int);
       create role ${names.app} login superuser; grant pg_read_all_data to ${names.app}`,
    );
    for (let i = 0; i < 2; i++) await ensureRoles(dbAdmin, logins);

    const owners = await sql(
      dbAdmin,
      `select string_agg(distinct o, ',') as owners from (
         select pg_get_userbyid(relowner) o from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname in ('public', 'sandbox') and relkind in ('r', 'S')
         union all select pg_get_userbyid(proowner) from pg_proc where proname = 'f'
         union all select pg_get_userbyid(typowner) from pg_type where typname = 'mood'
         union all select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'sandbox') x`,
    );
    expect(owners).toEqual([{ owners: names.owner }]);
    const appUrl = urlAs(dbAdmin, logins.app);
    expect(await inspectLogin(appUrl)).toEqual({ superuser: false, ownsTables: false });
    expect(await inspectLogin(urlAs(dbAdmin, logins.owner))).toEqual({ superuser: false, ownsTables: true });
    expect(await sql(dbAdmin, `select count(*)::int as n from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = '${names.app}'`)).toEqual(
      [{ n: 0 }],
    );
    expect(await sql(appUrl, `select current_setting('mbo.app_role') as r`)).toEqual([{ r: names.app }]);
    await expect(sql(appUrl, 'create table public.x (id int)')).rejects.toThrow(/permission denied for schema public/);
    await expect(sql(appUrl, 'select * from public.t')).rejects.toThrow(/permission denied/); // grants come from the migration
  });
});
