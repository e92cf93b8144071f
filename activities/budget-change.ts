// Budget-change activities: evaluate a request (only while it is EVALUATING; its fingerprint recorded), move it
// through its states along the one transition table (each transition written once, with its audit event, even when
// the activity is retried), begin applying under the account's lock (fingerprint and guardrails checked again),
// and apply, verify or revert one item. Applying is exactly-once: only a PENDING item is applied, the fingerprint
// is checked, the platform call carries an idempotency key, and the result is read back before the item is marked.
// Bid-target items (kind = bid) take the same path with the bid target in place of the budget (applyBid/revertBid).
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { connectorFor } from '../connectors/index.js';
import type { BidTarget, CampaignInfo, Connector } from '../connectors/types.js';
import { changeFingerprint } from '../core/change-fingerprint.js';
import { canTransition, type ChangeStatus } from '../core/change-status.js';
import { AppError } from '../core/errors.js';
import { blackoutRemainingMs, evaluateGuardrails, type GuardrailPolicy, type GuardrailResult, type Violation } from '../core/guardrails.js';
import { parseMoney } from '../core/money.js';
import { recordAudit } from '../db/audit.js';
import type { Prisma } from '../db/generated/client.js';
import type { PrismaClient } from '../db/prisma.js';
import { guardrailContext, localClock } from '../db/guardrail-context.js';
import { withTransaction, type Tx } from '../db/transaction.js';
import { applyBidItem } from './bid-change.js';
import { integrityFailure, mapFailures } from './failures.js';

export interface EvaluatedRequest extends GuardrailResult {
  approvers: string[];
  policy: GuardrailPolicy;
  /** The stored requester and their role in the workspace (none for rules and the optimizer). */
  requestedBy: string;
  requesterRole?: string;
  fingerprint: string;
  items: { id: string; seq: number; campaignId: string }[];
  /** Waiting for a human and someone in the workspace chose a chat channel: the workflow starts the notice. */
  notify?: boolean;
}

export type BeginApplyOutcome =
  | { outcome: 'applying'; violations?: undefined; reason?: undefined }
  | { outcome: 'blocked'; violations: Violation[]; reason: string }
  | { outcome: 'tampered'; violations?: undefined; reason: string };

/** Advisory-lock namespace of the per-account apply lock (the second key is hashtext(account id)). */
const APPLY_LOCK_NAMESPACE = 1_112_011;
type Db = PrismaClient | Tx;
type LoadedRequest = Prisma.ChangeRequestGetPayload<{ include: { items: true } }>;

export type ApplyOutcome =
  | { outcome: 'applied' | 'already-applied'; observed: string; finished?: boolean }
  | { outcome: 'stale'; observed: string; expected: string; finished?: undefined };

const SYSTEM = 'mbo';

const activityRunId = () => {
  try {
    return Context.current().info.workflowExecution?.runId;
  } catch {
    return undefined;
  }
};

const sameMoney = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && parseMoney(String(a)) === parseMoney(String(b));

const fingerprintOf = (r: LoadedRequest) => changeFingerprint(r.id, r.items, r.policy);

const guardrailItems = (r: LoadedRequest, platform: string) =>
  r.items.map((i) => ({
    campaignId: i.campaignId,
    platform,
    kind: i.kind,
    fromBudget: i.fromBudget.toString(),
    toBudget: i.toBudget?.toString(),
    ...(i.kind === 'bid'
      ? { bidKind: (i.bidKind ?? undefined) as BidTarget['kind'] | undefined, fromBid: i.fromBid?.toString(), toBid: i.toBid?.toString() }
      : {}),
  }));

type LoadedItem = LoadedRequest['items'][number];
/** A bid item's target before and after, as the connector takes them. */
const bidOf = (it: LoadedItem, which: 'fromBid' | 'toBid'): BidTarget => ({ kind: it.bidKind as BidTarget['kind'], value: String(it[which]) });
const sameBid = (a: BidTarget | null | undefined, b: BidTarget) => !!a && a.kind === b.kind && parseMoney(a.value) === parseMoney(b.value);
const bidShown = (b: BidTarget | null | undefined) => (b ? `${b.kind} ${b.value}` : 'no bid target');

