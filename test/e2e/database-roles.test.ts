// The three ways MBO finds its database (db/database.ts), each ending with the application connected as a role
// that owns nothing: a superuser DATABASE_URL (CI, a developer's machine), the compose set-up (a superuser creates
// the roles named in DATABASE_URL and MBO_DATABASE_OWNER_URL), and a plain DATABASE_URL an operator set up.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, prepareDatabase } from '../../db/database.js';
import { dropRoles, inspectLogin, roleNamesFor, urlAs, urlFor, userOf } from '../../db/roles.js';
import { loadConfig, PROJECT_ROOT } from '../../lib/config.js';

const server = urlFor(inject('adminDatabaseUrl'), 'postgres'); // a superuser on the test server
const home = mkdtempSync(path.join(PROJECT_ROOT, '.mbo', 'test-roles-'));
const made: string[] = [];
const extraRoles: string[] = [];

async function sql(url: string, q: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(q, params)).rows;
  } finally {
    await c.end();
  }
}

async function freshDatabase(tag: string): Promise<string> {
  const name = `mbo_roles_${tag}_${process.pid}`;
  await sql(server, `create database ${name}`);
  made.push(name);
  return urlFor(server, name);
}

/** A fresh database and the URLs of two roles for it (`<prefix>_app_<pid>`, `<prefix>_owner_<pid>`), not created. */
async function databaseWithRoleUrls(prefix: string) {
  const db = await freshDatabase(prefix);
  const [app, owner] = [`${prefix}_app_${process.pid}`, `${prefix}_owner_${process.pid}`];
  extraRoles.push(app, owner);
  return { db, app, owner, appUrl: urlAs(db, { user: app, password: 'app-pw' }), ownerUrl: urlAs(db, { user: owner, password: 'owner-pw' }) };
}

afterAll(async () => {
  for (const name of made) {
    await sql(server, `drop database if exists ${name} with (force)`);
    await dropRoles(server, roleNamesFor(name));
  }
  for (const role of extraRoles) await sql(server, `drop role if exists ${role}`);
  rmSync(home, { recursive: true, force: true });
});

describe('database roles', () => {
  it('with a superuser DATABASE_URL, makes its own roles, keeps their passwords in MBO_HOME and hands out the application URL', async () => {
    const admin = await freshDatabase('su');
    const config = loadConfig({ DATABASE_URL: admin, MBO_HOME: home });
    const { appUrl, ownerUrl } = await prepareDatabase(config);
    const names = roleNamesFor(made.at(-1)!);
    expect([userOf(appUrl), userOf(ownerUrl)]).toEqual([names.app, names.owner]);
    expect(databaseUrl(config)).toBe(appUrl); // what the CLI and the worker get, without starting anything
    expect(statSync(path.join(home, 'db-roles.json')).mode & 0o777).toBe(0o600);
    expect(await inspectLogin(appUrl)).toEqual({ superuser: false, ownsTables: false });
    await expect(sql(appUrl, 'truncate audit_event')).rejects.toThrow(/permission denied/);
    expect((await prepareDatabase(config)).appUrl).toBe(appUrl); // every `up` again: same roles, same passwords
  });

  it('compose: a superuser creates the roles named in DATABASE_URL and MBO_DATABASE_OWNER_URL; the worker needs only DATABASE_URL', async () => {
    const { appUrl, ownerUrl } = await databaseWithRoleUrls('c');
    const setup = loadConfig({ DATABASE_URL: appUrl, MBO_DATABASE_OWNER_URL: ownerUrl, MBO_DATABASE_ADMIN_URL: server, MBO_HOME: home });
    expect(await prepareDatabase(setup)).toEqual({ appUrl, ownerUrl });
    const worker = loadConfig({ DATABASE_URL: appUrl, MBO_HOME: home });
    expect(databaseUrl(worker)).toBe(appUrl);
    expect(await prepareDatabase(worker)).toEqual({ appUrl, ownerUrl: appUrl }); // nothing pending: fine without the owner
    expect(await inspectLogin(appUrl)).toEqual({ superuser: false, ownsTables: false });
    expect(await inspectLogin(ownerUrl)).toEqual({ superuser: false, ownsTables: true });
    expect(
      await sql(
        appUrl,
        `select privilege_type from information_schema.table_privileges where table_name = 'audit_event' and grantee = current_user order by 1`,
      ),
    ).toEqual([{ privilege_type: 'INSERT' }, { privilege_type: 'SELECT' }]);
  });

  it('refuses an application role that owns the tables, and pending migrations without the owner URL', async () => {
    const { db, app, owner, appUrl, ownerUrl } = await databaseWithRoleUrls('p');
    await sql(server, `create role ${app} login password 'app-pw'; create role ${owner} login password 'owner-pw'`);
    await sql(db, `grant create on database ${made.at(-1)} to ${owner}; grant create on schema public to ${owner}`);

    await expect(prepareDatabase(loadConfig({ DATABASE_URL: appUrl, MBO_HOME: home }))).rejects.toThrow(/MBO_DATABASE_OWNER_URL/);
    const ready = await prepareDatabase(loadConfig({ DATABASE_URL: appUrl, MBO_DATABASE_OWNER_URL: ownerUrl, MBO_HOME: home }));
    expect(ready).toEqual({ appUrl, ownerUrl });
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: ownerUrl, MBO_HOME: home }))).rejects.toThrow(/owns MBO's tables/);
    await expect(sql(appUrl, 'delete from audit_event')).rejects.toThrow(/permission denied/);
  });
});
