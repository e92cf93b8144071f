// Approval integrity (issue 11) on the real Temporal dev server, Postgres and the sandbox: guardrails hold at the
// moment money moves, what was approved is exactly what is applied, a request runs once, the first decision wins,
// emergencies need a policy and a role, a failed compensation is recorded, and one bad rule stops nothing.
// Requests are stored and their workflows started here directly (db/change-requests.ts + the Temporal client), and
// decisions sent as Updates through the Temporal client, as an attacker with access to either would.
import pg from 'pg';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBudgetChangeActivities } from '../../activities/budget-change.js';
import type { Prisma } from '../../db/generated/client.js';
import { createChangeRequest } from '../../db/change-requests.js';
import { safeText } from '../../core/text.js';
import type { AppContext } from '../../services/context.js';
import {
  BUDGET_CHANGE_WORKFLOW,
  changeSearchAttributes,
  changeStateQuery,
  decideUpdate,
  type BudgetChangeState,
  type BudgetChangeWorkflowType,
} from '../../workflows/budget-change.contract.js';
import type { RulesResult, RulesWorkflowType } from '../../workflows/rules.contract.js';
import type { SyncAllWorkflowType } from '../../workflows/sync.contract.js';
import { isolatedSandbox, startInProcessWorker, testContext, testEnv, waitFor } from './harness.js';

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };
const env = testEnv();

beforeAll(async () => {
  ctx = await testContext(env);
  worker = await startInProcessWorker(ctx);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

const client = () => ctx.temporal();
const taskQueue = () => ctx.config.temporal.taskQueue;

async function sync(workspace: string, from = '2026-05-25', to = '2026-05-31') {
  const id = `sync-${workspace}-${Date.now()}`;
  await (
    await client()
  ).workflow.execute<SyncAllWorkflowType>('SyncAllWorkflow', {
    workflowId: id,
    taskQueue: taskQueue(),
    args: [{ workspace, range: { from, to }, backfillDays: 30, lookbackDays: 3 }],
  });
  return id;
}

/** A synced isolated sandbox with ana (analyst), paul and vera (approvers), ada (admin); an optional policy. */
async function setup(policy?: Prisma.InputJsonObject) {
  const s = await isolatedSandbox(ctx);
  const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
  for (const [userId, role] of [
    ['ana', 'analyst'],
    ['paul', 'approver'],
    ['vera', 'approver'],
    ['ada', 'admin'],
  ] as const) {
    await ctx.prisma.appUser.upsert({ where: { id: userId }, create: { id: userId, displayName: userId }, update: {} });
    await ctx.prisma.member.create({ data: { workspaceId: ws.id, userId, role } });
  }
  if (policy) await ctx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy } });
  await sync(s.workspace);
  const google = s.accounts.find((a) => a.platform === 'google_ads')!;
  const campaigns = await ctx.prisma.campaign.findMany({
    where: { accountId: google.id, status: 'ACTIVE', dailyBudget: { not: null } },
    orderBy: { externalId: 'asc' },
  });
  return { ...s, ws, google, campaigns };
}

type Item = { campaign: string; kind: 'budget' | 'pause' | 'resume'; toBudget?: string };
/** Stores a request and starts its workflow (id = request id, never reused). */
async function open(workspace: string, items: Item[], requestedBy = 'ana', extra: { emergency?: boolean } = {}) {
  const ref = await createChangeRequest(ctx, { workspace, requestedBy, source: 'cli', reason: 'test', items, ...extra });
  await (
    await client()
  ).workflow.start<BudgetChangeWorkflowType>(BUDGET_CHANGE_WORKFLOW, {
    workflowId: ref.requestId,
    taskQueue: taskQueue(),
    args: [{ requestId: ref.requestId }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: changeSearchAttributes(ref),
  });
  return ref.requestId;
}
const handle = async (id: string) => (await client()).workflow.getHandle(id);
/** A decision as an Update through the Temporal client; a refusal rejects with the validator's own message. */
const decide = async (id: string, approver: string, approve: boolean, fingerprint?: string) =>
  (await handle(id)).executeUpdate(decideUpdate, { args: [{ approver, approve, fingerprint }] }).catch((e: Error & { cause?: Error }) => {
    throw e.cause ?? e;
  });
const result = async (id: string) => (await handle(id)).result() as Promise<BudgetChangeState>;
const stored = (id: string) => ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { seq: 'asc' } } } });
const pending = (id: string) => waitFor('pending approval', async () => (await stored(id)).status === 'PENDING_APPROVAL', 30_000);
const budget = (c: { externalId: string; dailyBudget: { toString(): string } | null }, plus: number): Item => ({
  campaign: c.externalId,
  kind: 'budget',
  toBudget: (Number(c.dailyBudget!.toString()) + plus).toFixed(2),
});
const audit = (id: string) => ctx.prisma.auditEvent.findMany({ where: { OR: [{ entityId: id }, { workflowId: id }] }, orderBy: { id: 'asc' } });