/** One status change along the transition table, with its audit event, inside the caller's transaction. */
async function transitionIn(
  tx: Tx,
  r: { id: string; workspaceId: string; status: ChangeStatus },
  input: { to: ChangeStatus; actor?: string; workflowId: string; details?: Record<string, unknown>; decision?: { by: string; note?: string }; action?: string },
): Promise<void> {
  if (!canTransition(r.status, input.to))
    throw integrityFailure('IllegalTransition', `change request ${r.id} is ${r.status}; it cannot become ${input.to}`, { from: r.status, to: input.to });
  // Compare-and-set on the status: a concurrent writer that moved it first makes this one fail, not overwrite.
  const n = await tx.changeRequest.updateMany({
    where: { id: r.id, status: r.status },
    data: {
      status: input.to,
      ...(input.decision ? { decidedBy: input.decision.by, decidedAt: new Date(), decisionNote: input.decision.note ?? null } : {}),
      ...(input.details?.outcome ? { outcome: String(input.details.outcome) } : {}),
      // When it waits for a decision, until when (the workflow's approval timer): lists and notices read the column.
      ...(input.to === 'PENDING_APPROVAL' && typeof input.details?.expiresAt === 'string' ? { expiresAt: new Date(input.details.expiresAt) } : {}),
    },
  });
  if (n.count !== 1) throw integrityFailure('IllegalTransition', `change request ${r.id} changed status while moving it to ${input.to}`);
  await recordAudit(tx, {
    workspaceId: r.workspaceId,
    actor: input.actor ?? SYSTEM,
    action: input.action ?? `change_request.${input.to.toLowerCase()}`,
    entityType: 'change_request',
    entityId: r.id,
    before: { status: r.status },
    after: { status: input.to },
    workflowId: input.workflowId,
    details: input.details,
  });
}

/** APPLYING → APPLIED (with its audit event) when every item of the request is APPLIED; true when it is APPLIED. */
async function finishIn(tx: Tx, requestId: string, workflowId: string): Promise<boolean> {
  const r = await tx.changeRequest.findUnique({ where: { id: requestId }, include: { items: { select: { status: true } } } });
  if (!r) throw new AppError('NOT_FOUND', `no change request ${requestId}`);
  if (r.status === 'APPLIED') return true;
  if (r.status !== 'APPLYING' || r.items.some((i) => i.status !== 'APPLIED')) return false;
  await transitionIn(tx, r, { to: 'APPLIED', workflowId, details: { outcome: `${r.items.length} item(s) applied and verified` } });
  return true;
}

