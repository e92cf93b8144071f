// What a use case needs, built once per process from the one config: database handles and (lazily) Temporal.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { databaseUrl, ensureDatabase } from '../db/database.js';
import { closePools, getPool } from '../db/pool.js';
import { closePrisma, getPrisma, type PrismaClient } from '../db/prisma.js';
import type { Config } from '../lib/config.js';
import { connectClient } from '../temporal/connection.js';

export interface AppContext {
  config: Config;
  databaseUrl: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  temporal(): Promise<Client>;
  close(): Promise<void>;
}

export async function createContext(config: Config, opts: { startDatabase?: boolean } = {}): Promise<AppContext> {
  const url = opts.startDatabase ? await ensureDatabase(config) : databaseUrl(config);
  let client: Promise<Client> | undefined;
  return {
    config,
    databaseUrl: url,
    pool: getPool(url),
    prisma: getPrisma(url),
    temporal: () => (client ??= connectClient(config.temporal)),
    async close() {
      if (client) await (await client.catch(() => undefined))?.connection.close().catch(() => {});
      await Promise.all([closePools(), closePrisma()]);
    },
  };
}
