// Where the database is, and which role MBO is in it. The application always connects as a role that owns nothing
// (db/roles.ts); migrations run as the owner role. Three set-ups:
//   - embedded (no DATABASE_URL): MBO's own cluster under MBO_HOME; MBO creates `mbo_owner` and `mbo_app`;
//   - DATABASE_URL is a superuser (CI, a developer's machine): MBO creates an owner and an application role for
//     that database (db/roles.ts `roleNamesFor`);
//   - DATABASE_URL is a plain role (a managed database an operator set up): it is the application's role, used as
//     it is; migrations run as MBO_DATABASE_OWNER_URL. With MBO_DATABASE_ADMIN_URL (a superuser; docker-compose's
//     one-shot set-up), `up` first creates those two roles with the passwords in their URLs.
// The passwords of roles MBO creates are kept in MBO_HOME/db-roles.json (0600), keyed by the superuser's URL.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import type { Config } from '../lib/config.js';
import { privateDir, writePrivateFile } from '../lib/private-files.js';
import { ensureEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, pendingMigrations } from './migrate.js';
import { databaseOf, dropRoles, ensureRoles, inspectLogin, roleNamesFor, urlAs, urlFor, userOf, type RoleLogins } from './roles.js';

const ROLES_FILE = 'db-roles.json';

export interface DatabaseUrls {
  /** What the application (CLI, worker, API) connects with. */
  appUrl: string;
  /** What migrations run with. */
  ownerUrl: string;
}

/** Which superuser on which server and database: the key of the roles MBO made there. */
function keyOf(adminUrl: string): string {
  const u = new URL(adminUrl);
  return `${decodeURIComponent(u.username)}@${u.hostname}:${u.port || '5432'}/${databaseOf(adminUrl)}`;
}

function readStored(home: string): Record<string, RoleLogins> {
  const file = path.join(home, ROLES_FILE);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, RoleLogins>;
  } catch {
    throw new AppError('CONFIG_INVALID', `${file} is not valid JSON; remove it and run \`npm run up\` again (the roles get new passwords)`);
  }
}

const newPassword = () => randomBytes(24).toString('base64url');

/** The logins MBO keeps for the database of `adminUrl`, made (and stored, 0600) on first use. */
function loginsFor(home: string, adminUrl: string): RoleLogins {
  const stored = readStored(home);
  const key = keyOf(adminUrl);
  const names = roleNamesFor(databaseOf(adminUrl));
  const have = stored[key];
  if (have && have.owner.user === names.owner && have.app.user === names.app) return have;
  const logins = { owner: { user: names.owner, password: newPassword() }, app: { user: names.app, password: newPassword() } };
  privateDir(home);
  writePrivateFile(path.join(home, ROLES_FILE), JSON.stringify({ ...stored, [key]: logins }, null, 2) + '\n');
  return logins;
}

/** Roles for a database a superuser reaches: created or refreshed, earlier objects handed over, then migrated. */
async function deriveRoles(adminUrl: string, logins: RoleLogins): Promise<DatabaseUrls> {
  await ensureRoles(adminUrl, logins);
  const urls = { appUrl: urlAs(adminUrl, logins.app), ownerUrl: urlAs(adminUrl, logins.owner) };
  await migrate(urls.ownerUrl, { appRole: logins.app.user });
  return urls;
}

/**
 * Makes the database ready (for `mbo up`): starts the embedded one when needed, makes sure the roles exist (and
 * upgrades a database from an earlier version in place), applies migrations as the owner. Returns both URLs.
 */
