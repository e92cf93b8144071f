// Budget-change activities: evaluate guardrails, move the request through its states (each transition written
// once, with its audit event, even when the activity is retried), and apply, verify or revert one item.
// Applying is exactly-once: the item's own status is checked first, the platform call carries an idempotency
// key, and the result is read back before the item is marked applied.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { connectorFor } from '../connectors/index.js';
import type { CampaignInfo } from '../connectors/types.js';
import { AppError } from '../core/errors.js';
import { blackoutRemainingMs, evaluateGuardrails, type GuardrailPolicy, type GuardrailResult } from '../core/guardrails.js';
import { parseMoney } from '../core/money.js';
import { recordAudit } from '../db/audit.js';
import type { ChangeRequestStatus } from '../db/generated/client.js';
import type { PrismaClient } from '../db/prisma.js';
import { mapFailures } from './failures.js';

export interface EvaluatedRequest extends GuardrailResult {
  approvers: string[];
  policy: GuardrailPolicy;
  items: { id: string; seq: number; campaignId: string }[];
}

export type ApplyOutcome = { outcome: 'applied' | 'already-applied'; observed: string } | { outcome: 'stale'; observed: string; expected: string };

const SYSTEM = 'mbo';

function localClock(timeZone: string, now: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hour12: false })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { localTime: `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`, localWeekday: weekday };
}

const sameMoney = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && parseMoney(String(a)) === parseMoney(String(b));

