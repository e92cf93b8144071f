// Ingest benchmark, in one run on a scratch database: 10,000 campaigns × 365 days (3.65 M rows) loaded
//   - through MBO's real upsertMetricRows in pages, as the sync activity calls it (MBO_SYNC_PAGE_SIZE rows a page),
//   - through the same function in large batches (the COPY path),
//   - again, unchanged (an idempotent re-sync: nothing is rewritten),
//   - by a naive row-by-row Prisma create (a sample, extrapolated),
//   - by raw COPY of the same rows into a bare table (no keys, no indexes: the machine's limit),
// then the latency of the 90-day per-platform aggregate (p50/p99 over repeated calls), native and in EUR.
// `--kill-restart` adds the sync path run as a child process that is SIGKILLed midway and started again; the
// counts and sums are then checked against the generated rows.
// usage: npm run bench:ingest [-- --campaigns 10000 --days 365 --accounts 40 --page 500 --batch 50000
//                                  --concurrency 2 --sample 2000 --calls 200 --kill-restart | --kill-restart-only | --ab 3]
// `--ab N` only compares a first load's two ways to its rollup — summed while streaming (now) and re-read from the
// rows just written (before) — N times each, alternating with raw COPY, so the machine's load drifts alike for all.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addDays } from '../../core/dates.js';
import { formatMoney, parseMoney } from '../../core/money.js';
import { createScratchDatabase } from '../../db/database.js';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { storeFxRates } from '../../db/fx-rates.js';
import { upsertMetricRows } from '../../db/metric-store.js';
import '../../db/pool.js';
import { getPrisma, closePrisma } from '../../db/prisma.js';
import { platformAggregate } from '../../db/rollups.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import { createWorld, forAccounts, metricRow, pages, totalRows, type BenchAccount, type Shape } from './data.js';
import type { LoadJob } from './loader.js';

const flag = (name: string) => process.argv.includes(`--${name}`);
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CAMPAIGNS = arg('campaigns', 10_000);
const ACCOUNTS = arg('accounts', 40);
const shape: Shape = { accounts: ACCOUNTS, campaignsPerAccount: Math.ceil(CAMPAIGNS / ACCOUNTS), days: arg('days', 365), firstDay: '2025-06-01' };
const PAGE = arg('page', 500);
const BATCH = arg('batch', 50_000);
const CONCURRENCY = arg('concurrency', 2);
const SAMPLE = arg('sample', 2000);
const CALLS = arg('calls', 200);
const N = totalRows(shape);
const RUN = randomUUID();
let spendTotal: bigint | undefined; // the generated rows' spend, computed once

const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((p / 100) * v.length))]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const log = (s: string) => console.error(`[bench:ingest ${new Date().toISOString().slice(11, 19)}] ${s}`);

