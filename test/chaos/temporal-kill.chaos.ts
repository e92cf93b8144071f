// Chaos 3: the Temporal dev server killed (SIGKILL) in the middle of an apply and started again on the same SQLite
// file (temporal/dev-server.ts, as test/e2e/temporal-restart.test.ts does for a pending request). The case runs its
// own dev server on ephemeral ports under .mbo/ — not the suite's shared one. The worker process loses its server,
// is replaced (as a supervisor would) once the server is back. Proves: the approved change is applied exactly once
// (one sandbox mutation) and the request ends APPLIED.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadConfig } from '../../lib/config.js';
import { isRunning } from '../../lib/processes.js';
import { createContext, type AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startSync } from '../../services/sync/sync.js';
import { startTemporalDevServer, stopTemporalDevServer } from '../../temporal/dev-server.js';
import { registerSearchAttributes } from '../../temporal/search-attributes.js';
import { isolatedSandbox, memberContext, spawnWorkerProcess, testEnv, waitFor } from '../e2e/harness.js';
import { freePort, killHard, recordRow, sleep } from './chaos.js';

const home = path.join(PROJECT_ROOT, '.mbo', `chaos-temporal-${process.pid}`);
let ctx: AppContext | undefined;
let worker: ChildProcess | undefined;

afterAll(async () => {
  await killHard(worker);
  await ctx?.close();
  await stopTemporalDevServer(home);
  rmSync(home, { recursive: true, force: true });
});

describe('chaos: Temporal dev server killed', () => {
  it('applies an approved change exactly once when the server is killed mid-apply and restarted', async () => {
    const t0 = Date.now();
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    const env = testEnv({
      MBO_HOME: home,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      MBO_TEMPORAL_UI_PORT: String(await freePort()),
      MBO_TEMPORAL_DEV: 'true',
      LOG_LEVEL: 'error',
    });
    const config = loadConfig(env);
    const first = await startTemporalDevServer(config);
    expect(first.started).toBe(true);
    ctx = await createContext(config);
    const app = ctx;
    await registerSearchAttributes(await app.temporal(), config.temporal.namespace);
    worker = spawnWorkerProcess(env);

    const { workspace, accounts, sandbox } = await isolatedSandbox(app, { historyDays: 10, campaignsPerAccount: 2 });
    const analyst = await memberContext(app, workspace, 'ana-tk', 'analyst');
    // Approvers are captured when a request is made: the approver exists first.
    const approver = await memberContext(app, workspace, 'paul-tk', 'approver');
    await (await startSync(analyst, { from: '2026-05-25', to: '2026-05-31' })).handle.result();
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    const campaign = await app.prisma.campaign.findFirstOrThrow({ where: { accountId: google.id, status: 'ACTIVE' }, orderBy: { externalId: 'asc' } });
    const { id } = await requestChange(analyst, {
      reason: 'chaos: Temporal killed mid-apply',
      items: [{ campaign: campaign.id, kind: 'budget', toBudget: (Number(campaign.dailyBudget) * 1.1).toFixed(2) }],
    });
    await waitFor('pending approval', async () => (await app.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status === 'PENDING_APPROVAL', 120_000);

    // The platform call takes 5 s; the server dies while it is in flight.
    await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'slow', count: 1, delayMs: 5000 });
    await decideChange(approver, { requestId: id, approve: true });
    await waitFor('applying', async () => (await app.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status === 'APPLYING', 120_000);
    await sleep(1000);
    process.kill(first.pid!, 'SIGKILL');
    await waitFor('the dev server gone', async () => !isRunning(first.pid!), 30_000);
    await sleep(2000);
    const second = await startTemporalDevServer(config);
    expect(second.started).toBe(true);
    await killHard(worker);
    worker = spawnWorkerProcess(env);

    const final = (await (await app.temporal()).workflow.getHandle(id).result()) as { status: string };
    const mutations = await sandbox.mutationCount(google.externalId, campaign.externalId);
    const calls = (await sandbox.calls(google.externalId, 'mutate')).length;
    recordRow({
      fault: 'Temporal dev server SIGKILL mid-apply, restarted on the same SQLite file',
      runs: 1,
      lost: final.status === 'APPLIED' && mutations > 0 ? 0 : 1,
      duplicated: Math.max(0, mutations - 1),
      outcome: `request ${final.status}; ${mutations} sandbox mutation(s) from ${calls} platform call(s)`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(final.status).toBe('APPLIED');
    expect(mutations).toBe(1);
  });
});