/** A superuser connection to the test database (the admin server's credentials, the scratch database's name). */
async function asSuperuser<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = new URL(inject('databaseUrl')).pathname;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('approval integrity', () => {
  it('re-checks the spend cap at apply time: of two requests approved at once that together break it, one applies, the other is BLOCKED (finding 1)', async () => {
    const { workspace, ws, google, campaigns, sandbox } = await setup();
    const all = await ctx.prisma.campaign.findMany({ where: { accountId: google.id, status: 'ACTIVE', dailyBudget: { not: null } } });
    const total = all.reduce((s, c) => s + Number(c.dailyBudget!.toString()), 0);
    const cap = (total + 100).toFixed(2);
    await ctx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy: { dailySpendCap: cap, maxChangePct: 5 } } });
    const [c1, c2] = campaigns;
    const r1 = await open(workspace, [budget(c1!, 80)]);
    const r2 = await open(workspace, [budget(c2!, 80)]);
    await Promise.all([pending(r1), pending(r2)]); // each alone is within the cap
    await Promise.all([decide(r1, 'paul', true), decide(r2, 'vera', true)]);
    const states = await Promise.all([result(r1), result(r2)]);
    expect(states.map((s) => s.status).sort()).toEqual(['APPLIED', 'BLOCKED']);
    const blocked = states.find((s) => s.status === 'BLOCKED')!;
    expect(blocked.violations.map((v) => v.rule)).toEqual(['daily_spend_cap']);
    const blockedId = states[0] === blocked ? r1 : r2;
    expect((await stored(blockedId)).outcome).toMatch(/guardrails no longer hold at apply time: account daily budgets would total .* above the cap/);
    const event = (await audit(blockedId)).find((a) => a.action === 'change_request.blocked')!;
    expect(event.details).toMatchObject({ atApply: true });
    expect(await sandbox.mutationCount(google.externalId)).toBe(1);
    const { rows } = await ctx.pool.query<{ t: string }>(
      `select sum(daily_budget)::text as t from sandbox.campaign where account_id = $1 and status = 'ACTIVE'`,
      [google.externalId],
    );
    expect(Number(rows[0]!.t)).toBeLessThanOrEqual(Number(cap));
  });

  it('re-checks the daily change count and the learning phase at apply time (finding 1)', async () => {
    const { workspace, ws, google, campaigns, sandbox } = await setup({ maxChangesPerDay: 1, maxChangePct: 5 });
    const [c1, c2, c3] = campaigns;
    const a = await open(workspace, [budget(c1!, 5)]);
    const b = await open(workspace, [budget(c2!, 5)]);
    await Promise.all([pending(a), pending(b)]);
    await decide(a, 'paul', true);
    expect((await result(a)).status).toBe('APPLIED');
    await decide(b, 'paul', true);
    const sb = await result(b);
    expect(sb.status).toBe('BLOCKED');
    expect(sb.violations[0]!.rule).toBe('max_changes_per_day');

    await ctx.prisma.guardrailSetting.updateMany({
      where: { workspaceId: ws.id, accountId: null },
      data: { policy: { maxChangesPerDay: 50, maxChangePct: 5, learningPhaseDays: 2 } },
    });
    const c = await open(workspace, [budget(c3!, 5)]);
    const d = await open(workspace, [budget(c3!, 10)]);
    await Promise.all([pending(c), pending(d)]);
    await decide(c, 'paul', true);
    expect((await result(c)).status).toBe('APPLIED');
    await decide(d, 'paul', true);
    const sd = await result(d);
    expect(sd.status).toBe('BLOCKED');
    expect(sd.violations[0]!.rule).toBe('learning_phase');
    expect(await sandbox.mutationCount(google.externalId)).toBe(2);
  });

  it('binds the approval to the content: an item edited in the database is refused at apply and recorded (finding 2)', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const c1 = campaigns[0]!;
    const before = c1.dailyBudget!.toString();
    const id = await open(workspace, [budget(c1, 10)]);
    await pending(id);
    const state = await (await handle(id)).query(changeStateQuery);
    expect(state.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await stored(id)).fingerprint).toBe(state.fingerprint);

    // The application's own connection cannot change an item's content (trigger), nor a request's requester.
    await expect(ctx.pool.query(`update change_item set to_budget = 9000 where request_id = $1`, [id])).rejects.toThrow(/content .* is immutable/);
    await expect(ctx.pool.query(`update change_request set requested_by = 'paul' where id = $1`, [id])).rejects.toThrow(/immutable/);
    // A superuser who switches triggers off can: the fingerprint no longer matches.
    await asSuperuser(async (c) => {
      await c.query('begin');
      await c.query('set local session_replication_role = replica');
      await c.query(`update change_item set to_budget = 9000 where request_id = $1`, [id]);
      await c.query('commit');
    });
    // A decision bound to another fingerprint than the evaluated one is refused; one bound to it is accepted.
    await expect(decide(id, 'paul', true, '0'.repeat(64))).rejects.toThrow(/not the one you looked at/);
    await decide(id, 'paul', true, state.fingerprint);
    const final = await result(id);
    expect(final.status).toBe('FAILED');
    expect(final.note).toMatch(/content changed after it was evaluated/);
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);
    expect((await ctx.prisma.campaign.findUniqueOrThrow({ where: { id: c1.id } })).dailyBudget!.toString()).toBe(before);
    const events = (await audit(id)).map((a) => a.action);
    expect(events).toContain('change_request.fingerprint_mismatch');
    expect(events).not.toContain('change_request.applying');
  });

  it('runs a request once: a closed request started again is refused, four-eyes uses the stored requester, transitions are checked (finding 3)', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const [c1, c2] = campaigns;
    const id = await open(workspace, [budget(c1!, 10)], 'ana');
    await pending(id);
    await decide(id, 'vera', false);
    expect((await result(id)).status).toBe('REJECTED');

    // Started again with our policy: Temporal refuses the id.
    const again = (policy: WorkflowIdReusePolicy, requestedBy: string) =>
      client().then((c) =>
        c.workflow.start<BudgetChangeWorkflowType>(BUDGET_CHANGE_WORKFLOW, {
          workflowId: id,
          taskQueue: taskQueue(),
          args: [{ requestId: id, requestedBy }],
          workflowIdReusePolicy: policy,
        }),
      );
    await expect(again(WorkflowIdReusePolicy.REJECT_DUPLICATE, 'ana')).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    // Started again by someone who allows reuse, claiming another requester: the workflow refuses to proceed.
    const rerun = await again(WorkflowIdReusePolicy.ALLOW_DUPLICATE, 'mallory');
    await expect(rerun.result()).rejects.toThrow();
    const desc = await rerun.describe();
    expect(desc.status.name).toBe('FAILED');
    expect((await stored(id)).status).toBe('REJECTED');
    expect((await audit(id)).map((a) => a.action)).toContain('change_request.rerun_refused');
    await expect(decide(id, 'paul', true)).rejects.toThrow();
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);

    // Four-eyes compares with the stored requester, whatever the workflow input says.
    const ref = await createChangeRequest(ctx, { workspace, requestedBy: 'paul', source: 'cli', reason: 'test', items: [budget(c2!, 10)] });
    await (
      await client()
    ).workflow.start<BudgetChangeWorkflowType>(BUDGET_CHANGE_WORKFLOW, {
      workflowId: ref.requestId,
      taskQueue: taskQueue(),
      args: [{ requestId: ref.requestId, requestedBy: 'ana' }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    await pending(ref.requestId);
    await expect(decide(ref.requestId, 'paul', true)).rejects.toThrow(/four-eyes policy: the requester \(paul\)/);

    // The transition table and the item status are enforced below the workflow too.
    const acts = createBudgetChangeActivities({ pool: ctx.pool, prisma: ctx.prisma });
    await expect(acts.transitionChangeRequest({ requestId: id, to: 'APPLYING', workflowId: 'x' })).rejects.toMatchObject({ type: 'IllegalTransition' });
    await expect(acts.transitionChangeRequest({ requestId: id, to: 'PENDING_APPROVAL', workflowId: 'x' })).rejects.toThrow(
      /REJECTED; it cannot become PENDING_APPROVAL/,
    );
    const item = (await stored(id)).items[0]!;
    await ctx.pool.query(`update change_item set status = 'ROLLED_BACK' where id = $1`, [item.id]);
    await expect(acts.applyChangeItem({ requestId: id, itemId: item.id, workflowId: 'x' })).rejects.toMatchObject({ type: 'ItemNotPending' });
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);
  });

  it('the first decision wins: approve and reject sent at the same moment, exactly one is accepted (finding 4)', async () => {
    const { workspace, campaigns } = await setup();
    const id = await open(workspace, [budget(campaigns[0]!, 10)]);
    await pending(id);
    const [approve, reject] = await Promise.allSettled([decide(id, 'paul', true), decide(id, 'vera', false)]);
    const outcomes = [approve, reject].map((r) => r.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [approve, reject].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as Error).message).toMatch(/already decided: (approved by paul|rejected by vera) .*; the first decision stands/);
    const accepted = (approve.status === 'fulfilled' ? approve : reject) as PromiseFulfilledResult<BudgetChangeState>;
    // Answered once the decision is recorded; an approval's first step also begins the apply (one activity since
    // the throughput work), so an accepted approval may already read APPLYING.
    expect(['APPROVED', 'APPLYING', 'REJECTED']).toContain(accepted.value.status);
    const final = await result(id);
    expect(final.status).toBe(approve.status === 'fulfilled' ? 'APPLIED' : 'REJECTED');
    const history = await (await handle(id)).fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(1);
    const decisions = (await audit(id)).filter((a) => a.action === 'change_request.approved' || a.action === 'change_request.rejected');
    expect(decisions).toHaveLength(1);
  });

  it('auto-approves an emergency pause only when the policy switches it on and the requester may declare it (finding 5)', async () => {
    const { workspace, ws, google, campaigns, sandbox } = await setup();
    const [c1, c2, c3] = campaigns;
    const pause = (c: { externalId: string }): Item => ({ campaign: c.externalId, kind: 'pause' });
    const byDefault = await open(workspace, [pause(c1!)], 'ada', { emergency: true }); // an admin, default policy: off
    await pending(byDefault);
    await ctx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy: { autoApprove: { emergencyPause: true } } } });
    const analyst = await open(workspace, [pause(c2!)], 'ana', { emergency: true });
    await pending(analyst);
    expect(JSON.stringify((await stored(analyst)).guardrails)).toMatch(/role \(analyst\) may not skip approval/);
    const approver = await open(workspace, [pause(c3!)], 'paul', { emergency: true });
    expect((await result(approver)).status).toBe('APPLIED');
    expect(await sandbox.mutationCount(google.externalId, c3!.externalId)).toBe(1);
    expect(await sandbox.mutationCount(google.externalId, c2!.externalId)).toBe(0);
    expect(await sandbox.mutationCount(google.externalId, c1!.externalId)).toBe(0);
  });

  it('records a compensation that fails during rollback: PARTIALLY_APPLIED naming what stays applied, never left APPLYING', async () => {
    const { workspace, google, campaigns, sandbox } = await setup({ maxChangePct: 1 });
    // The first two budget mutations go through; every later one (item 3, and the reverts) fails as expired auth.
    await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'slow', count: 2, delayMs: 1 });
    await sandbox.injectFault({ accountId: google.externalId, operation: 'mutate', kind: 'auth_expired', count: 100 });
    const id = await open(
      workspace,
      campaigns.slice(0, 4).map((c) => budget(c, 1)),
    );
    await pending(id);
    await decide(id, 'paul', true);
    const final = await result(id);
    expect(final.status).toBe('PARTIALLY_APPLIED');
    expect(final.items.map((i) => i.status)).toEqual(['APPLIED', 'APPLIED', 'FAILED', 'PENDING']);
    expect(final.items[0]!.note).toMatch(/could not be reverted/);
    const r = await stored(id);
    expect(r.status).toBe('PARTIALLY_APPLIED');
    expect(r.outcome).toMatch(/rollback incomplete: item\(s\) 2, 1 could not be reverted and stay applied/);
    const event = (await audit(id)).find((a) => a.action === 'change_request.partially_applied')!;
    expect((event.details as { notReverted: { seq: number }[] }).notReverted.map((n) => n.seq)).toEqual([1, 0]);
  });
});