let admin = process.env.DATABASE_URL;
const benchHome = path.join(PROJECT_ROOT, '.mbo', 'bench-ingest');
if (!admin) admin = (await ensureEmbeddedPostgres(benchHome, 54337, 'postgres')).url;
const scratch = await createScratchDatabase(admin, `mbo_bench_ingest_${process.pid}`);
const pool = new pg.Pool({ connectionString: scratch.url, max: CONCURRENCY + 2 });
const su = new pg.Pool({ connectionString: scratch.adminUrl, max: CONCURRENCY + 1 });
const timed = async (what: string, fn: () => Promise<unknown>) => {
  log(`${what}…`);
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  log(`${what}: ${secs(ms)}`);
  return ms;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: dropping the scratch database`);
    void scratch.drop().finally(() => process.exit(130)); // drops with (force): our sessions end with it
  });
}
const emptyStore = () => su.query('truncate metric_daily, metric_rollup_daily');

try {
  log(`${ACCOUNTS} accounts × ${shape.campaignsPerAccount} campaigns × ${shape.days} days = ${N.toLocaleString('en-US')} rows`);
  const { workspaceId, accounts } = await createWorld(pool, shape);
  const syncRun = await pool.query<{ id: string }>(
    `insert into sync_run (id, account_id, workflow_id, run_id, status) values ($1, $2, 'bench', 'bench', 'RUNNING') returning id`,
    [RUN, accounts[0]!.id],
  );
  const syncRunId = syncRun.rows[0]!.id;
  if (flag('kill-restart-only')) {
    console.log(await killRestart(accounts, syncRunId));
  } else if (flag('ab')) await abRollup(accounts, syncRunId, arg('ab', 3));
  else await measure(workspaceId, accounts, syncRunId);
} finally {
  await closePrisma();
  await pool.end();
  await su.end();
  await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(benchHome);
}

async function measure(workspaceId: string, accounts: BenchAccount[], syncRunId: string): Promise<void> {
  // 1. The machine's limit: raw COPY of the same rows (campaign ids resolved) into a bare, logged table.
  await su.query(`create table bench_raw (campaign_id uuid, date date, impressions bigint, clicks bigint, spend numeric(18,6),
                    conversions numeric(18,4), conversion_value numeric(18,6), currency char(3), sync_run_id uuid,
                    updated_at timestamptz default now())`);
  const rawMs = await timed('raw COPY into a bare table', () => rawCopy(accounts, 'bench_raw'));
  await su.query('drop table bench_raw');

  // 1b. The floor this schema sets: raw COPY into a table with metric_daily's key and indexes (no foreign key since
  // 20261202400000), and — for comparison with the schema before it — the same with the per-row foreign key.
  await su.query(`create table bench_keyed (like metric_daily including defaults including constraints including indexes)`);
  const keyedMs = await timed('raw COPY into a table keyed and indexed like metric_daily', () => rawCopy(accounts, 'bench_keyed'));
  await su.query('truncate bench_keyed');
  await su.query(`alter table bench_keyed add foreign key (campaign_id) references campaign (id)`);
  const keyedFkMs = await timed('raw COPY into the same table with a foreign key to campaign', () => rawCopy(accounts, 'bench_keyed'));
  await su.query('drop table bench_keyed');

  // 2. MBO, large batches (COPY into the session's staging table, one set-based upsert + rollup per batch).
  let changed = 0;
  const bulkMs = await timed(`MBO bulk path (batches of ${BATCH})`, async () => (changed = await upsertAll(accounts, syncRunId, BATCH)));
  if (changed !== N) throw new Error(`bulk path stored ${changed} rows, expected ${N}`);
  await verify('bulk path');

  // 3. The same rows again: an idempotent re-sync rewrites nothing.
  let rewritten = 0;
  const againMs = await timed('MBO bulk path again, nothing changed', async () => (rewritten = await upsertAll(accounts, syncRunId, BATCH)));
  if (rewritten !== 0) throw new Error(`re-sync rewrote ${rewritten} rows`);

  // 4. The 90-day per-platform aggregate on that data.
  const to = addDays(shape.firstDay, shape.days - 1);
  const q = { workspaceId, from: addDays(to, -89), to };
  await storeFxRates(pool, fxRates(shape), 'bench');
  await su.query('vacuum analyze metric_rollup_daily');
  const latency = async (reportCurrency?: string) => {
    for (let i = 0; i < 10; i++) await platformAggregate(pool, { ...q, reportCurrency });
    const ms: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      await platformAggregate(pool, { ...q, reportCurrency });
      ms.push(performance.now() - t);
    }
    return ms;
  };
  const native = await latency();
  const inEur = await latency('EUR');
  const direct: number[] = [];
  for (let i = 0; i < Math.min(CALLS, 20); i++) {
    const t = performance.now();
    await pool.query(
      `select a.platform, a.currency, sum(m.spend), sum(m.conversion_value), sum(m.conversions), sum(m.clicks), sum(m.impressions)
         from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id
        where a.workspace_id = $1 and m.date between $2 and $3 group by a.platform, a.currency`,
      [workspaceId, q.from, q.to],
    );
    direct.push(performance.now() - t);
  }
  log(`aggregate p50 ${pct(native, 50).toFixed(1)} ms, p99 ${pct(native, 99).toFixed(1)} ms; EUR p50 ${pct(inEur, 50).toFixed(1)} ms`);

  // 5. MBO, pages as the sync activity writes them (one transaction per page).
  await emptyStore();
  const pagesMs = await timed(`MBO sync path (pages of ${PAGE})`, async () => (changed = await upsertAll(accounts, syncRunId, PAGE)));
  if (changed !== N) throw new Error(`sync path stored ${changed} rows, expected ${N}`);
  await verify('sync path');

  // 6. Naive: one Prisma create per row, on a sample of new campaign-days, extrapolated.
  const prisma = getPrisma(scratch.url);
  const sampleAccount = accounts[0]!;
  const naiveMs = await timed(`naive Prisma create, ${SAMPLE} rows`, async () => {
    for (let i = 0; i < SAMPLE; i++) {
      const c = i % shape.campaignsPerAccount;
      const d = shape.days + Math.floor(i / shape.campaignsPerAccount);
      const r = metricRow(shape, sampleAccount.index, c, d);
      await prisma.metricDaily.create({
        data: {
          campaignId: sampleAccount.campaignIds[c]!,
          date: new Date(`${r.date}T00:00:00Z`),
          impressions: BigInt(r.impressions),
          clicks: BigInt(r.clicks),
          spend: r.spend,
          conversions: r.conversions,
          conversionValue: r.conversionValue,
          currency: sampleAccount.currency,
          syncRunId,
        },
      });
    }
  });
  const naiveFullMs = (naiveMs / SAMPLE) * N;

  // 7. Optional: the sync path killed midway and restarted from its cursor.
  let restart: string | undefined;
  if (flag('kill-restart')) restart = await killRestart(accounts, syncRunId);

  const row = (what: string, ms: number, note = '') => `| ${what} | ${secs(ms)} | ${rate(N, ms)} | ${(ms / rawMs).toFixed(2)}× | ${note} |`;
  console.log(
    `# Ingest: ${N.toLocaleString('en-US')} rows (${shape.accounts * shape.campaignsPerAccount} campaigns × ${shape.days} days, ${ACCOUNTS} accounts), ${CONCURRENCY} accounts at a time\n`,
  );
  console.log('| load | time | rate | vs raw COPY | |\n| --- | --- | --- | --- | --- |');
  console.log(row('raw COPY into a bare table (no keys, no indexes)', rawMs, 'the machine’s limit'));
  console.log(row('raw COPY into a table keyed and indexed like metric_daily', keyedMs, 'the floor metric_daily’s schema sets'));
  console.log(row('the same with a per-row foreign key to campaign (the schema before 20261202400000)', keyedFkMs, 'the floor before'));
  console.log(
    row(`MBO bulk path: upsertMetricRows, batches of ${BATCH.toLocaleString('en-US')} (first load: COPY straight into metric_daily + rollup)`, bulkMs),
  );
  console.log(row(`MBO sync path: upsertMetricRows, pages of ${PAGE} (one transaction each)`, pagesMs));
  console.log(row('MBO re-sync of the same rows (nothing rewritten)', againMs, '0 rows changed'));
  console.log(row(`naive row-by-row Prisma create (${SAMPLE} rows, extrapolated)`, naiveFullMs));
  console.log('\n| 90-day per-platform aggregate | p50 | p99 |\n| --- | --- | --- |');
  console.log(`| platformAggregate, account currencies (${CALLS} calls) | ${pct(native, 50).toFixed(1)} ms | ${pct(native, 99).toFixed(1)} ms |`);
  console.log(`| platformAggregate, converted to EUR at daily rates | ${pct(inEur, 50).toFixed(1)} ms | ${pct(inEur, 99).toFixed(1)} ms |`);
  console.log(
    `| the same totals summed from metric_daily directly (${direct.length} calls) | ${pct(direct, 50).toFixed(1)} ms | ${pct(direct, 99).toFixed(1)} ms |`,
  );
  if (restart) console.log(`\n${restart}`);
}

