// Budget changes on the real Temporal dev server and the sandbox: approve applies exactly once, reject and
// expiry apply nothing, four-eyes, stale budgets are never overwritten, saga rollback, worker crash.
import type { ChildProcess } from 'node:child_process';
import type { Worker } from '@temporalio/worker';
import type { Prisma } from '../../db/generated/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startOptimization } from '../../services/optimization/optimization.js';
import { startSync } from '../../services/sync/sync.js';
import type { BudgetChangeState } from '../../workflows/budget-change.js';
import { isolatedSandbox, memberContext, spawnWorkerProcess, startInProcessWorker, testContext, testEnv, waitFor } from './harness.js';

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };
const env = testEnv();

beforeAll(async () => {
  ctx = await testContext(env);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

/** A synced isolated sandbox with an analyst (ana), two approvers (paul, vera) and an optional policy. */
async function setup(policy?: Prisma.InputJsonObject) {
  const s = await isolatedSandbox(ctx);
  const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
  for (const id of ['ana', 'paul', 'vera']) await ctx.prisma.appUser.upsert({ where: { id }, create: { id, displayName: id }, update: {} }); // members are users
  await ctx.prisma.member.createMany({
    data: [
      { workspaceId: ws.id, userId: 'ana', role: 'analyst' },
      { workspaceId: ws.id, userId: 'paul', role: 'approver' },
      { workspaceId: ws.id, userId: 'vera', role: 'approver' },
    ],
  });
  if (policy) await ctx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy } });
  await (await startSync(await member(s.workspace, 'ana'), { from: '2026-05-25', to: '2026-05-31' })).handle.result();
  const google = s.accounts.find((a) => a.platform === 'google_ads')!;
  const campaigns = await ctx.prisma.campaign.findMany({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } });
  return { ...s, google, campaigns };
}

/** A member of the set-up as the actor of a use case (the role stored by setup(); analyst if missing). */
const member = (workspace: string, userId: string) => memberContext(ctx, workspace, userId);
const result = async (id: string) => (await ctx.temporal()).workflow.getHandle(id).result() as Promise<BudgetChangeState>;
const budgetOf = async (accountExt: string, campaignExt: string) =>
  (await ctx.pool.query<{ b: string }>('select daily_budget::text as b from sandbox.campaign where account_id = $1 and id = $2', [accountExt, campaignExt]))
    .rows[0]!.b;
const pending = (id: string) =>
  waitFor('pending approval', async () => (await ctx.prisma.changeRequest.findUnique({ where: { id } }))?.status === 'PENDING_APPROVAL', 30_000);
const bump = (b: { toString(): string }, f: number) => (Math.round(Number(b.toString()) * f * 100) / 100).toFixed(2);
type BudgetItem = { campaign: string; kind: 'budget'; toBudget: string };
/** A budget change request from the CLI (requester ana unless said). */
const request = async (workspace: string, items: BudgetItem[], requestedBy = 'ana', reason = 'test') =>
  requestChange(await member(workspace, requestedBy), { reason, items });
/** A decision by `approver` (a member of the set-up), through the same use case as the doors. */
const decide = async (workspace: string, approver: string, input: { requestId: string; approve: boolean; note?: string }) =>
  decideChange(await member(workspace, approver), input);
/** An item moving a campaign (by its platform id) to `factor` × its budget. */
const move = (c: { externalId: string; dailyBudget: { toString(): string } | null }, factor: number): BudgetItem => ({
  campaign: c.externalId,
  kind: 'budget',
  toBudget: bump(c.dailyBudget!, factor),
});

