// API benchmark on loopback: a scratch database with 10,000 campaigns (one account per platform) and 90 days of
// daily metrics for every one of them (rollups rebuilt with db/rollups.ts), the real API served by
// @hono/node-server on 127.0.0.1 in a child process, and an open-loop load generator of our own over fetch: a
// constant rate (default 200 requests/s for 15 s) against the campaign list (first page, and a filtered page),
// the 90-day per-platform aggregate — each through the real authentication middleware with an API key — and a
// bare Hono route as the baseline. Latency is measured from each request's scheduled start (no coordinated
// omission). Prints p50, p99, achieved throughput, errors and the ratio to the baseline. Target: p99 < 50 ms.
// usage: npm run bench:api [-- --rate 200 --seconds 15 --campaigns 10000 --days 90] [--profile] [--keep]
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createScratchDatabase } from '../../db/database.js';
import { rebuildRollups } from '../../db/rollups.js';
import { PROJECT_ROOT, loadConfig } from '../../lib/config.js';
import { createContext } from '../../services/context.js';
import { issueApiKey } from '../../stack/local-identity.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RATE = arg('rate', 200);
const SECONDS = arg('seconds', 15);
const CAMPAIGNS = arg('campaigns', 10_000);
const DAYS = arg('days', 90);
const TARGET_P99_MS = 50;
const PLATFORMS = ['google_ads', 'meta', 'tiktok', 'linkedin'] as const;
const pct = (v: number[], p: number) => (v.length ? [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor((p / 100) * v.length))]! : NaN);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

let admin = process.env.DATABASE_URL;
const benchHome = path.join(PROJECT_ROOT, '.mbo', 'bench-api');
if (!admin) admin = (await ensureEmbeddedPostgres(benchHome, 54337, 'postgres')).url;
const scratch = await createScratchDatabase(admin, `mbo_bench_api_${process.pid}`);
const ctx = await createContext(loadConfig({ DATABASE_URL: scratch.url, TEMPORAL_ADDRESS: '127.0.0.1:1', MBO_TEMPORAL_DEV: 'false', LOG_LEVEL: 'error' }));
let server: ReturnType<typeof fork> | undefined;

