// What a use case needs, built once per process from the one config: database handles and (lazily) Temporal.
import type { Client } from '@temporalio/client';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { databaseUrl, ensureDatabase } from '../db/database.js';
import { PrismaClient } from '../db/generated/client.js';
import '../db/pool.js'; // pg type parsers (DATE as ISO string)
import type { Config } from '../lib/config.js';
import { closeClient, connectClient } from '../temporal/connection.js';
import { useKeyring } from '../connectors/credentials.js';
import { loadKeyring } from '../lib/secrets.js';

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
  // Live connectors open their stored credentials with this process's key (absent: those accounts say so).
  try {
    useKeyring(loadKeyring(config));
  } catch {
    /* no key configured yet (before the first `mbo up`): only live accounts need it */
  }
  // Each context owns its connections, so closing one never pulls the rug from another in the same process.
  const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  pool.on('connect', (c) => c.on('error', () => {})); // a checked-out client's error (database restart) must not kill the process (db/pool.ts)
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    config,
    databaseUrl: url,
    pool,
    prisma,
    temporal: () => (client ??= connectClient(config.temporal)),
    async close() {
      if (client) {
        const c = await client.catch(() => undefined);
        if (c) await closeClient(c).catch(() => {});
      }
      await Promise.all([pool.end().catch(() => {}), prisma.$disconnect().catch(() => {})]);
    },
  };
}
