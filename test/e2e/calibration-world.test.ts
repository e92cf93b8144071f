// bench/calibration (the reproduction of the interval calibration, issue 12) simulates sandbox worlds in memory
// instead of going through the store: this checks that its world is exactly what SandboxPlatform.setup and a sync
// store (same active campaigns, budgets and daily histories, as db/campaign-history.ts reads them back) and that
// core/optimizer/peer-models.ts on it gives the models the forecast/what-if use cases build (loadScope).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sandboxWorld } from '../../bench/calibration/world.js';
import { predictConversions } from '../../core/optimizer/model.js';
import { peerModels } from '../../core/optimizer/peer-models.js';
import { campaignsWithHistory } from '../../db/campaign-history.js';
import type { AppContext } from '../../services/context.js';
import { loadScope } from '../../services/forecasts/scope-models.js';
import { startSync } from '../../services/sync/sync.js';
import { apiContext } from './api-harness.js';
import { isolatedSandbox, memberContext, startInProcessWorker } from './harness.js';

let ctx: AppContext;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;
beforeAll(async () => {
  ctx = await apiContext();
  worker = await startInProcessWorker(ctx);
}, 120_000);
afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

it('the calibration bench’s in-memory sandbox world is the synced one, and fits to the same models', async () => {
  const s = await isolatedSandbox(ctx, { historyDays: 120, campaignsPerAccount: 10 });
  const admin = await memberContext(ctx, s.workspace, `ada-${s.workspace.slice(3)}`, 'admin');
  await (await startSync(admin, { from: '2026-02-01', to: '2026-05-31' })).handle.result();
  const prefix = s.accounts[0]!.externalId.split('-')[0]!;
  const sim = sandboxWorld({ seed: 7, historyDays: 120, today: '2026-06-01', prefix, perAccount: 10 });
  const stored = await campaignsWithHistory(ctx.pool, admin.actor.workspaceId, { historyDays: 120 });
  expect(stored.map((c) => c.externalId).sort()).toEqual(sim.map((c) => c.id).sort());
  for (const c of stored) {
    const m = sim.find((x) => x.id === c.externalId)!;
    expect(Number(c.dailyBudget)).toBe(m.dailyBudget);
    expect(c.history).toEqual(m.history);
  }
  const scope = await loadScope(admin, {});
  const modelOf = peerModels(sim);
  let n = 0;
  for (const c of scope.campaigns) {
    const a = predictConversions(c.model!, Number(c.dailyBudget) * 1.5);
    const b = predictConversions(modelOf(c.externalId)!, Number(c.dailyBudget) * 1.5);
    expect(a.mean).toBeCloseTo(b.mean, 9);
    expect(a.sd).toBeCloseTo(b.sd, 9);
    n++;
  }
  expect(n).toBe(38);
}, 300_000);
