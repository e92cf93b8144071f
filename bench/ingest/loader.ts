// The sync path as the benchmark drives it: each account's rows in pages through the real upsertMetricRows, a
// durable cursor written after every stored page (as the sync activity writes sync_run.cursor), resuming from
// that cursor when started again. Run as a child process by `run.ts --kill-restart`, which kills it midway.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import '../../db/pool.js';
import { upsertMetricRows } from '../../db/metric-store.js';
import { forAccounts, pages, type BenchAccount, type Shape } from './data.js';

export interface LoadJob {
  url: string;
  shape: Shape;
  accounts: BenchAccount[];
  pageSize: number;
  concurrency: number;
  syncRunId: string;
}

/** Needs the table bench_cursor (account_id uuid primary key, rows_done int), made by run.ts. */
export async function loadWithCursor(pool: pg.Pool, job: LoadJob): Promise<number> {
  let changed = 0;
  await forAccounts(job.accounts, job.concurrency, async (a) => {
    const { rows } = await pool.query<{ rows_done: number }>(`select rows_done from bench_cursor where account_id = $1`, [a.id]);
    let done = rows[0]?.rows_done ?? 0;
    for (const page of pages(job.shape, a.index, job.pageSize, done)) {
      {
        const n = await upsertMetricRows(pool, a.id, a.currency, job.syncRunId, page);
        changed += n;
      }
      done += page.length;
      await pool.query(
        `insert into bench_cursor (account_id, rows_done) values ($1, $2) on conflict (account_id) do update set rows_done = excluded.rows_done`,
        [a.id, done],
      );
    }
  });
  return changed;
}

// As a child process: the job arrives as a JSON file named on argv.
if (process.argv[2] === '--job') {
  const job = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as LoadJob;
  const pool = new pg.Pool({ connectionString: job.url, max: job.concurrency + 1 });
  loadWithCursor(pool, job)
    .then(() => pool.end())
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
