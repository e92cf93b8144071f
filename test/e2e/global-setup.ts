// One real Temporal dev server (the pinned CLI binary) and one fresh, migrated Postgres database for the e2e run.
// Postgres: the server in DATABASE_URL when given (CI: the machine's PostgreSQL, a superuser), else the embedded
// one. The scratch database gets its own owner and application roles and is migrated as the owner; tests connect
// as the APPLICATION role (`databaseUrl`), as the product does. `ownerDatabaseUrl` and `adminDatabaseUrl` (the
// scratch database as its owner / as the superuser) are for tests that must go around the application on purpose.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The scratch database as the application's role. */
    databaseUrl: string;
    /** The scratch database as its owner role (runs migrations). */
    ownerDatabaseUrl: string;
    /** The scratch database as the superuser. */
    adminDatabaseUrl: string;
  }
}

let env: TestWorkflowEnvironment | undefined;
let dropDb: (() => Promise<void>) | undefined;
let embeddedHome: string | undefined;

export async function setup(project: TestProject) {
  const bin = process.env.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal');
  if (!existsSync(bin)) execFileSync('bash', [path.join(PROJECT_ROOT, 'temporal', 'install.sh')], { stdio: 'inherit' });

  let admin = process.env.DATABASE_URL;
  if (!admin) {
    const home = path.join(PROJECT_ROOT, '.mbo', 'test');
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    embeddedHome = home;
    admin = (await ensureEmbeddedPostgres(home, Number(process.env.MBO_TEST_PG_PORT ?? 25439 /* below the ephemeral range */), 'postgres')).url;
  }
  const scratch = await createScratchDatabase(admin, `mbo_test_${process.pid}_${Date.now()}`);
  dropDb = scratch.drop;

  // The SDK gives the dev server 5 s to answer; on a busy machine its first start can take longer: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: bin },
          namespace: 'mbo',
          ip: '127.0.0.1',
          searchAttributes: ALL_SEARCH_ATTRIBUTES,
          extraArgs: ['--log-level', 'error'],
        },
      });
      break;
    } catch (e) {
      if (attempt >= 3 || !/did not start within/.test((e as Error).message)) throw e;
      console.warn(`e2e setup: the Temporal dev server did not answer in time (attempt ${attempt} of 3); starting it again`);
    }
  }
  project.provide('temporalAddress', env.address);
  project.provide('databaseUrl', scratch.appUrl);
  project.provide('ownerDatabaseUrl', scratch.ownerUrl);
  project.provide('adminDatabaseUrl', scratch.adminUrl);
}

export async function teardown() {
  await env?.teardown();
  if (!process.env.MBO_KEEP_TEST_DB) await dropDb?.();
  if (embeddedHome) await stopEmbeddedPostgres(embeddedHome);
}