/**
 * `--ab N`: raw COPY, the bulk path with the rollup summed while streaming, and with it re-read from the rows, in
 * turn, N rounds (the store emptied before each load); prints each round and the medians, with the load average.
 */
async function abRollup(accounts: BenchAccount[], syncRunId: string, rounds: number): Promise<void> {
  const { loadavg } = await import('node:os');
  const runs: Record<'raw' | 'stream' | 'rows', number[]> = { raw: [], stream: [], rows: [] };
  await su.query(`create table bench_raw (campaign_id uuid, date date, impressions bigint, clicks bigint, spend numeric(18,6),
                    conversions numeric(18,4), conversion_value numeric(18,6), currency char(3), sync_run_id uuid,
                    updated_at timestamptz default now())`);
  const load = [loadavg()[0]!];
  for (let i = 0; i < rounds; i++) {
    await su.query('truncate bench_raw');
    runs.raw.push(await timed(`round ${i + 1}: raw COPY`, () => rawCopy(accounts, 'bench_raw')));
    for (const from of i % 2 ? (['rows', 'stream'] as const) : (['stream', 'rows'] as const)) {
      await emptyStore();
      let changed = 0;
      runs[from].push(await timed(`round ${i + 1}: bulk path, rollup ${from}`, async () => (changed = await upsertAll(accounts, syncRunId, BATCH, from))));
      if (changed !== N) throw new Error(`stored ${changed} rows, expected ${N}`);
      await verify(`rollup ${from}`);
    }
    load.push(loadavg()[0]!);
  }
  await su.query('drop table bench_raw');
  const med = (v: number[]) => pct(v, 50);
  console.log(`# First load, rollup summed while streaming vs re-read: ${N.toLocaleString('en-US')} rows, ${rounds} rounds, batches of ${BATCH}\n`);
  console.log('| load | runs | median | vs raw COPY (median) |\n| --- | --- | --- | --- |');
  for (const [k, what] of [
    ['raw', 'raw COPY into a bare table'],
    ['stream', 'MBO bulk path, rollup summed while streaming'],
    ['rows', 'MBO bulk path, rollup re-read from the rows (before)'],
  ] as const)
    console.log(`| ${what} | ${runs[k].map(secs).join(', ')} | ${secs(med(runs[k]))} | ${(med(runs[k]) / med(runs.raw)).toFixed(2)}× |`);
  console.log(`\nload average (1 min) at each round's end: ${load.map((l) => l.toFixed(1)).join(', ')}`);
}

