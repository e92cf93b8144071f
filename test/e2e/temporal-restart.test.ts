// A change request waiting for approval survives a restart of the Temporal dev server (same SQLite file):
// after the restart it is still pending, and approving it applies the change.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadConfig } from '../../lib/config.js';
import { createContext, type AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { ensureSandbox } from '../../stack/ensure-sandbox.js';
import { startSync } from '../../services/sync/sync.js';
import { startTemporalDevServer, stopTemporalDevServer } from '../../temporal/dev-server.js';
import { registerSearchAttributes } from '../../temporal/search-attributes.js';
import type { BudgetChangeState } from '../../workflows/budget-change.js';
import { startInProcessWorker, testEnv, waitFor, memberContext } from './harness.js';

const home = path.join(PROJECT_ROOT, '.mbo', `test-restart-${process.pid}`);
let ctx: AppContext | undefined;

afterAll(async () => {
  await ctx?.close();
  await stopTemporalDevServer(home);
  rmSync(home, { recursive: true, force: true });
});

describe('Temporal restart', () => {
  it('loses no pending change request', async () => {
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    const config = loadConfig(testEnv({ MBO_HOME: home, TEMPORAL_ADDRESS: '127.0.0.1:17299', MBO_TEMPORAL_UI_PORT: '18299', MBO_TEMPORAL_DEV: 'true' }));
    await startTemporalDevServer(config);
    ctx = await createContext(config);
    await registerSearchAttributes(await ctx.temporal(), config.temporal.namespace);
    let worker = await startInProcessWorker(ctx);

    const { workspace, accounts } = await ensureSandbox(ctx, {
      workspace: `ws-restart-${process.pid}`,
      prefix: `r${process.pid}`,
      historyDays: 10,
      campaignsPerAccount: 2,
      seed: 3,
      today: '2026-06-01',
      members: [
        ['ana', 'analyst'],
        ['paul', 'approver'],
      ],
    });
    const ana = await memberContext(ctx, workspace.slug, 'ana', 'analyst');
    await (await startSync(ana, { from: '2026-05-25', to: '2026-05-31' })).handle.result();
    const google = accounts.find((a) => a.platform === 'google_ads')!;
    const campaign = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: google.id } });
    const { id: requestId } = await requestChange(ana, {
      reason: 'restart test',
      items: [{ campaign: campaign.externalId, kind: 'budget', toBudget: (Number(campaign.dailyBudget) * 1.1).toFixed(2) }],
    });
    await waitFor(
      'pending',
      async () => (await ctx!.prisma.changeRequest.findUniqueOrThrow({ where: { id: requestId } })).status === 'PENDING_APPROVAL',
      30_000,
    );

    worker.worker.shutdown();
    await worker.done;
    await ctx.close();
    expect(await stopTemporalDevServer(home)).toBe(true);
    const { started } = await startTemporalDevServer(config);
    expect(started).toBe(true);
    ctx = await createContext(config);
    worker = await startInProcessWorker(ctx);

    const handle = (await ctx.temporal()).workflow.getHandle(requestId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await decideChange(await memberContext(ctx, workspace.slug, 'paul', 'approver'), { requestId, approve: true });
    expect(((await handle.result()) as BudgetChangeState).status).toBe('APPLIED');
    worker.worker.shutdown();
    await worker.done;
  });
});