export async function prepareDatabase(config: Config): Promise<DatabaseUrls> {
  if (!config.database.url) {
    const admin = (await ensureEmbeddedPostgres(config.home, config.database.embeddedPort)).url;
    return deriveRoles(admin, loginsFor(config.home, admin));
  }
  const url = config.database.url;
  if (config.database.adminUrl) await createConfiguredRoles(config.database.adminUrl, url, config.database.ownerUrl);
  const login = await inspectLogin(url);
  if (login.superuser) return deriveRoles(url, loginsFor(config.home, url));
  if (login.ownsTables) {
    throw new AppError(
      'CONFIG_INVALID',
      `DATABASE_URL's role "${userOf(url)}" owns MBO's tables, so the application could erase its own audit trail: ` +
        `point DATABASE_URL at a role that owns nothing and MBO_DATABASE_OWNER_URL at this one (README, "Database roles")`,
    );
  }
  if (config.database.ownerUrl) {
    await migrate(config.database.ownerUrl, { appRole: userOf(url) });
    return { appUrl: url, ownerUrl: config.database.ownerUrl };
  }
  const pending = await pendingMigrations(url);
  if (pending.length) {
    throw new AppError(
      'CONFIG_INVALID',
      `${pending.length} database migration(s) to apply (${pending[0]}…) and DATABASE_URL is the application's role, ` +
        `which may not change the schema: set MBO_DATABASE_OWNER_URL to the owner role (README, "Database roles")`,
    );
  }
  return { appUrl: url, ownerUrl: url };
}

/** MBO_DATABASE_ADMIN_URL: the roles of DATABASE_URL and MBO_DATABASE_OWNER_URL made (or refreshed) by a superuser. */
async function createConfiguredRoles(adminUrl: string, appUrl: string, ownerUrl: string | undefined): Promise<void> {
  const loginOf = (u: string) => ({ user: userOf(u), password: decodeURIComponent(new URL(u).password) });
  if (!ownerUrl || userOf(ownerUrl) === userOf(appUrl) || databaseOf(ownerUrl) !== databaseOf(appUrl)) {
    throw new AppError(
      'CONFIG_INVALID',
      'MBO_DATABASE_ADMIN_URL creates the roles of DATABASE_URL and MBO_DATABASE_OWNER_URL: set both, two different roles on the same database',
    );
  }
  await ensureRoles(urlFor(adminUrl, databaseOf(appUrl)), { owner: loginOf(ownerUrl), app: loginOf(appUrl) });
}

/** For `mbo up` and tests: the database made ready (see prepareDatabase); returns the application's URL. */
export async function ensureDatabase(config: Config): Promise<string> {
  return (await prepareDatabase(config)).appUrl;
}

/** The application's URL of a database that should already be ready (for commands that must not start anything). */
export function databaseUrl(config: Config): string {
  const url = config.database.url;
  if (url) {
    const logins = readStored(config.home)[keyOf(url)];
    return logins ? urlAs(url, logins.app) : url;
  }
  const logins = readStored(config.home)[`postgres@127.0.0.1:${config.database.embeddedPort}/mbo`];
  if (!logins) throw new AppError('STACK_NOT_RUNNING', 'no database: set DATABASE_URL or start the stack with `npm run up`');
  return `postgresql://${encodeURIComponent(logins.app.user)}:${encodeURIComponent(logins.app.password)}@127.0.0.1:${config.database.embeddedPort}/mbo`;
}

export interface ScratchDatabase extends DatabaseUrls {
  /** The application's URL (same as appUrl). */
  url: string;
  /** The scratch database as the superuser (tests that must bypass the application's limits on purpose). */
  adminUrl: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, migrated database on the server of `adminUrl` (a superuser), with its own owner and application roles
 * (tests and benchmarks run on their own), and how to drop it — and its roles — again.
 */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql.replace('$db', c.escapeIdentifier(name)));
    } finally {
      await c.end();
    }
  };
  await admin('create database $db');
  const names = roleNamesFor(name);
  const scratchAdmin = urlFor(adminUrl, name);
  const urls = await deriveRoles(scratchAdmin, {
    owner: { user: names.owner, password: newPassword() },
    app: { user: names.app, password: newPassword() },
  });
  return {
    ...urls,
    url: urls.appUrl,
    adminUrl: scratchAdmin,
    drop: async () => {
      await admin('drop database if exists $db with (force)');
      await dropRoles(adminUrl, names);
    },
  };
}