export function createBudgetChangeActivities({ pool, prisma }: { pool: pg.Pool; prisma: PrismaClient }) {
  // Within one worker, an account's apply checks queue here first, so at most one of its transactions at a time
  // holds a database connection while waiting for the advisory lock (the lock serialises across workers).
  const accountQueues = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
    const prev = accountQueues.get(accountId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    accountQueues.set(accountId, tail);
    void tail.then(() => {
      if (accountQueues.get(accountId) === tail) accountQueues.delete(accountId);
    });
    return next;
  }

  async function load(requestId: string, db: Db = prisma): Promise<LoadedRequest> {
    const r = await db.changeRequest.findUnique({ where: { id: requestId }, include: { items: { orderBy: { seq: 'asc' } } } });
    if (!r) throw new AppError('NOT_FOUND', `no change request ${requestId}`);
    return r;
  }

  async function item(requestId: string, itemId: string) {
    const it = await prisma.changeItem.findFirst({ where: { id: itemId, requestId } });
    if (!it) throw new AppError('NOT_FOUND', `no item ${itemId} in change request ${requestId}`);
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: it.campaignId }, include: { account: true } });
    return { it, campaign, account: campaign.account };
  }

  /** beginApply's work (see there); shared with decideAndBeginApply. */
  async function begin(input: { requestId: string; workflowId: string; fingerprint: string; now: string }, accountId?: string): Promise<BeginApplyOutcome> {
    if (!accountId) {
      const head = await prisma.changeRequest.findUnique({ where: { id: input.requestId }, select: { accountId: true } });
      if (!head) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
      accountId = head.accountId;
    }
    const lockKey = accountId;
    return oneAtATime(lockKey, () =>
      withTransaction(prisma, async (tx) => {
        await tx.$executeRaw`select pg_advisory_xact_lock(${APPLY_LOCK_NAMESPACE}::int, hashtext(${lockKey}))`;
        const r = await load(input.requestId, tx);
        if (r.status === 'APPLYING') return { outcome: 'applying' as const }; // a retry after this committed
        // A retry after this committed a refusal: the recorded outcome stands (nothing was applied).
        if (r.status === 'BLOCKED' && r.outcome?.startsWith('guardrails no longer hold at apply time'))
          return { outcome: 'blocked' as const, violations: [], reason: r.outcome };
        if (r.status === 'FAILED' && r.outcome?.startsWith("the request's content changed")) return { outcome: 'tampered' as const, reason: r.outcome };
        if (r.status !== 'APPROVED') throw integrityFailure('IllegalTransition', `change request ${r.id} is ${r.status}, not APPROVED: nothing is applied`);
        const actual = fingerprintOf(r);
        if (actual !== input.fingerprint || actual !== r.fingerprint) {
          const reason = `the request's content changed after it was evaluated (fingerprint ${actual.slice(0, 12)}…, approved ${input.fingerprint.slice(0, 12)}…): nothing was applied`;
          await transitionIn(tx, r, {
            to: 'FAILED',
            workflowId: input.workflowId,
            action: 'change_request.fingerprint_mismatch',
            details: { outcome: reason, approved: input.fingerprint, stored: r.fingerprint, actual },
          });
          return { outcome: 'tampered' as const, reason };
        }
        const account = await tx.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
        const requesterRole = ((r.guardrails as { requesterRole?: string } | null)?.requesterRole ?? undefined) || undefined;
        const ctx = await guardrailContext(tx, r, account, input.now, requesterRole);
        // A blackout is waited out before this step (blackoutWait), so it is not a reason to block here.
        const violations = evaluateGuardrails(r.policy as unknown as GuardrailPolicy, guardrailItems(r, account.platform), ctx).violations.filter(
          (v) => v.rule !== 'blackout',
        );
        if (violations.length) {
          const reason = `guardrails no longer hold at apply time: ${violations.map((v) => v.message).join('; ')}`;
          await transitionIn(tx, r, { to: 'BLOCKED', workflowId: input.workflowId, details: { outcome: reason, atApply: true, violations } });
          return { outcome: 'blocked' as const, violations, reason };
        }
        await transitionIn(tx, r, { to: 'APPLYING', workflowId: input.workflowId });
        return { outcome: 'applying' as const };
      }),
    );
  }

  async function readLive(account: Parameters<typeof connectorFor>[0], externalId: string): Promise<CampaignInfo> {
    // One campaign where the connector can read one (the sandbox), else the account's list.
    const connector = connectorFor(account, { pool });
    const live = connector.getCampaign ? await connector.getCampaign(externalId) : (await connector.listCampaigns()).find((c) => c.externalId === externalId);
    if (!live) throw new AppError('NOT_FOUND', `campaign ${externalId} no longer exists on ${account.platform}`);
    return live;
  }

  type CampaignWithAccount = Prisma.CampaignGetPayload<{ include: { account: true } }>;

  /**
   * applyChangeItem for a bid item (the request is APPLYING and its fingerprint checked by the caller): read the
   * campaign; a target already at the new value is done (a retry after the platform took it); one that shows neither
   * the approved starting value nor the new one was changed by someone else → STALE, left untouched; otherwise
   * applyBidItem (the bound checked again on the live value, updateBidTarget with the item's key, read back), then
   * the item, the campaign's stored target and the audit event in one transaction.
   */
  async function applyBid(
    r: LoadedRequest,
    it: LoadedItem,
    campaign: CampaignWithAccount,
    input: { requestId: string; workflowId: string; finish?: boolean },
  ): Promise<ApplyOutcome> {
    const beat = () => Context.current().heartbeat();
    const account = campaign.account;
    const from = bidOf(it, 'fromBid');
    const target = bidOf(it, 'toBid');
    beat();
    const live = await readLive(account, campaign.externalId);
    beat();
    const done = sameBid(live.bidTarget, target);
    if (!done && !sameBid(live.bidTarget, from)) {
      const observed = live.bidTarget?.kind === target.kind ? live.bidTarget.value : null;
      await withTransaction(prisma, async (tx) => {
        await tx.changeItem.updateMany({
          where: { id: it.id, status: 'PENDING' },
          data: {
            status: 'STALE',
            observedBid: observed,
            error: `bid target is ${bidShown(live.bidTarget)} on ${account.platform}, not the ${bidShown(from)} that was approved`,
          },
        });
        await recordAudit(tx, {
          workspaceId: account.workspaceId,
          actor: SYSTEM,
          action: 'change_item.stale',
          entityType: 'campaign',
          entityId: campaign.id,
          before: { expected: from },
          after: { observed: live.bidTarget ?? null },
          workflowId: input.workflowId,
          details: { requestId: input.requestId, seq: it.seq },
        });
      });
      return { outcome: 'stale', observed: bidShown(live.bidTarget), expected: bidShown(from) };
    }
    const key = `${input.requestId}/${it.seq}`;
    if (!done) await applyBidItem(connectorFor(account, { pool }), campaign.externalId, target, key);
    beat();
    const after = await readLive(account, campaign.externalId);
    beat();
    if (!sameBid(after.bidTarget, target))
      throw new AppError('INTERNAL', `read-back after applying item ${it.seq + 1} shows ${bidShown(after.bidTarget)}, not ${bidShown(target)}`);
    const finished = await withTransaction(prisma, async (tx) => {
      const n = await tx.changeItem.updateMany({
        where: { id: it.id, status: 'PENDING' },
        data: { status: 'APPLIED', appliedAt: new Date(), observedBid: after.bidTarget!.value, observedBudget: after.dailyBudget, error: null },
      });
      if (n.count !== 1) throw integrityFailure('ItemNotPending', `item ${it.seq + 1} changed status while it was being applied`);
      await tx.campaign.update({ where: { id: campaign.id }, data: { bidKind: after.bidTarget!.kind, bidTarget: after.bidTarget!.value } });
      await recordAudit(tx, {
        workspaceId: account.workspaceId,
        actor: SYSTEM,
        action: 'campaign.bid_target_changed',
        entityType: 'campaign',
        entityId: campaign.id,
        before: { bidTarget: live.bidTarget ?? null },
        after: { bidTarget: after.bidTarget ?? null },
        workflowId: input.workflowId,
        details: { requestId: input.requestId, seq: it.seq, idempotencyKey: key },
      });
      return input.finish ? finishIn(tx, r.id, input.workflowId) : undefined;
    });
    return { outcome: done ? 'already-applied' : 'applied', observed: after.bidTarget!.value, finished };
  }

  /** revertChangeItem for a bid item: the approved starting target again, with its own key, read back. */
  async function revertBid(it: LoadedItem, campaign: CampaignWithAccount, input: { requestId: string; workflowId: string }): Promise<void> {
    const account = campaign.account;
    const from = bidOf(it, 'fromBid');
    const connector: Connector = connectorFor(account, { pool });
    const key = `${input.requestId}/${it.seq}/revert`;
    const live = await readLive(account, campaign.externalId);
    if (!sameBid(live.bidTarget, from)) {
      if (!connector.updateBidTarget) throw new AppError('VALIDATION', `${account.platform} has no bid target MBO can change`);
      await connector.updateBidTarget(campaign.externalId, from, key);
    }
    const after = await readLive(account, campaign.externalId);
    if (!sameBid(after.bidTarget, from))
      throw new AppError('INTERNAL', `read-back after reverting item ${it.seq + 1} shows ${bidShown(after.bidTarget)}, not the ${bidShown(from)} before`);
    await withTransaction(prisma, async (tx) => {
      await tx.changeItem.updateMany({ where: { id: it.id, status: 'APPLIED' }, data: { status: 'ROLLED_BACK', observedBid: after.bidTarget!.value } });
      await tx.campaign.update({ where: { id: campaign.id }, data: { bidKind: after.bidTarget!.kind, bidTarget: after.bidTarget!.value } });
      await recordAudit(tx, {
        workspaceId: account.workspaceId,
        actor: SYSTEM,
        action: 'campaign.change_reverted',
        entityType: 'campaign',
        entityId: campaign.id,
        before: { bidTarget: bidOf(it, 'toBid') },
        after: { bidTarget: after.bidTarget ?? null },
        workflowId: input.workflowId,
        details: { requestId: input.requestId, seq: it.seq, idempotencyKey: key },
      });
    });
  }

  return {
    /**
     * Evaluates a request that is still EVALUATING (anything else is refused and audited: a request runs once):
     * guardrails against the account's recent changes, the requester's role from the database, and the fingerprint
     * of its items and policy, recorded on the request.
     */
    async evaluateChangeRequest(input: { requestId: string; workflowId?: string; now: string }): Promise<EvaluatedRequest> {
      return mapFailures(async () => {
        const r = await load(input.requestId);
        if (r.status !== 'EVALUATING') {
          await recordAudit(prisma, {
            workspaceId: r.workspaceId,
            actor: SYSTEM,
            action: 'change_request.rerun_refused',
            entityType: 'change_request',
            entityId: r.id,
            workflowId: input.workflowId,
            details: { status: r.status, runId: activityRunId() },
          });
          throw integrityFailure(
            'RequestNotEvaluating',
            `change request ${r.id} is ${r.status}, not EVALUATING: a request is evaluated and applied once; open a new request instead`,
          );
        }
        if (r.items.some((i) => i.status !== 'PENDING')) throw integrityFailure('ItemNotPending', `change request ${r.id} has items that are not pending`);
        const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
        const members = await prisma.member.findMany({
          where: { workspaceId: r.workspaceId, OR: [{ role: { in: ['approver', 'admin'] } }, { userId: r.requestedBy }] },
        });
        const requesterRole = members.find((m) => m.userId === r.requestedBy)?.role;
        const policy = r.policy as unknown as GuardrailPolicy;
        const ctx = await guardrailContext(prisma, r, account, input.now, requesterRole);
        const result = evaluateGuardrails(policy, guardrailItems(r, account.platform), ctx);
        const fingerprint = fingerprintOf(r);
        const n = await prisma.changeRequest.updateMany({
          where: { id: r.id, status: 'EVALUATING' },
          data: { guardrails: JSON.parse(JSON.stringify({ ...result, requesterRole: requesterRole ?? null })), fingerprint },
        });
        if (n.count !== 1) throw integrityFailure('RequestNotEvaluating', `change request ${r.id} left EVALUATING while it was being evaluated`);
        return {
          ...result,
          approvers: members.filter((m) => m.role === 'approver' || m.role === 'admin').map((m) => m.userId),
          policy,
          requestedBy: r.requestedBy,
          requesterRole,
          fingerprint,
          items: r.items.map((i) => ({ id: i.id, seq: i.seq, campaignId: i.campaignId })),
          notify:
            result.allowed && result.requiresApproval && (await prisma.notificationChannel.count({ where: { workspaceId: r.workspaceId, enabled: true } })) > 0,
        };
      });
    },

    /**
     * The last check before money moves, in one transaction under the account's advisory lock (requests of one
     * account begin one at a time; the lock is held for a few queries, not while the platform is called):
     * the request is APPROVED, its content still has the fingerprint that was evaluated and approved, and the
     * guardrails hold against what was applied — or is being applied — since. Then APPLYING; else FAILED
     * (content changed) or BLOCKED (a limit would now break), recorded with the reason. Never applies anything.
     */
    async beginApply(input: { requestId: string; workflowId: string; fingerprint: string; now: string }): Promise<BeginApplyOutcome> {
      return mapFailures(() => begin(input));
    },

    /**
     * The decision and the start of applying, as one step (one activity instead of three on the path from
     * "approve" to "applied"): records APPROVED or REJECTED with its audit event (once: a retry finds it recorded),
     * then — approved, outside any blackout window — does exactly what beginApply does (account lock, fingerprint,
     * guardrails again, APPLYING or BLOCKED/FAILED). In a blackout window it returns how long to wait; the workflow
     * sleeps and calls beginApply.
     */
    async decideAndBeginApply(input: {
      requestId: string;
      workflowId: string;
      approve: boolean;
      decision: { by: string; note?: string };
      fingerprint: string;
      now: string;
    }): Promise<{ waitMs: number; begin?: BeginApplyOutcome }> {
      return mapFailures(async () => {
        const to: ChangeStatus = input.approve ? 'APPROVED' : 'REJECTED';
        const r = await withTransaction(prisma, async (tx) => {
          const r = await tx.changeRequest.findUnique({ where: { id: input.requestId } });
          if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
          // PENDING_APPROVAL: record the decision. Anything else is a retry of this step after it committed (the
          // decision, and maybe the start of applying, are already recorded; begin() below reads where it got).
          if (r.status === 'PENDING_APPROVAL')
            await transitionIn(tx, r, {
              to,
              actor: input.decision.by,
              workflowId: input.workflowId,
              decision: input.decision,
              details: { fingerprint: input.fingerprint },
            });
          return r;
        });
        if (!input.approve) return { waitMs: 0 };
        const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
        const clock = localClock(account.timeZone, new Date(input.now));
        const waitMs = blackoutRemainingMs(r.policy as unknown as GuardrailPolicy, clock.localTime, clock.localWeekday);
        if (waitMs > 0) return { waitMs };
        return { waitMs: 0, begin: await begin(input, r.accountId) };
      });
    },

    /** Moves the request to `to` once, along the transition table: a retried call finds it there and writes nothing. */
    async transitionChangeRequest(input: {
      requestId: string;
      to: ChangeStatus;
      actor?: string;
      workflowId: string;
      details?: Record<string, unknown>;
      decision?: { by: string; note?: string };
    }): Promise<void> {
      return mapFailures(async () => {
        await withTransaction(prisma, async (tx) => {
          const r = await tx.changeRequest.findUnique({ where: { id: input.requestId } });
          if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
          if (r.status === input.to) return;
          await transitionIn(tx, r, input);
        });
      });
    },

    /**
     * Applies one PENDING item (see the module header). With `finish` (the workflow's last item, every earlier one
     * applied), the request becomes APPLIED in the same transaction as the item once every item is APPLIED — one
     * step fewer; `finished` says whether it did.
     */
    async applyChangeItem(input: { requestId: string; itemId: string; workflowId: string; fingerprint?: string; finish?: boolean }): Promise<ApplyOutcome> {
      return mapFailures(async () => {
        const beat = () => Context.current().heartbeat();
        const r = await load(input.requestId);
        const it = r.items.find((i) => i.id === input.itemId);
        if (!it) throw new AppError('NOT_FOUND', `no item ${input.itemId} in change request ${input.requestId}`);
        if (it.status === 'APPLIED') {
          // A retry after this item committed: finish the request if that is still to do.
          const finished = input.finish ? await withTransaction(prisma, (tx) => finishIn(tx, r.id, input.workflowId)) : undefined;
          return { outcome: 'already-applied', observed: it.observedBudget?.toString() ?? '', finished };
        }
        if (it.status !== 'PENDING')
          throw integrityFailure('ItemNotPending', `item ${it.seq + 1} is ${it.status}: only pending items are applied, and only once`);
        const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: it.campaignId }, include: { account: true } });
        const account = campaign.account;
        if (r.status !== 'APPLYING') throw integrityFailure('IllegalTransition', `change request ${r.id} is ${r.status}, not APPLYING`);
        const actual = fingerprintOf(r);
        if (actual !== r.fingerprint || (input.fingerprint !== undefined && actual !== input.fingerprint))
          throw integrityFailure(
            'FingerprintMismatch',
            `item ${it.seq + 1}: the request's content changed after approval (fingerprint ${actual.slice(0, 12)}…); not applied`,
          );
        if (it.kind === 'bid') return await applyBid(r, it, campaign, input);
        beat();
        const live = await readLive(account, campaign.externalId);
        beat();
        const connector = connectorFor(account, { pool });
        const key = `${input.requestId}/${it.seq}`;
        const target = it.kind === 'budget' ? it.toBudget!.toString() : null;
        const done = it.kind === 'budget' ? sameMoney(live.dailyBudget, target) : live.status === (it.kind === 'pause' ? 'PAUSED' : 'ACTIVE');
        // Never overwrite a newer human change: the platform must still show what the approver saw (or, after a
        // retry, what this item already set).
        if (!done && it.kind === 'budget' && !sameMoney(live.dailyBudget, it.fromBudget.toString())) {
          await withTransaction(prisma, async (tx) => {
            await tx.changeItem.updateMany({
              where: { id: it.id, status: 'PENDING' },
              data: {
                status: 'STALE',
                observedBudget: live.dailyBudget,
                error: `budget is ${live.dailyBudget} on ${account.platform}, not the ${it.fromBudget.toString()} that was approved`,
              },
            });
            await recordAudit(tx, {
              workspaceId: account.workspaceId,
              actor: SYSTEM,
              action: 'change_item.stale',
              entityType: 'campaign',
              entityId: campaign.id,
              before: { expected: it.fromBudget.toString() },
              after: { observed: live.dailyBudget },
              workflowId: input.workflowId,
              details: { requestId: input.requestId, seq: it.seq },
            });
          });
          return { outcome: 'stale', observed: live.dailyBudget ?? '', expected: it.fromBudget.toString() };
        }
        if (!done) {
          if (it.kind === 'budget') await connector.updateBudget(campaign.externalId, target!, key);
          else if (it.kind === 'pause') await connector.pauseCampaign(campaign.externalId, key);
          else await connector.resumeCampaign(campaign.externalId, key);
        }
        beat();
        const after = await readLive(account, campaign.externalId);
        beat();
        const verified = it.kind === 'budget' ? sameMoney(after.dailyBudget, target) : after.status === (it.kind === 'pause' ? 'PAUSED' : 'ACTIVE');
        if (!verified)
          throw new AppError('INTERNAL', `read-back after applying item ${it.seq} shows ${after.dailyBudget}/${after.status}, not the requested change`);
        const finished = await withTransaction(prisma, async (tx) => {
          const n = await tx.changeItem.updateMany({
            where: { id: it.id, status: 'PENDING' },
            data: { status: 'APPLIED', appliedAt: new Date(), observedBudget: after.dailyBudget, error: null },
          });
          if (n.count !== 1) throw integrityFailure('ItemNotPending', `item ${it.seq + 1} changed status while it was being applied`);
          await tx.campaign.update({ where: { id: campaign.id }, data: { dailyBudget: after.dailyBudget, status: after.status } });
          await recordAudit(tx, {
            workspaceId: account.workspaceId,
            actor: SYSTEM,
            action: `campaign.${it.kind === 'budget' ? 'budget_changed' : it.kind === 'pause' ? 'paused' : 'resumed'}`,
            entityType: 'campaign',
            entityId: campaign.id,
            before: { dailyBudget: live.dailyBudget, status: live.status },
            after: { dailyBudget: after.dailyBudget, status: after.status },
            workflowId: input.workflowId,
            details: { requestId: input.requestId, seq: it.seq, idempotencyKey: key },
          });
          return input.finish ? finishIn(tx, r.id, input.workflowId) : undefined;
        });
        return { outcome: done ? 'already-applied' : 'applied', observed: after.dailyBudget ?? '', finished };
      });
    },

    /** How long until the account is out of any blackout window (0: apply now). Re-checked right before applying. */
    async blackoutWait(input: { requestId: string; now: string }): Promise<number> {
      return mapFailures(async () => {
        const r = await load(input.requestId);
        const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
        const clock = localClock(account.timeZone, new Date(input.now));
        return blackoutRemainingMs(r.policy as unknown as GuardrailPolicy, clock.localTime, clock.localWeekday);
      });
    },

    async recordItemFailure(input: { requestId: string; itemId: string; error: string }): Promise<void> {
      return mapFailures(async () => {
        // Only a pending item becomes FAILED (an applied one stays what it is; the workflow decides on rollback).
        await prisma.changeItem.updateMany({
          where: { id: input.itemId, requestId: input.requestId, status: 'PENDING' },
          data: { status: 'FAILED', error: input.error },
        });
      });
    },

    /** Undoes an applied item (saga compensation), with its own idempotency key. */
    async revertChangeItem(input: { requestId: string; itemId: string; workflowId: string }): Promise<void> {
      return mapFailures(async () => {
        const { it, campaign, account } = await item(input.requestId, input.itemId);
        if (it.status === 'ROLLED_BACK') return;
        if (it.status !== 'APPLIED') throw integrityFailure('ItemNotPending', `item ${it.seq + 1} is ${it.status}: only an applied item is reverted`);
        if (it.kind === 'bid') return await revertBid(it, campaign, input);
        const connector = connectorFor(account, { pool });
        const key = `${input.requestId}/${it.seq}/revert`;
        if (it.kind === 'budget') await connector.updateBudget(campaign.externalId, it.fromBudget.toString(), key);
        else if (it.kind === 'pause') await connector.resumeCampaign(campaign.externalId, key);
        else await connector.pauseCampaign(campaign.externalId, key);
        const after = await readLive(account, campaign.externalId);
        const reverted =
          it.kind === 'budget' ? sameMoney(after.dailyBudget, it.fromBudget.toString()) : after.status === (it.kind === 'pause' ? 'ACTIVE' : 'PAUSED');
        if (!reverted)
          throw new AppError('INTERNAL', `read-back after reverting item ${it.seq + 1} shows ${after.dailyBudget}/${after.status}, not the budget before`);
        await withTransaction(prisma, async (tx) => {
          await tx.changeItem.updateMany({ where: { id: it.id, status: 'APPLIED' }, data: { status: 'ROLLED_BACK', observedBudget: after.dailyBudget } });
          await tx.campaign.update({ where: { id: campaign.id }, data: { dailyBudget: after.dailyBudget, status: after.status } });
          await recordAudit(tx, {
            workspaceId: account.workspaceId,
            actor: SYSTEM,
            action: 'campaign.change_reverted',
            entityType: 'campaign',
            entityId: campaign.id,
            before: { dailyBudget: it.toBudget?.toString() },
            after: { dailyBudget: after.dailyBudget, status: after.status },
            workflowId: input.workflowId,
            details: { requestId: input.requestId, seq: it.seq, idempotencyKey: key },
          });
        });
      });
    },

    async remindApprovers(input: { requestId: string; workflowId: string; approvers: string[]; expiresAt: string }): Promise<void> {
      return mapFailures(async () => {
        const r = await load(input.requestId);
        const already = await prisma.auditEvent.count({ where: { entityId: r.id, action: 'change_request.reminder' } });
        if (already) return;
        await recordAudit(prisma, {
          workspaceId: r.workspaceId,
          actor: SYSTEM,
          action: 'change_request.reminder',
          entityType: 'change_request',
          entityId: r.id,
          workflowId: input.workflowId,
          details: { approvers: input.approvers, expiresAt: input.expiresAt },
        });
      });
    },
  };
}

export type BudgetChangeActivities = ReturnType<typeof createBudgetChangeActivities>;