/** Every account's rows through upsertMetricRows, `size` rows a call, CONCURRENCY accounts at a time. */
async function upsertAll(accounts: BenchAccount[], syncRunId: string, size: number, rollupFrom?: 'stream' | 'rows'): Promise<number> {
  let changed = 0;
  await forAccounts(accounts, CONCURRENCY, async (a) => {
    for (const rows of pages(shape, a.index, size)) {
      const n = await upsertMetricRows(pool, a.id, a.currency, syncRunId, rows, { rollupFrom });
      changed += n;
    }
  });
  return changed;
}

/** Every account's rows (campaign ids resolved) by COPY into `table`, CONCURRENCY streams at a time. */
function rawCopy(accounts: BenchAccount[], table: string): Promise<void> {
  return forAccounts(accounts, CONCURRENCY, async (a) => {
    const c = await su.connect();
    try {
      const columns = 'campaign_id, date, impressions, clicks, spend, conversions, conversion_value, currency, sync_run_id';
      await pipeline(Readable.from(rawLines(a)), c.query(copyFrom(`copy ${table} (${columns}) from stdin`)));
    } finally {
      c.release();
    }
  });
}

function* rawLines(a: BenchAccount): Generator<string> {
  for (const page of pages(shape, a.index, 2000)) {
    let chunk = '';
    for (const r of page) {
      const c = Number(r.campaignExternalId.slice(4));
      chunk += `${a.campaignIds[c]}\t${r.date}\t${r.impressions}\t${r.clicks}\t${r.spend}\t${r.conversions}\t${r.conversionValue}\t${a.currency}\t${RUN}\n`;
    }
    yield chunk;
  }
}