try {
  // ---- data: straight into the tables --------------------------------------------------------------------------
  const ws = await ctx.prisma.workspace.create({ data: { slug: 'bench', name: 'bench' } });
  await ctx.prisma.appUser.create({ data: { id: 'bench-admin', displayName: 'bench admin' } });
  await ctx.prisma.member.create({ data: { workspaceId: ws.id, userId: 'bench-admin', role: 'admin' } });
  const key = await issueApiKey(ctx.prisma, { workspaceId: ws.id, userId: 'bench-admin', name: 'bench' });
  const perAccount = Math.ceil(CAMPAIGNS / PLATFORMS.length);
  const to = '2026-11-30';
  for (const platform of PLATFORMS) {
    const acc = await ctx.prisma.platformAccount.create({
      data: {
        workspaceId: ws.id,
        platform,
        connector: 'sandbox',
        externalId: `bench-${platform}`,
        name: `Bench ${platform}`,
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
      },
    });
    await ctx.pool.query(
      `insert into campaign (id, account_id, external_id, name, status, daily_budget, currency, updated_at)
       select gen_random_uuid(), $1, $2 || '-' || g, (array['Brand','Generic','Retargeting','Prospecting','Video'])[1 + g % 5] || ' ' || g,
              (case when g % 10 = 0 then 'PAUSED' else 'ACTIVE' end)::"CampaignStatus", 50 + (g % 500), 'EUR', now()
         from generate_series(1, $3) g`,
      [acc.id, `${platform}-c`, perAccount],
    );
    // 90 days per campaign, one account at a time (a few hundred thousand rows per statement).
    await ctx.pool.query(
      `insert into metric_daily (campaign_id, date, impressions, clicks, spend, conversions, conversion_value, currency, updated_at)
       select c.id, d::date, 1000 + (h % 9000), 10 + (h % 300), round(((h % 50000) / 100.0)::numeric, 2), (h % 40), round(((h % 200000) / 100.0)::numeric, 2), 'EUR', now()
         from campaign c cross join generate_series($2::date - ($3::int - 1), $2::date, '1 day') d
         cross join lateral (select abs(hashtext(c.id::text || d::text)) as h) x
        where c.account_id = $1`,
      [acc.id, to, DAYS],
    );
    console.error(`[${elapsed()}] ${platform}: ${perAccount} campaigns × ${DAYS} days stored`);
  }
  const rollups = await rebuildRollups(ctx.pool);
  // Planner statistics as autovacuum keeps them on a live database: without them, a freshly loaded table is
  // planned from empty-table guesses (the campaign page sorted 2,500 rows per account instead of reading the index).
  // As the superuser: ANALYZE by a role that does not own the tables skips them with only a warning.
  const su = new pg.Client({ connectionString: scratch.adminUrl });
  await su.connect();
  await su.query('analyze').finally(() => su.end());
  await ctx.pool.query('analyze');
  const counts = (await ctx.pool.query<{ c: string; m: string }>('select (select count(*) from campaign) as c, (select count(*) from metric_daily) as m'))
    .rows[0]!;
  console.error(`[${elapsed()}] ${counts.c} campaigns, ${counts.m} metric rows, ${rollups} rollup account-days`);

  // ---- the server, in its own process ------------------------------------------------------------------------
  server = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [scratch.url], {
    // --profile: a CPU profile of the server process in .mbo/bench-api/ (open it in Chrome DevTools).
    execArgv: ['--import', 'tsx', ...(process.argv.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${benchHome}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { apiPort, barePort } = await new Promise<{ apiPort: number; barePort: number }>((resolve, reject) => {
    server!.once('message', (m) => resolve(m as { apiPort: number; barePort: number }));
    server!.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  const api = `http://127.0.0.1:${apiPort}`;
  const auth = { authorization: `Bearer ${key}` };
  const targets = [
    { name: 'bare Hono route (baseline, no middleware)', url: `http://127.0.0.1:${barePort}/bare`, headers: {} },
    { name: 'GET /api/v1/campaigns?limit=50', url: `${api}/api/v1/campaigns?limit=50`, headers: auth },
    {
      name: 'GET /api/v1/campaigns?platform=meta&status=ACTIVE&name=brand&limit=50',
      url: `${api}/api/v1/campaigns?platform=meta&status=ACTIVE&name=brand&limit=50`,
      headers: auth,
    },
    { name: 'GET /api/v1/metrics/platforms (90 days)', url: `${api}/api/v1/metrics/platforms`, headers: auth },
  ];
  for (const t of targets) {
    const r = await fetch(t.url, { headers: t.headers });
    const body = (await r.json()) as { items?: unknown[]; platforms?: unknown[]; from?: string; to?: string };
    if (r.status !== 200) throw new Error(`${t.name}: ${r.status} ${JSON.stringify(body)}`);
    if (body.items) console.error(`  ${t.name}: ${body.items.length} items`);
    if (body.platforms) console.error(`  ${t.name}: ${body.platforms.length} platforms, ${body.from} → ${body.to}`);
  }

  /** Open loop: request i is due at start + i / rate, sent when due whatever the earlier ones are doing. */
  async function load(url: string, headers: Record<string, string>, rate: number, seconds: number) {
    const n = Math.round(rate * seconds);
    const latencies: number[] = [];
    let errors = 0;
    let sent = 0;
    const inflight = new Set<Promise<void>>();
    const start = performance.now();
    while (sent < n) {
      const due = start + (sent * 1000) / rate;
      const now = performance.now();
      if (due > now) await new Promise((r) => setTimeout(r, Math.max(0, due - now - 0.5)));
      while (sent < n && start + (sent * 1000) / rate <= performance.now()) {
        const scheduled = start + (sent * 1000) / rate;
        sent++;
        if (inflight.size >= 2000) {
          errors++; // the server is that far behind: count it as an error rather than queue without bound
          continue;
        }
        const p = fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
          .then(async (r) => {
            await r.arrayBuffer();
            if (r.status === 200) latencies.push(performance.now() - scheduled);
            else errors++;
          })
          .catch(() => {
            errors++;
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
    }
    await Promise.all(inflight);
    const wall = (performance.now() - start) / 1000;
    return { p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies), throughput: latencies.length / wall, errors, n };
  }

  /** The server process's CPU time so far (µs, user + system). */
  const serverCpu = () =>
    new Promise<number>((resolve) => {
      const on = (m: unknown) => {
        const cpu = (m as { cpu?: NodeJS.CpuUsage }).cpu;
        if (!cpu) return;
        server!.off('message', on);
        resolve(cpu.user + cpu.system);
      };
      server!.on('message', on);
      server!.send('cpu');
    });
  for (const t of targets) await load(t.url, t.headers, RATE, 2); // warm-up: connections, plans, JIT
  const results = [];
  for (const t of targets) {
    const cpu0 = await serverCpu();
    const r = await load(t.url, t.headers, RATE, SECONDS);
    const cpuMs = ((await serverCpu()) - cpu0) / 1000;
    results.push({ name: t.name, ...r, cpuPerRequest: cpuMs / Math.max(1, r.n - r.errors) });
    console.error(`[${elapsed()}] ${t.name}: done`);
  }
  const base = results[0]!;
  const ms = (v: number) => v.toFixed(1);
  console.log(
    `\nAPI on loopback: ${counts.c} campaigns, ${counts.m} metric rows; open loop at ${RATE} requests/s for ${SECONDS} s per route (${process.platform}, node ${process.version})\n`,
  );
  console.log('| route | p50 ms | p99 ms | max ms | achieved req/s | errors | p50 / baseline | p99 / baseline | server CPU ms / request |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results)
    console.log(
      `| ${r.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.throughput.toFixed(1)} | ${r.errors} / ${r.n} | ${(r.p50 / base.p50).toFixed(1)}× | ${(r.p99 / base.p99).toFixed(1)}× | ${r.cpuPerRequest.toFixed(2)} |`,
    );
  const worst = Math.max(...results.slice(1).map((r) => r.p99));
  const load1 = os.loadavg()[0]!;
  console.log(`\nload average at the end: ${load1.toFixed(1)} (${os.cpus().length} cores); latencies are only meaningful on a quiet machine`);
  console.log(`\ntarget p99 < ${TARGET_P99_MS} ms on the API routes: ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} (worst p99 ${ms(worst)} ms)`);
} finally {
  server?.disconnect();
  await ctx.close();
  if (process.argv.includes('--keep')) console.error(`kept the scratch database: ${scratch.adminUrl}`);
  else await scratch.drop();
  if (!process.env.DATABASE_URL) await stopEmbeddedPostgres(benchHome);
}
