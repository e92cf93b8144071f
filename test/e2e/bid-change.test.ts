// Bid-target changes on the real Temporal dev server and the sandbox, through the one door (issue 13, "Bid
// adjustments"): a request "by +N %" resolved against the synced target, approved, applied exactly once, read back
// and audited — after which the sandbox spends more of the budget at dearer impressions; the platform's bound and the
// door's checks refuse what would break a strategy; a target changed on the platform after approval is never
// overwritten; a failing item rolls a bid back; a rule "bid +10%" opens bid requests after a sync; and a live Google
// Ads account (the loopback fake behind its real connector) gets its target CPA moved through the same path.
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { rateLimitCleared } from '../../connectors/http.js';
import { proposeBidTarget } from '../../core/bid-change.js';
import { addDays, todayIn } from '../../core/dates.js';
import type { Prisma } from '../../db/generated/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { connectAccount } from '../../services/accounts/connect-account.js';
import { addRule } from '../../services/rules/rules.js';
import { startSync } from '../../services/sync/sync.js';
import type { BudgetChangeState } from '../../workflows/budget-change.js';
import type { RulesResult } from '../../workflows/rules.js';
import { isolatedSandbox, memberContext, startInProcessWorker, testContext, waitFor } from './harness.js';
import { GOOGLE_CUSTOMER, startPlatformFakes, type PlatformFakes } from './platform-fakes.js';

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };
let fakes: PlatformFakes | undefined;

beforeAll(async () => {
  // Sealed credentials for the live Google Ads account of the last case.
  ctx = await testContext({ MBO_SECRET_KEY: randomBytes(32).toString('base64'), MBO_SYNC_BACKFILL_DAYS: '14' });
  worker = await startInProcessWorker(ctx);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await fakes?.close();
  await ctx?.close();
});

/** A synced isolated sandbox with an analyst (ana), an approver (paul) and an optional policy. */
async function setup(policy?: Prisma.InputJsonObject) {
  const s = await isolatedSandbox(ctx);
  const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
  for (const id of ['ana', 'paul']) await ctx.prisma.appUser.upsert({ where: { id }, create: { id, displayName: id }, update: {} });
  await ctx.prisma.member.createMany({
    data: [
      { workspaceId: ws.id, userId: 'ana', role: 'analyst' },
      { workspaceId: ws.id, userId: 'paul', role: 'approver' },
    ],
  });
  if (policy) await ctx.prisma.guardrailSetting.create({ data: { workspaceId: ws.id, policy } });
  const sync = await startSync(await member(s.workspace, 'ana'), { from: '2026-05-18', to: '2026-05-31' });
  await sync.handle.result();
  const google = s.accounts.find((a) => a.platform === 'google_ads')!;
  const campaigns = await ctx.prisma.campaign.findMany({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } });
  return { ...s, google, campaigns, syncWorkflowId: sync.workflowId };
}

const member = (workspace: string, userId: string) => memberContext(ctx, workspace, userId);
const result = async (id: string) => (await ctx.temporal()).workflow.getHandle(id).result() as Promise<BudgetChangeState>;
const pending = (id: string) =>
  waitFor('pending approval', async () => (await ctx.prisma.changeRequest.findUnique({ where: { id } }))?.status === 'PENDING_APPROVAL', 30_000);
const bidOf = async (accountExt: string, campaignExt: string) =>
  (
    await ctx.pool.query<{ kind: string | null; value: string | null }>(
      'select bid_kind as kind, bid_value::text as value from sandbox.campaign where account_id = $1 and id = $2',
      [accountExt, campaignExt],
    )
  ).rows[0]!;
const approve = async (workspace: string, requestId: string) => decideChange(await member(workspace, 'paul'), { requestId, approve: true, note: 'ok' });
const times = (v: { toString(): string }, f: number) => (Math.round(Number(v.toString()) * f * 100) / 100).toFixed(2);