describe('budget changes', () => {
  beforeAll(async () => {
    worker = await startInProcessWorker(ctx);
  });

  it('applies an approved request exactly once, verified, with a full audit trail', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const [c1, c2] = campaigns;
    const { id: requestId } = await request(
      workspace,
      [move(c1!, 1.2), { ...move(c2!, 0.8), campaign: c2!.id }], // by platform id and by MBO id
      'ana',
      'shift to better performers',
    );
    await pending(requestId);
    await decide(workspace, 'paul', { requestId, approve: true, note: 'ok' });
    const state = await result(requestId);
    expect(state.status).toBe('APPLIED');
    expect(await budgetOf(google.externalId, c1!.externalId)).toBe(`${bump(c1!.dailyBudget!, 1.2)}0000`);
    expect(await sandbox.mutationCount(google.externalId, c1!.externalId)).toBe(1);
    expect(await sandbox.mutationCount(google.externalId, c2!.externalId)).toBe(1);
    const r = await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: requestId }, include: { items: true } });
    expect(r.decidedBy).toBe('paul');
    expect(r.items.every((i) => i.status === 'APPLIED')).toBe(true);
    const audit = await ctx.prisma.auditEvent.findMany({ where: { OR: [{ entityId: requestId }, { workflowId: requestId }] }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'change_request.created',
      'change_request.pending_approval',
      'change_request.approved',
      'change_request.applying',
      'campaign.budget_changed',
      'campaign.budget_changed',
      'change_request.applied',
    ]);
    expect(audit.find((a) => a.action === 'change_request.approved')!.actor).toBe('paul');
  });

  it('applies nothing when rejected, and nothing when nobody decides before the deadline', async () => {
    const { workspace, google, campaigns, sandbox } = await setup({ approvalTtlHours: 6 / 3600, reminderBeforeHours: 3 / 3600 });
    const item = move(campaigns[0]!, 1.1);
    const rejected = await request(workspace, [item]);
    await pending(rejected.id);
    await decide(workspace, 'vera', { requestId: rejected.id, approve: false, note: 'not now' });
    expect((await result(rejected.id)).status).toBe('REJECTED');

    const expired = await request(workspace, [item]);
    expect((await result(expired.id)).status).toBe('EXPIRED');
    expect(await ctx.prisma.auditEvent.count({ where: { entityId: expired.id, action: 'change_request.reminder' } })).toBe(1);
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);
    await expect(decide(workspace, 'vera', { requestId: expired.id, approve: true })).rejects.toThrow(/is expired, not waiting for a decision/);
  });

  it('four-eyes: the requester cannot approve their own request, nor can a non-approver; refusals leave no history', async () => {
    const { workspace, campaigns } = await setup();
    const { id: requestId } = await request(workspace, [move(campaigns[0]!, 1.1)], 'paul');
    await pending(requestId);
    await expect(decide(workspace, 'paul', { requestId, approve: true })).rejects.toThrow(/four-eyes policy: the requester cannot approve their own request/);
    await expect(decide(workspace, 'ana', { requestId, approve: true })).rejects.toThrow(/only approvers may approve or reject change requests/);
    const handle = (await ctx.temporal()).workflow.getHandle(requestId);
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(0);
    await decide(workspace, 'vera', { requestId, approve: true });
    expect((await result(requestId)).status).toBe('APPLIED');
  });

  it('never overwrites a budget someone changed on the platform after the request: asks for re-approval', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const [c1, c2] = campaigns;
    const { id: requestId } = await request(workspace, [move(c1!, 1.2), move(c2!, 1.2)]);
    await pending(requestId);
    await sandbox.mutate(google.externalId, c1!.externalId, 'budget', 'human-in-platform-ui', '777.00'); // a human, in the platform's UI
    await decide(workspace, 'paul', { requestId, approve: true });
    const state = await result(requestId);
    expect(state.status).toBe('NEEDS_REAPPROVAL');
    expect(state.items.map((i) => i.status)).toEqual(['STALE', 'APPLIED']);
    expect(await budgetOf(google.externalId, c1!.externalId)).toBe('777.000000');
    expect(await sandbox.mutationCount(google.externalId, c1!.externalId)).toBe(1); // only the human's
  });

  it('rolls back items 1–2 when item 3 of 5 fails permanently', async () => {
    const { workspace, google, campaigns, sandbox } = await setup({ minBudget: '0.10', maxChangePct: 1 });
    const before = await Promise.all(campaigns.map((c) => budgetOf(google.externalId, c.externalId)));
    const items = campaigns.slice(0, 5).map((c, i) => (i === 2 ? { ...move(c, 1), toBudget: '0.50' } : move(c, 1.1)));
    const { id: requestId } = await request(workspace, items);
    await pending(requestId);
    await decide(workspace, 'paul', { requestId, approve: true });
    const state = await result(requestId);
    expect(state.status).toBe('ROLLED_BACK');
    expect(state.items.map((i) => i.status)).toEqual(['ROLLED_BACK', 'ROLLED_BACK', 'FAILED', 'PENDING', 'PENDING']);
    expect(state.items[2]!.note).toMatch(/invalid daily budget/);
    const after = await Promise.all(campaigns.map((c) => budgetOf(google.externalId, c.externalId)));
    expect(after).toEqual(before);
    expect(await sandbox.mutationCount(google.externalId, campaigns[0]!.externalId)).toBe(2); // applied, reverted
    expect(await sandbox.mutationCount(google.externalId, campaigns[3]!.externalId)).toBe(0);
  });

  it('blocks a request that breaks a guardrail, before anyone can approve it', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const { id: requestId } = await request(workspace, [move(campaigns[0]!, 3)]);
    const state = await result(requestId);
    expect(state.status).toBe('BLOCKED');
    expect(state.violations[0]!.rule).toBe('max_change_pct');
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);
  });
});