/** EUR-based daily rates for the whole range and the week before it (weekdays only, as the ECB publishes). */
function fxRates(s: Shape) {
  const out = [];
  for (let d = -7; d < s.days; d++) {
    const date = addDays(s.firstDay, d);
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    out.push({ base: 'EUR', quote: 'USD', date, rate: (1.08 + ((d + 7) % 17) / 1000).toFixed(4) });
    out.push({ base: 'EUR', quote: 'GBP', date, rate: (0.85 + ((d + 7) % 13) / 1000).toFixed(5) });
  }
  return out;
}

/** Rows, distinct campaign-days and money in metric_daily and the rollup, against the generated rows. */
async function verify(what: string): Promise<void> {
  const { rows } = await pool.query<{ n: string; keys: string; spend: string; rollup_spend: string; rollup_rows: string }>(
    `select (select count(*) from metric_daily) as n, (select count(distinct (campaign_id, date)) from metric_daily) as keys,
            (select sum(spend) from metric_daily)::text as spend, (select sum(spend) from metric_rollup_daily)::text as rollup_spend,
            (select sum(campaigns) from metric_rollup_daily) as rollup_rows`,
  );
  const r = rows[0]!;
  const expected = expectedSpend();
  if (Number(r.n) !== N || Number(r.keys) !== N || Number(r.rollup_rows) !== N || parseMoney(r.spend) !== expected || parseMoney(r.rollup_spend) !== expected) {
    throw new Error(`${what}: stored ${JSON.stringify(r)}, expected ${N} rows and spend ${formatMoney(expected, 6)}`);
  }
  log(`${what}: ${N} rows, no duplicate, spend ${formatMoney(expected)} in rows and rollup`);
}

function expectedSpend(): bigint {
  if (spendTotal === undefined) {
    spendTotal = 0n;
    for (let a = 0; a < shape.accounts; a++) for (const page of pages(shape, a, 10_000)) for (const r of page) spendTotal += parseMoney(r.spend);
  }
  return spendTotal;
}

/** The sync path in a child process, SIGKILLed once about half the rows are stored, then started again. */
async function killRestart(accounts: BenchAccount[], syncRunId: string): Promise<string> {
  await emptyStore();
  await su.query(`create table bench_cursor (account_id uuid primary key, rows_done int not null)`);
  await su.query(`grant select, insert, update on bench_cursor to public`);
  const job: LoadJob = { url: scratch.url, shape, accounts, pageSize: PAGE, concurrency: CONCURRENCY, syncRunId };
  const jobFile = path.join(tmpdir(), `mbo-bench-ingest-${process.pid}.json`);
  writeFileSync(jobFile, JSON.stringify(job)); // 10,000 campaign ids do not fit on a command line
  const child = () =>
    spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'loader.ts'), '--job', jobFile], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  const stored = async () => Number((await pool.query<{ n: string }>('select count(*) as n from metric_daily')).rows[0]!.n);
  const t0 = performance.now();
  const first = child();
  const exited = new Promise<void>((r) => first.once('exit', () => r()));
  while ((await stored()) < N / 2) await new Promise((r) => setTimeout(r, 500));
  first.kill('SIGKILL');
  await exited;
  const atKill = await stored();
  log(`killed the loader with ${atKill} rows stored; restarting from its cursor`);
  const second = child();
  const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`restarted loader exited with ${code}`);
  const ms = performance.now() - t0;
  await verify('after kill and restart');
  return `Kill and restart: the sync-path loader (pages of ${PAGE}) was SIGKILLed with ${atKill.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} rows stored and restarted from its cursor; finished in ${secs(ms)} in all with ${N.toLocaleString('en-US')} rows, no duplicate and none missing, rollup equal to the rows.`;
}
