// The README's first command, for real: `mbo up` on embedded defaults (its own Postgres, Temporal dev server,
// worker, API, sandbox, the local people and their keys, schedule, first sync) in an isolated home and ports, a
// second `up` that only checks, `mbo status` as the local admin through its key file, a colleague through
// MBO_API_KEY, then `mbo down`.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import { portBlock } from './ports.js';

const run = promisify(execFile);
const home = path.join(PROJECT_ROOT, '.mbo', `test-up-${process.pid}`);
const base = await portBlock(20); // below the ephemeral range: see ports.ts
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'MBO_API_KEY', 'MBO_USER'].includes(k) && !k.startsWith('TEMPORAL_'))),
  MBO_HOME: home,
  MBO_PG_PORT: String(base),
  TEMPORAL_ADDRESS: `127.0.0.1:${base + 1}`,
  MBO_TEMPORAL_UI_PORT: String(base + 2),
  MBO_API_PORT: String(base + 3),
  MBO_MCP_PORT_BASE: String(base + 10), // the MCP servers on base+11…17
  MBO_WORKER_METRICS_PORT: String(base + 4),
  MBO_USER: 'quick.admin',
  MBO_SANDBOX_HISTORY_DAYS: '30',
  LOG_LEVEL: 'warn',
};
const mbo = (...args: string[]) => run(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args], { cwd: PROJECT_ROOT, env, maxBuffer: 16 << 20 });
const as = (keyFile: string, ...args: string[]) =>
  run(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...env, MBO_API_KEY: readFileSync(path.join(home, 'keys', keyFile), 'utf8').trim() },
  });

afterAll(async () => {
  await mbo('down').catch(() => {});
  rmSync(home, { recursive: true, force: true });
});

describe('quick start', () => {
  it('`mbo up` brings up the whole stack, a second `up` only checks, `mbo status` shows four platforms with spend', async () => {
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755); // as root, the embedded Postgres runs as `postgres` and must reach its data dir
    const up = await mbo('up');
    expect(up.stdout).toContain(`Temporal: dev server started at 127.0.0.1:${base + 1}, UI http://localhost:${base + 2}`);
    expect(up.stdout).toMatch(
      /People: quick\.admin \(admin\), maria\.marketer \(analyst\), alex\.approver \(approver\); API keys in .*keys\/ \(0600, 3 created\)/,
    );
    expect(up.stdout).toContain(`API: started at http://127.0.0.1:${base + 3}`);
    expect(up.stdout).toContain(`… first sync running: http://localhost:${base + 2}/namespaces/mbo/workflows/sync-default-`);
    expect(up.stdout).toMatch(/Sync: 4\/4 accounts synced/);
    expect(up.stdout).toMatch(/Schedule: sync-default-every-1h/);
    expect(up.stdout).toMatch(/Web password for quick\.admin: \S{16}/);
    expect(up.stdout).toMatch(new RegExp(`API +http://127\\.0\\.0\\.1:${base + 3}/api/v1 +docs http://127\\.0\\.0\\.1:${base + 3}/api/v1/docs`));
    expect(up.stdout).toMatch(/You act as quick\.admin \(admin\) through .*keys\/quick\.admin\.key/);
    expect(up.stdout).toMatch(/MBO_API_KEY=\$\(cat \S*keys\/alex\.approver\.key\) npx mbo approvals approve <request>/);
    for (const user of ['quick.admin', 'maria.marketer', 'alex.approver']) expect(statSync(path.join(home, 'keys', `${user}.key`)).mode & 0o777).toBe(0o600);

    // Idempotent: nothing started twice, no second password, the same keys; a later sync is not the first.
    const keyBefore = readFileSync(path.join(home, 'keys', 'quick.admin.key'), 'utf8');
    const again = await mbo('up');
    expect(again.stdout).toMatch(/dev server already running/);
    expect(again.stdout).toMatch(/Worker: already running/);
    expect(again.stdout).toMatch(/API: already running/);
    expect(again.stdout).toMatch(/API keys in .*keys\/ \(0600\)\n/);
    expect(again.stdout).not.toMatch(/password/i);
    expect(again.stdout).toMatch(/… sync running:/);
    expect(again.stdout).not.toMatch(/first sync/);
    expect(readFileSync(path.join(home, 'keys', 'quick.admin.key'), 'utf8')).toBe(keyBefore);

    // The CLI acts as the local admin through its key file; a colleague through MBO_API_KEY, as `up` says.
    expect(JSON.parse((await mbo('whoami', '--json')).stdout)).toMatchObject({ userId: 'quick.admin', role: 'admin' });
    expect(JSON.parse((await as('alex.approver.key', 'whoami', '--json')).stdout)).toMatchObject({ userId: 'alex.approver', role: 'approver' });

    const { stdout } = await mbo('status', '--json');
    const status = JSON.parse(stdout) as {
      workspace: string;
      platforms: Array<{ platform: string; activeCampaigns: number; yesterday: { spend: string }; lastSync: { status: string } }>;
    };
    expect(status.workspace).toBe('default');
    expect(status.platforms.map((p) => p.platform)).toEqual(['google_ads', 'meta', 'tiktok', 'linkedin']);
    for (const p of status.platforms) {
      expect(p.activeCampaigns).toBeGreaterThan(0);
      expect(Number(p.yesterday.spend)).toBeGreaterThan(0);
      expect(p.lastSync.status).toBe('SUCCEEDED');
    }
    const table = await mbo('status');
    expect(table.stdout).toMatch(/Platform\s+Accounts\s+Active/);

    // Operations: every component healthy from the outside; metrics from the API and the worker.
    // --wait: a component that is slow to answer on a busy machine (3 s per probe) is asked again for up to 30 s.
    const health = await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'healthcheck.sh'), '--wait', '30'], { cwd: PROJECT_ROOT, env }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`healthcheck.sh failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      },
    );
    for (const c of ['database', 'temporal', 'worker', 'api', 'api readiness', 'web', 'google-ads-mcp', 'mbo-mcp'])
      expect(health.stdout).toMatch(new RegExp(`^ok\\s+${c}\\s`, 'm'));
    expect(health.stdout).toMatch(/healthy: every component answers/);
    const metrics = await (await fetch(`http://127.0.0.1:${base + 3}/metrics`)).text();
    expect(metrics).toMatch(/mbo_change_requests\{workspace="default",status="\w+"\} \d+|# TYPE mbo_change_requests gauge/);
    expect(metrics).toMatch(/mbo_sync_rows\{platform="google_ads"\} [1-9]/);
    const workerMetrics = await (await fetch(`http://127.0.0.1:${base + 4}/metrics`)).text();
    expect(workerMetrics).toMatch(/^temporal_\w+/m);

    const down = await mbo('down');
    expect(down.stdout).toMatch(/API: stopped/);
    expect(down.stdout).toMatch(/Worker: stopped/);
    expect(down.stdout).toMatch(/Postgres: embedded database stopped/);
    const err = await mbo('status').catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(4);
    expect((err as { stderr: string }).stderr).toMatch(/npm run up/);
    expect((await mbo('down')).stdout).toMatch(/MBO is not running/);
  }, 300_000);
});
