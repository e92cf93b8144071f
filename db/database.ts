// Where the database is: DATABASE_URL when configured, otherwise the embedded Postgres under MBO_HOME.
import type { Config } from '../lib/config.js';
import { ensureEmbeddedPostgres } from './embedded-postgres.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { migrate } from './migrate.js';

/** Starts the embedded database when needed (for `mbo up` and tests). */
export async function ensureDatabase(config: Config): Promise<string> {
  if (config.database.url) return config.database.url;
  return (await ensureEmbeddedPostgres(config.home, config.database.embeddedPort)).url;
}

/** The URL of a database that should already be running (for commands that must not start anything). */
export function databaseUrl(config: Config): string {
  if (config.database.url) return config.database.url;
  const pwFile = path.join(config.home, 'pg-password');
  if (!existsSync(pwFile)) {
    throw new AppError('STACK_NOT_RUNNING', 'no database: set DATABASE_URL or start the stack with `npm run up`');
  }
  const password = readFileSync(pwFile, 'utf8').trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.database.embeddedPort}/mbo`;
}

/**
 * A fresh, migrated database on the server of `adminUrl` (tests and benchmarks run on their own), and how to
 * drop it again.
 */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