describe('budget changes with a worker crash', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('a worker killed between two items is replaced and no item is applied twice', async () => {
    // This test runs its own worker processes on their own task queue (the in-process worker does not poll it).
    const crashEnv = testEnv();
    const crashCtx = await testContext(crashEnv);
    try {
      const { workspace, google, campaigns, sandbox } = await (async () => {
        const s = await isolatedSandbox(crashCtx);
        const ws = await crashCtx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
        await crashCtx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy: { autoApprove: { maxChangePct: 0.5 } } } });
        const w = spawnWorkerProcess(crashEnv);
        children.push(w);
        await (await startSync(await memberContext(crashCtx, s.workspace, 'ana', 'analyst'), { from: '2026-05-25', to: '2026-05-31' })).handle.result();
        w.kill('SIGKILL');
        const google = s.accounts.find((a) => a.platform === 'google_ads')!;
        return { ...s, google, campaigns: await crashCtx.prisma.campaign.findMany({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } }) };
      })();
      await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'slow', count: 100, delayMs: 1500 });
      const first = spawnWorkerProcess(crashEnv);
      children.push(first);
      const { id: requestId } = await requestChange(await memberContext(crashCtx, workspace, 'ana', 'analyst'), {
        reason: 'crash test',
        items: campaigns.slice(0, 3).map((c) => ({ campaign: c.externalId, kind: 'budget' as const, toBudget: bump(c.dailyBudget!, 1.1) })),
      });
      await waitFor('first item applied', async () => (await crashCtx.prisma.changeItem.count({ where: { requestId, status: 'APPLIED' } })) >= 1, 60_000);
      first.kill('SIGKILL');
      const second = spawnWorkerProcess(crashEnv);
      children.push(second);
      const state = (await (await crashCtx.temporal()).workflow.getHandle(requestId).result()) as BudgetChangeState;
      second.kill('SIGTERM');
      expect(state.status).toBe('APPLIED');
      for (const c of campaigns.slice(0, 3)) expect(await sandbox.mutationCount(google.externalId, c.externalId)).toBe(1);
    } finally {
      await crashCtx.close();
    }
  });
});

describe('optimization workflow', () => {
  it('syncs, plans with the core optimizer, stores the run and opens a change request that applies once approved', async () => {
    const w = await startInProcessWorker(ctx);
    try {
      const { workspace, google, sandbox } = await setup();
      const ana = await member(workspace, 'ana');
      const dry = await startOptimization(ana, { account: google.externalId, dryRun: true, sync: false });
      const dryResult = await dry.handle.result();
      expect(dryResult.changeRequest).toBeUndefined();
      // 20% more money to plan: moves are certain, whatever the model makes of the sandbox's histories.
      const dryRun = await ctx.prisma.optimizationRun.findUniqueOrThrow({ where: { id: dryResult.runId } });
      const totalBudget = ((dryRun.result as { totalDailyBudget: number }).totalDailyBudget * 1.2).toFixed(2);
      const started = await startOptimization(ana, { account: google.id, sync: true, totalBudget });
      const r = await started.handle.result();
      const run = await ctx.prisma.optimizationRun.findUniqueOrThrow({ where: { id: r.runId } });
      expect((run.result as { allocations: unknown[] }).allocations).toHaveLength(5);
      expect(r.moves).toBeGreaterThan(0);
      const requestId = r.changeRequest!.requestId;
      expect(run.changeRequestId).toBe(requestId);
      await pending(requestId);
      await decide(workspace, 'paul', { requestId, approve: true });
      expect((await result(requestId)).status).toBe('APPLIED');
      expect(await sandbox.mutationCount(google.externalId)).toBe(r.moves);
      await expect(startOptimization(ana, { account: 'nope' })).rejects.toThrow(/no account "nope"/);
      await expect(startOptimization(ana, { account: google.id, totalBudget: '-5' })).rejects.toThrow(/totalBudget: "-5" is not an amount/);
    } finally {
      w.worker.shutdown();
      await w.done;
    }
  });
});
