// Workspace-wide optimization on the running stack (real Temporal, Postgres, the sandbox's four platforms, the
// API in process): one plan moves budget across platforms and opens one change request per account, grouped by
// the plan; the plan is decided per account and as a whole through decide-change (four-eyes, roles); the applied
// plan's realised outcome appears next to the predicted one once sandbox days have passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import { startSync } from '../../services/sync/sync.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiWorld, call, expectProblem, statusIs, userOf, type ApiWorld } from './api-harness.js';
import { memberContext, startInProcessWorker } from './harness.js';

let ctx: AppContext;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;
let app: ApiApp;
let w: ApiWorld;
let google: { id: string; externalId: string }[];

beforeAll(async () => {
  ctx = await apiContext();
  worker = await startInProcessWorker(ctx);
  app = apiFor(ctx);
  w = await apiWorld(ctx, { sync: false });
  // Thirty days of history (the sandbox's budgets moved in two-week blocks): enough to fit curves.
  const admin = await memberContext(ctx, w.workspace, userOf(w, 'admin'), 'admin');
  await (await startSync(admin, { from: '2026-05-02', to: '2026-05-31' })).handle.result();
  const account = w.accounts.find((a) => a.platform === 'google_ads')!;
  google = await ctx.prisma.campaign.findMany({ where: { accountId: account.id, status: 'ACTIVE' }, orderBy: { externalId: 'asc' } });
}, 240_000);

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

const finish = async (workflowId: string) => (await ctx.temporal()).workflow.getHandle(workflowId).result();