describe('bid-target changes', () => {
  it('applies an approved "by +15 %" once, read back and audited; the sandbox then buys more volume at dearer impressions', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const c1 = campaigns[0]!; // sandbox: the first campaign of a Google account bids with a target CPA
    expect(c1.bidKind).toBe('target_cpa');
    const from = c1.bidTarget!.toString();
    const to = proposeBidTarget({ kind: 'target_cpa', value: from }, { by: 0.15 }).value; // exact, as the door resolves it
    const view = await requestChange(await member(workspace, 'ana'), { reason: 'room to grow', items: [{ kind: 'bid', campaign: c1.externalId, byPct: 15 }] });
    expect(view.items[0]).toMatchObject({ kind: 'bid', bid: { kind: 'target_cpa' } });
    expect(Number(view.items[0]!.bid!.from)).toBe(Number(from));
    expect(Number(view.items[0]!.bid!.to)).toBe(Number(to));
    await pending(view.id);
    await approve(workspace, view.id);
    const state = await result(view.id);
    expect(state.status).toBe('APPLIED');
    expect(Number((await bidOf(google.externalId, c1.externalId)).value)).toBe(Number(to));
    expect(await sandbox.mutationCount(google.externalId, c1.externalId)).toBe(1);
    const item = await ctx.prisma.changeItem.findFirstOrThrow({ where: { requestId: view.id } });
    expect(item).toMatchObject({ kind: 'bid', status: 'APPLIED', bidKind: 'target_cpa' });
    expect(Number(item.observedBid)).toBe(Number(to));
    expect(Number((await ctx.prisma.campaign.findUniqueOrThrow({ where: { id: c1.id } })).bidTarget)).toBe(Number(to));
    // What was approved stays what it was: the database refuses to rewrite a bid item's target.
    await expect(ctx.pool.query('update change_item set to_bid = to_bid * 2 where id = $1', [item.id])).rejects.toThrow(/immutable/);
    const audit = await ctx.prisma.auditEvent.findMany({ where: { OR: [{ entityId: view.id }, { workflowId: view.id }] }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'change_request.created',
      'change_request.pending_approval',
      'change_request.approved',
      'change_request.applying',
      'campaign.bid_target_changed',
      'change_request.applied',
    ]);
    expect(audit.find((a) => a.action === 'campaign.bid_target_changed')).toMatchObject({
      before: { bidTarget: { kind: 'target_cpa' } },
      after: { bidTarget: { kind: 'target_cpa' } },
    });

    // The simulated effect: the last two weeks of history ran at today's budget and the starting target; the next two
    // run at the same budget and the higher target → more spend (volume) and fewer impressions per unit spent.
    await sandbox.advance(14, google.externalId);
    const window = async (fromDate: string, toDate: string) =>
      (
        await ctx.pool.query<{ spend: string; impressions: string }>(
          `select sum(spend)::text as spend, sum(impressions)::text as impressions from sandbox.metric_day
            where account_id = $1 and campaign_id = $2 and date between $3 and $4`,
          [google.externalId, c1.externalId, fromDate, toDate],
        )
      ).rows[0]!;
    const before = await window('2026-05-18', '2026-05-31');
    const after = await window('2026-06-01', '2026-06-14');
    expect(Number(after.spend) / Number(before.spend)).toBeGreaterThan(1.03);
    expect(Number(after.impressions) / Number(after.spend)).toBeLessThan(Number(before.impressions) / Number(before.spend));
  });

  it('refuses at the door what would switch a strategy or has no target, and blocks a move beyond the platform bound', async () => {
    const { workspace, google, campaigns, sandbox } = await setup();
    const ana = await member(workspace, 'ana');
    const [c1, , c3] = campaigns;
    await expect(requestChange(ana, { reason: 'x', items: [{ kind: 'bid', campaign: c1!.externalId, bidKind: 'target_roas', to: '4' }] })).rejects.toThrow(
      /bids with target_cpa; changing target_roas would switch its bidding strategy/,
    );
    expect(c3!.bidKind).toBeNull();
    await expect(requestChange(ana, { reason: 'x', items: [{ kind: 'bid', campaign: c3!.externalId, byPct: 10 }] })).rejects.toThrow(/has no bid target/);
    await expect(requestChange(ana, { reason: 'x', items: [{ kind: 'bid', campaign: c1!.externalId, byPct: 10, to: '5' }] })).rejects.toThrow(/not both/);
    const blocked = await requestChange(ana, { reason: 'too far', items: [{ kind: 'bid', campaign: c1!.externalId, byPct: 30 }] });
    const state = await result(blocked.id);
    expect(state.status).toBe('BLOCKED');
    expect(state.violations).toMatchObject([{ rule: 'max_change_pct', message: expect.stringMatching(/exceeds google_ads's bound of ±20 %/) }]);
    expect(await sandbox.mutationCount(google.externalId)).toBe(0);
  });

  it('never overwrites a target changed on the platform after approval, and rolls a bid back when a later item fails', async () => {
    const { workspace, google, campaigns, sandbox } = await setup({ minBudget: '0.10', maxChangePct: 1 });
    const ana = await member(workspace, 'ana');
    const [c1, c2, , c4] = campaigns;
    const start1 = await bidOf(google.externalId, c1!.externalId);

    // A human moves the target in the platform's UI while the request waits: the item is STALE, left as the human set it.
    const stale = await requestChange(ana, { reason: 'x', items: [{ kind: 'bid', campaign: c1!.externalId, byPct: 10 }] });
    await pending(stale.id);
    const human = times(start1.value!, 0.9);
    await sandbox.mutate(google.externalId, c1!.externalId, 'bid', 'human-in-platform-ui', undefined, { kind: 'target_cpa', value: human });
    await approve(workspace, stale.id);
    const s1 = await result(stale.id);
    expect(s1.status).toBe('NEEDS_REAPPROVAL');
    expect(s1.items.map((i) => i.status)).toEqual(['STALE']);
    expect(Number((await bidOf(google.externalId, c1!.externalId)).value)).toBe(Number(human));

    // Item 1 (a bid) applies, item 2 (a budget the platform refuses) fails: the bid is set back to where it was.
    const start4 = await bidOf(google.externalId, c4!.externalId);
    const saga = await requestChange(ana, {
      reason: 'x',
      items: [
        { kind: 'bid', campaign: c4!.externalId, byPct: -10 },
        { kind: 'budget', campaign: c2!.externalId, toBudget: '0.50' },
      ],
    });
    await pending(saga.id);
    await approve(workspace, saga.id);
    const s2 = await result(saga.id);
    expect(s2.status).toBe('ROLLED_BACK');
    expect(s2.items.map((i) => i.status)).toEqual(['ROLLED_BACK', 'FAILED']);
    expect(await bidOf(google.externalId, c4!.externalId)).toEqual(start4);
    expect(await sandbox.mutationCount(google.externalId, c4!.externalId)).toBe(2); // applied, reverted
    const audit = await ctx.prisma.auditEvent.findMany({ where: { workflowId: saga.id, entityType: 'campaign' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['campaign.bid_target_changed', 'campaign.change_reverted']);
  });

  it('a rule "bid +10%" opens a bid request per campaign with a target after a sync', async () => {
    const s = await isolatedSandbox(ctx);
    const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
    await ctx.prisma.appUser.upsert({ where: { id: 'paul' }, create: { id: 'paul', displayName: 'paul' }, update: {} });
    await ctx.prisma.member.create({ data: { workspaceId: ws.id, userId: 'paul', role: 'approver' } });
    const ana = await member(s.workspace, 'ana');
    await addRule(ana, { name: 'push google', when: 'spend(7d) > 0', then: 'bid +10%', platforms: ['google_ads'] });
    const sync = await startSync(ana, { from: '2026-05-18', to: '2026-05-31' });
    await sync.handle.result();
    const rules = (await ctx.temporal()).workflow.getHandle(`${sync.workflowId}/rules`);
    await waitFor('rules workflow', async () => (await rules.describe().catch(() => undefined)) !== undefined, 30_000);
    const outcome = (await rules.result()) as RulesResult;
    const google = s.accounts.find((a) => a.platform === 'google_ads')!;
    const withTarget = await ctx.prisma.campaign.findMany({ where: { accountId: google.id, status: 'ACTIVE', bidKind: { not: null } } });
    expect(withTarget.length).toBeGreaterThan(0);
    expect(outcome.changeRequests).toHaveLength(withTarget.length);
    const items = await ctx.prisma.changeItem.findMany({ where: { requestId: { in: outcome.changeRequests } } });
    for (const i of items) {
      expect(i.kind).toBe('bid');
      expect(Number(i.toBid)).toBe(Number(proposeBidTarget({ kind: i.bidKind as 'target_cpa', value: i.fromBid!.toString() }, { by: 0.1 }).value));
    }

    // One of them, approved, is applied like any other request.
    const first = outcome.changeRequests[0]!;
    await pending(first);
    await decideChange(await member(s.workspace, 'paul'), { requestId: first, approve: true });
    expect((await result(first)).status).toBe('APPLIED');
  });

  it('moves a live Google Ads target CPA (the loopback fake, through its real connector) once, read back', async () => {
    fakes = await startPlatformFakes(addDays(todayIn('UTC'), -2));
    const { workspace } = await isolatedSandbox(ctx);
    const admin = await memberContext(ctx, workspace, 'admin1', 'admin');
    await ctx.prisma.appUser.upsert({ where: { id: 'paul' }, create: { id: 'paul', displayName: 'paul' }, update: {} });
    await ctx.prisma.member.create({ data: { workspaceId: admin.actor.workspaceId, userId: 'paul', role: 'approver' } });
    rateLimitCleared(`google_ads:${fakes.connect.google_ads.externalId}`);
    const account = await connectAccount(admin, fakes.connect.google_ads);
    await (await startSync(await member(workspace, 'ana'))).handle.result();
    const c = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: account.id, externalId: '302' } });
    expect([c.bidKind, Number(c.bidTarget)]).toEqual(['target_cpa', 15]);
    const mutates = () => fakes!.google.calls.filter((x) => x.path.endsWith('campaigns:mutate')).length;
    const before = mutates();

    const req = await requestChange(await member(workspace, 'ana'), { reason: 'more volume', items: [{ kind: 'bid', campaign: c.id, byPct: 10 }] });
    await pending(req.id);
    await approve(workspace, req.id);
    expect((await result(req.id)).status).toBe('APPLIED');
    const bidding = fakes.google.customer(GOOGLE_CUSTOMER).campaigns.find((x) => x.id === '302')!.bidding;
    expect(bidding).toEqual({ type: 'TARGET_CPA', targetCpaMicros: 16_500_000n });
    expect(mutates() - before).toBe(1);
    const item = await ctx.prisma.changeItem.findFirstOrThrow({ where: { requestId: req.id } });
    expect([item.status, Number(item.observedBid)]).toEqual(['APPLIED', 16.5]);
  });
});
