// The README's first command, for real: `mbo up` on embedded defaults (its own Postgres, Temporal dev server,
// worker, sandbox, schedule, first sync) in an isolated home and ports, then `mbo status`, then `mbo down`.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';

const run = promisify(execFile);
const home = path.join(PROJECT_ROOT, '.mbo', `test-up-${process.pid}`);
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('TEMPORAL_'))),
  MBO_HOME: home,
  MBO_PG_PORT: '54341',
  TEMPORAL_ADDRESS: '127.0.0.1:17233',
  MBO_TEMPORAL_UI_PORT: '18233',
  MBO_SANDBOX_HISTORY_DAYS: '60',
  LOG_LEVEL: 'warn',
};
const mbo = (...args: string[]) => run(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args], { cwd: PROJECT_ROOT, env, maxBuffer: 16 << 20 });

afterAll(async () => {
  await mbo('down').catch(() => {});
  rmSync(home, { recursive: true, force: true });
});

describe('quick start', () => {
  it('`mbo up` brings up the whole stack and `mbo status` shows four platforms with spend', async () => {
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755); // as root, the embedded Postgres runs as `postgres` and must reach its data dir
    const up = await mbo('up');
    expect(up.stdout).toMatch(/Temporal: dev server started at 127\.0\.0\.1:17233, UI http:\/\/localhost:18233/);
    expect(up.stdout).toMatch(/Sync: 4\/4 accounts synced/);
    expect(up.stdout).toMatch(/Schedule: sync-default-every-1h/);

    const again = await mbo('up', '--no-sync');
    expect(again.stdout).toMatch(/dev server already running/);
    expect(again.stdout).toMatch(/Worker: already running/);

    const { stdout } = await mbo('status', '--json');
    const status = JSON.parse(stdout) as {
      platforms: Array<{ platform: string; activeCampaigns: number; yesterday: { spend: string }; lastSync: { status: string } }>;
    };
    expect(status.platforms.map((p) => p.platform)).toEqual(['google_ads', 'meta', 'tiktok', 'linkedin']);
    for (const p of status.platforms) {
      expect(p.activeCampaigns).toBeGreaterThan(0);
      expect(Number(p.yesterday.spend)).toBeGreaterThan(0);
      expect(p.lastSync.status).toBe('SUCCEEDED');
    }
    const table = await mbo('status');
    expect(table.stdout).toMatch(/Platform\s+Accounts\s+Active/);

    const down = await mbo('down');
    expect(down.stdout).toMatch(/Worker: stopped/);
    expect(down.stdout).toMatch(/Postgres: embedded database stopped/);
    const err = await mbo('status').catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(4);
    expect((err as { stderr: string }).stderr).toMatch(/npm run up/);
  });
});