describe('workspace-wide optimization', () => {
  it('a dry run honours share bounds and locked campaigns, and opens no request; viewers cannot start one', async () => {
    expectProblem(await call(app, 'POST', '/api/v1/optimization-plans', { key: w.keys.viewer, body: { sync: false } }), 403, 'FORBIDDEN');
    expectProblem(
      await call(app, 'POST', '/api/v1/optimization-plans', {
        key: w.keys.analyst,
        body: { sync: false, platforms: ['meta'], bounds: { tiktok: { max: 0.2 } } },
      }),
      422,
      'VALIDATION',
      /tiktok/,
    );
    expectProblem(await call(app, 'POST', '/api/v1/optimization-plans', { key: w.keys.analyst, body: { sync: false, locked: ['nope'] } }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'POST', '/api/v1/optimization-plans', { key: w.keys.analyst, body: { risk: -1 } }), 400, 'INVALID_INPUT');

    const lockedCampaign = google[0]!;
    const res = await call(app, 'POST', '/api/v1/optimization-plans', {
      key: w.keys.analyst,
      body: { sync: false, dryRun: true, objective: 'profit', margin: 0.6, risk: 0.2, bounds: { linkedin: { max: 0.1 } }, locked: [lockedCampaign.externalId] },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ reportCurrency: 'USD', objective: 'profit', margin: 0.6 });
    expect(res.body.accounts).toHaveLength(4);
    const out = await finish(res.body.workflowId);
    expect(out.requests).toEqual([]);
    const plan = (await call(app, 'GET', `/api/v1/optimization-plans/${out.planId}`, { key: w.keys.viewer })).body;
    expect(plan).toMatchObject({ dryRun: true, objective: 'profit', margin: 0.6, reportCurrency: 'USD' });
    expect(plan.platforms.find((p: { platform: string }) => p.platform === 'linkedin').plannedShare).toBeLessThanOrEqual(0.1 + 0.001);
    const held = plan.campaigns.find((c: { campaignId: string }) => c.campaignId === lockedCampaign.id);
    expect(held).toMatchObject({ locked: true, from: held.to });
    expect(plan.outcome.status).toBe('not-applied');
  });

  it('a plan moves budget across platforms, opens one request per account (grouped), decided per account and as a whole', async () => {
    // Started by an approver, so four-eyes keeps them from deciding it.
    const res = await call(app, 'POST', '/api/v1/optimization-plans', { key: w.keys.approver, body: { sync: false, risk: 0.2 } });
    expect(res.status, res.text).toBe(202);
    const out = await finish(res.body.workflowId);
    expect(out.moves).toBeGreaterThan(0);
    const opened = out.requests.filter((r: { requestId?: string }) => r.requestId);
    expect(opened.length, JSON.stringify(out.requests)).toBeGreaterThanOrEqual(2);
    expect(new Set(opened.map((r: { accountId: string }) => r.accountId)).size).toBe(opened.length); // one per account
    for (const r of opened) {
      await statusIs(ctx, r.requestId, 'PENDING_APPROVAL');
      const cr = await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.requestId } });
      expect(cr).toMatchObject({ source: 'optimizer', accountId: r.accountId, requestedBy: userOf(w, 'approver') });
      expect(cr.reason).toContain(`plan ${out.planId}`);
    }

    const plan = (await call(app, 'GET', `/api/v1/optimization-plans/${out.planId}`, { key: w.keys.viewer })).body;
    const shift = plan.platforms.reduce((s: number, p: { currentShare: number; plannedShare: number }) => s + Math.abs(p.plannedShare - p.currentShare), 0);
    expect(shift, JSON.stringify(plan.platforms)).toBeGreaterThan(0.02); // budget moved between platforms
    expect(Number(plan.expected.value)).toBeGreaterThan(Number(plan.expected.atCurrent));
    expect(plan.expected.low).toBeLessThan(plan.expected.value);
    for (const c of plan.campaigns) expect(c).toMatchObject({ from: expect.stringMatching(/^\d+\.\d{2}$/), to: expect.stringMatching(/^\d+\.\d{2}$/) });
    const list = (await call(app, 'GET', '/api/v1/optimization-plans', { key: w.keys.viewer })).body;
    expect(list.items.map((p: { id: string }) => p.id)).toContain(out.planId);

    const decide = (key: string, body: unknown) => call(app, 'POST', `/api/v1/optimization-plans/${out.planId}/decision`, { key, body });
    expectProblem(await decide(w.keys.analyst, { approve: true }), 403, 'FORBIDDEN');
    expectProblem(await decide(w.keys.approver, { approve: true }), 409, 'CONFLICT', /four-eyes/);
    for (const r of opened) expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.requestId } })).status).toBe('PENDING_APPROVAL');

    // Per account: only the first account's request.
    const [first, ...rest] = opened;
    const one = await decide(w.keys.approver2, { approve: true, accounts: [first.accountId], note: 'first account' });
    expect(one.status, one.text).toBe(200);
    expect(one.body.outcomes).toEqual([expect.objectContaining({ accountId: first.accountId, outcome: 'approved' })]);
    for (const r of rest) expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.requestId } })).status).toBe('PENDING_APPROVAL');

    // As a whole: the rest are approved; the one already decided is reported as refused, not decided twice.
    const all = await decide(w.keys.approver2, { approve: true });
    expect(all.status, all.text).toBe(200);
    for (const r of rest) expect(all.body.outcomes).toContainEqual(expect.objectContaining({ requestId: r.requestId, outcome: 'approved' }));
    expect(all.body.outcomes).toContainEqual(expect.objectContaining({ requestId: first.requestId, outcome: 'refused' }));
    for (const r of opened) await statusIs(ctx, r.requestId, 'APPLIED', 60_000);

    const applied = (await call(app, 'GET', `/api/v1/optimization-plans/${out.planId}`, { key: w.keys.viewer })).body;
    for (const a of applied.accounts.filter((a: { requestId: string | null }) => a.requestId))
      expect(a).toMatchObject({ status: 'APPLIED', decidedBy: userOf(w, 'approver2') });
    expect(applied.outcome.status).toBe('waiting');

    // Four sandbox days later (synced), the realised outcome sits next to the predicted one.
    const admin = await memberContext(ctx, w.workspace, userOf(w, 'admin'), 'admin');
    for (const a of w.accounts) await w.sandbox.advance(4, a.externalId);
    await (await startSync(admin, { from: '2026-06-01', to: '2026-06-04' })).handle.result();
    const later = (await call(app, 'GET', `/api/v1/optimization-plans/${out.planId}`, { key: w.keys.viewer })).body;
    expect(later.outcome).toMatchObject({ status: 'partial', days: 3, appliedOn: '2026-06-01' });
    expect(later.outcome.realisedPerDay).toBeGreaterThan(0);
    expect(later.outcome.predictedPerDay.low).toBeLessThan(later.outcome.predictedPerDay.high);

    expectProblem(await call(app, 'GET', '/api/v1/optimization-plans/00000000-0000-4000-8000-000000000000', { key: w.keys.viewer }), 404, 'NOT_FOUND');
  });
});