describe('rules: one bad rule stops nothing', () => {
  it('records and alerts a bad rule and a failing firing, runs the others, leaves no orphan request, and does not duplicate pending requests (findings 6, 9, 10)', async () => {
    const { workspace, ws, accounts } = await (async () => {
      const s = await isolatedSandbox(ctx);
      return { ...s, ws: await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } }) };
    })();
    const meta = accounts.find((a) => a.platform === 'meta')!;
    // One meta campaign's budget is so large that +10% is beyond the largest daily budget: its firing must fail alone.
    const { rows: huge } = await ctx.pool.query<{ id: string }>(
      `update sandbox.campaign set daily_budget = 999999999990 where id = (select id from sandbox.campaign where account_id = $1 and status = 'ACTIVE' order by id limit 1) returning id`,
      [meta.externalId],
    );
    const cond = { all: [{ metric: 'spend', days: 7, op: '>', value: 0 }] };
    const rule = (name: string, action: object, platforms: string[], cooldownHours = 24) =>
      ctx.prisma.rule.create({
        data: {
          workspaceId: ws.id,
          name,
          condition: 'spend(7d) > 0',
          action: JSON.stringify(action),
          createdBy: 'ana',
          definition: { scope: { platforms }, condition: cond, action, cooldownHours, requiresApproval: true } as Prisma.InputJsonObject,
        },
      });
    // Stored before validation existed: a budget of 0 (named with a terminal escape), and a cooldown of 0.
    await rule('zero\u001b[8m budget', { type: 'budget_to', amount: '0' }, ['google_ads']);
    await rule('no cooldown', { type: 'alert' }, ['tiktok'], 0);
    await rule('boost meta', { type: 'budget_pct', pct: 0.1 }, ['meta']);

    const runRules = async () => {
      const syncId = await sync(workspace, '2026-05-18', '2026-05-31');
      const h = (await client()).workflow.getHandle<RulesWorkflowType>(`${syncId}/rules`);
      await waitFor('rules workflow', async () => (await h.describe().catch(() => undefined)) !== undefined, 30_000);
      return { result: (await h.result()) as RulesResult, status: (await h.describe()).status.name };
    };
    const first = await runRules();
    expect(first.status).toBe('COMPLETED');
    const activeMeta = await ctx.prisma.campaign.count({ where: { accountId: meta.id, status: 'ACTIVE' } });
    expect(first.result.changeRequests).toHaveLength(activeMeta - 1); // every meta campaign but the huge one
    expect(first.result.failures.map((f) => f.rule).sort()).toEqual(['boost meta', 'no cooldown', 'zero budget'].sort());
    expect(first.result.failures.find((f) => f.rule === 'boost meta')!.error).toMatch(/larger than the largest daily budget/);
    expect(first.result.failures.find((f) => f.rule === 'no cooldown')!.error).toMatch(/cooldown: 1 to 2160 hours/);
    expect(first.result.failures.find((f) => f.rule.startsWith('zero'))!.error).toMatch(/budget to 0/);
    const hugeCampaign = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: meta.id, externalId: huge[0]!.id } });
    // Each failure is an alert, without control characters; no firing (no cooldown) for what did not act.
    const failureAlerts = await ctx.prisma.alert.findMany({ where: { workspaceId: ws.id, kind: 'rule', severity: 'critical' } });
    expect(failureAlerts).toHaveLength(3);
    expect(failureAlerts.every((a) => safeText(a.message) === a.message)).toBe(true);
    expect(await ctx.prisma.ruleFiring.count({ where: { campaignId: hugeCampaign.id } })).toBe(0);
    // Every request has its workflow: none stays EVALUATING.
    await waitFor(
      'requests evaluated',
      async () => (await ctx.prisma.changeRequest.count({ where: { workspaceId: ws.id, status: 'EVALUATING' } })) === 0,
      30_000,
    );
    expect(await ctx.prisma.changeRequest.count({ where: { workspaceId: ws.id, status: 'PENDING_APPROVAL' } })).toBe(activeMeta - 1);

    // A second rule asking for the very same change: identical pending requests are not duplicated.
    await rule('boost meta again', { type: 'budget_pct', pct: 0.1 }, ['meta']);
    const second = await runRules();
    expect(second.status).toBe('COMPLETED');
    expect(second.result.changeRequests).toEqual([]);
    expect(await ctx.prisma.changeRequest.count({ where: { workspaceId: ws.id } })).toBe(activeMeta - 1);
  });
});
