// Where the database is: DATABASE_URL when configured, otherwise the embedded Postgres under MBO_HOME.
import type { Config } from '../lib/config.js';
import { ensureEmbeddedPostgres } from './embedded-postgres.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';

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