export function createBudgetChangeActivities({ pool, prisma }: { pool: pg.Pool; prisma: PrismaClient }) {
  async function load(requestId: string) {
    const r = await prisma.changeRequest.findUnique({ where: { id: requestId }, include: { items: { orderBy: { seq: 'asc' } } } });
    if (!r) throw new AppError('NOT_FOUND', `no change request ${requestId}`);
    return r;
  }

  async function item(requestId: string, itemId: string) {
    const it = await prisma.changeItem.findFirst({ where: { id: itemId, requestId } });
    if (!it) throw new AppError('NOT_FOUND', `no item ${itemId} in change request ${requestId}`);
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: it.campaignId }, include: { account: true } });
    return { it, campaign, account: campaign.account };
  }

  async function readLive(account: Parameters<typeof connectorFor>[0], externalId: string): Promise<CampaignInfo> {
    const live = (await connectorFor(account, { pool }).listCampaigns()).find((c) => c.externalId === externalId);
    if (!live) throw new AppError('NOT_FOUND', `campaign ${externalId} no longer exists on ${account.platform}`);
    return live;
  }

  return {
    async evaluateChangeRequest(input: { requestId: string; now: string }): Promise<EvaluatedRequest> {
      return mapFailures(async () => {
        const r = await load(input.requestId);
        const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
        const campaigns = await prisma.campaign.findMany({ where: { accountId: account.id } });
        const dayStart = new Date(Date.parse(input.now) - 86_400_000);
        const applied = await prisma.changeItem.findMany({
          where: { status: 'APPLIED', request: { accountId: account.id }, appliedAt: { not: null } },
          orderBy: { appliedAt: 'asc' },
        });
        const lastChangeAt: Record<string, string> = {};
        const dayStartBudgets: Record<string, string> = {};
        let changesToday = 0;
        for (const a of applied) {
          lastChangeAt[a.campaignId] = a.appliedAt!.toISOString();
          if (a.appliedAt! >= dayStart) {
            changesToday++;
            dayStartBudgets[a.campaignId] ??= a.fromBudget.toString();
          }
        }
        const policy = r.policy as unknown as GuardrailPolicy;
        const result = evaluateGuardrails(
          policy,
          r.items.map((i) => ({
            campaignId: i.campaignId,
            platform: account.platform,
            kind: i.kind,
            fromBudget: i.fromBudget.toString(),
            toBudget: i.toBudget?.toString(),
          })),
          {
            now: input.now,
            ...localClock(account.timeZone, new Date(input.now)),
            accountBudgets: Object.fromEntries(campaigns.filter((c) => c.status === 'ACTIVE' && c.dailyBudget).map((c) => [c.id, c.dailyBudget!.toString()])),
            dayStartBudgets,
            lastChangeAt,
            changesToday,
            emergency: r.emergency,
          },
        );
        await prisma.changeRequest.update({ where: { id: r.id }, data: { guardrails: JSON.parse(JSON.stringify(result)) } });
        const members = await prisma.member.findMany({ where: { workspaceId: r.workspaceId, role: { in: ['approver', 'admin'] } } });
        return { ...result, approvers: members.map((m) => m.userId), policy, items: r.items.map((i) => ({ id: i.id, seq: i.seq, campaignId: i.campaignId })) };
      });
    },

    /** Moves the request to `status` once: a retried call finds it there and writes no second audit event. */
    async transitionChangeRequest(input: {
      requestId: string;
      to: ChangeRequestStatus;
      actor?: string;
      workflowId: string;
      details?: Record<string, unknown>;
      decision?: { by: string; note?: string };
    }): Promise<void> {
      return mapFailures(async () => {
        await prisma.$transaction(async (tx) => {
          const r = await tx.changeRequest.findUniqueOrThrow({ where: { id: input.requestId } });
          if (r.status === input.to) return;
          await tx.changeRequest.update({
            where: { id: r.id },
            data: {
              status: input.to,
              ...(input.decision ? { decidedBy: input.decision.by, decidedAt: new Date(), decisionNote: input.decision.note ?? null } : {}),
              ...(input.details?.outcome ? { outcome: String(input.details.outcome) } : {}),
            },
          });
          await recordAudit(tx, {
            workspaceId: r.workspaceId,
            actor: input.actor ?? SYSTEM,
            action: `change_request.${input.to.toLowerCase()}`,
            entityType: 'change_request',
            entityId: r.id,
            before: { status: r.status },
            after: { status: input.to },
            workflowId: input.workflowId,
            details: input.details,
          });
        });
      });
    },

    async applyChangeItem(input: { requestId: string; itemId: string; workflowId: string }): Promise<ApplyOutcome> {
      return mapFailures(async () => {
        const beat = () => Context.current().heartbeat();
        const { it, campaign, account } = await item(input.requestId, input.itemId);
        if (it.status === 'APPLIED') return { outcome: 'already-applied', observed: it.observedBudget?.toString() ?? '' };
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
          await prisma.$transaction(async (tx) => {
            await tx.changeItem.update({
              where: { id: it.id },
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
        await prisma.$transaction(async (tx) => {
          await tx.changeItem.update({
            where: { id: it.id },
            data: { status: 'APPLIED', appliedAt: new Date(), observedBudget: after.dailyBudget, error: null },
          });
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
        });
        return { outcome: done ? 'already-applied' : 'applied', observed: after.dailyBudget ?? '' };
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
        await prisma.changeItem.update({ where: { id: input.itemId }, data: { status: 'FAILED', error: input.error } });
      });
    },

    /** Undoes an applied item (saga compensation), with its own idempotency key. */
    async revertChangeItem(input: { requestId: string; itemId: string; workflowId: string }): Promise<void> {
      return mapFailures(async () => {
        const { it, campaign, account } = await item(input.requestId, input.itemId);
        if (it.status === 'ROLLED_BACK') return;
        const connector = connectorFor(account, { pool });
        const key = `${input.requestId}/${it.seq}/revert`;
        if (it.kind === 'budget') await connector.updateBudget(campaign.externalId, it.fromBudget.toString(), key);
        else if (it.kind === 'pause') await connector.resumeCampaign(campaign.externalId, key);
        else await connector.pauseCampaign(campaign.externalId, key);
        const after = await readLive(account, campaign.externalId);
        await prisma.$transaction(async (tx) => {
          await tx.changeItem.update({ where: { id: it.id }, data: { status: 'ROLLED_BACK', observedBudget: after.dailyBudget } });
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
