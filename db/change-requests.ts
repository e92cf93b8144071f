// Storing a change request: validate the campaigns and amounts against the store, snapshot the budgets the
// requester sees and the guardrail policy in force, and write the request, its items and its audit event in one
// transaction. Shared by the request use case and by the activities that open requests (rules, optimizer); the
// workflow that evaluates and applies it is started by the caller.
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import { resolveBidTarget } from '../core/bid-change.js';
import type { BidKind, ChangeKind } from '../core/guardrails.js';
import { budgetProblem, parseMoney, toDecimalString } from '../core/money.js';
import { changeDetails, changeSummary } from '../core/change-summary.js';
import { recordAudit } from './audit.js';
import { policyFor } from './guardrail-settings.js';
import type { PrismaClient } from './prisma.js';
import { withTransaction } from './transaction.js';
import { isUuid, workspaceBySlug } from './workspaces.js';

export type ChangeSource = 'user' | 'api' | 'cli' | 'mcp' | 'ai' | 'rule' | 'optimizer' | 'webhook' | 'web';

export interface NewChangeRequest {
  workspace: string;
  requestedBy: string;
  source: ChangeSource;
  reason: string;
  emergency?: boolean;
  /** Always ask a human, whatever the auto-approve policy says (e.g. a rule that requires approval). */
  forceApproval?: boolean;
  /**
   * Campaign by MBO id or platform id; toBudget as a decimal string for kind = budget; for kind = bid the new target
   * `to` (decimal) or `byPct` (±N %, of the target the last sync read), and optionally the kind the requester expects.
   */
  items: { campaign: string; kind: ChangeKind; toBudget?: string; bid?: NewBidChange }[];
  /** The client's Idempotency-Key: a request already stored with it (same workspace and requester) is returned. */
  idempotencyKey?: string;
}

export interface NewBidChange {
  kind?: BidKind;
  to?: string;
  byPct?: number;
}

export interface StoredChangeRef {
  requestId: string;
  workspace: string;
  accountId: string;
  platform: string;
  requestedBy: string;
  /** Temporal UI's summary and details of the request's workflow (core/change-summary.ts). */
  summary?: string;
  details?: string;
  /** Set when the Idempotency-Key found a request stored earlier (nothing new was stored): its status now. */
  existing?: { status: string };
}

/** The request stored earlier with this requester's Idempotency-Key, as the ref its creation returned. */
async function changeRequestByKey(db: { prisma: PrismaClient }, workspaceId: string, requestedBy: string, key: string): Promise<StoredChangeRef | null> {
  const r = await db.prisma.changeRequest.findUnique({
    where: { workspaceId_requestedBy_idempotencyKey: { workspaceId, requestedBy, idempotencyKey: key } },
    include: { workspace: true, items: { orderBy: { seq: 'asc' } } },
  });
  if (!r) return null;
  const account = await db.prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
  const names = new Map(
    (await db.prisma.campaign.findMany({ where: { id: { in: r.items.map((i) => i.campaignId) } }, select: { id: true, name: true } })).map((c) => [
      c.id,
      c.name,
    ]),
  );
  const shown = r.items.map((i) => ({
    kind: i.kind as ChangeKind,
    fromBudget: i.fromBudget.toString(),
    toBudget: i.toBudget?.toString(),
    bidKind: i.bidKind,
    fromBid: i.fromBid?.toString(),
    toBid: i.toBid?.toString(),
    name: names.get(i.campaignId) ?? i.campaignId,
  }));
  return {
    requestId: r.id,
    workspace: r.workspace.slug,
    accountId: r.accountId,
    platform: account.platform,
    requestedBy: r.requestedBy,
    summary: changeSummary(account.platform, shown, r.requestedBy),
    details: changeDetails(shown, r.reason),
    existing: { status: r.status },
  };
}

export async function createChangeRequest(db: { prisma: PrismaClient; pool: pg.Pool }, input: NewChangeRequest): Promise<StoredChangeRef> {
  const ws = await workspaceBySlug(db.prisma, input.workspace);
  const key = input.idempotencyKey;
  if (key) {
    // A retry (e.g. after the API crashed mid-request): the request stored then, before validating again (its
    // campaigns may have been changed by it since).
    const earlier = await changeRequestByKey(db, ws.id, input.requestedBy, key);
    if (earlier) return earlier;
  }
  if (!input.requestedBy?.trim()) throw new AppError('VALIDATION', 'a change request needs a requester');
  if (!input.reason?.trim()) throw new AppError('VALIDATION', 'a change request needs a reason');
  if (!input.items.length) throw new AppError('VALIDATION', 'a change request needs at least one item');
  const refs = input.items.map((i) => i.campaign);
  const { rows } = await db.pool.query<{
    id: string;
    external_id: string;
    account_id: string;
    daily_budget: string | null;
    status: string;
    name: string;
    bid_kind: BidKind | null;
    bid_target: string | null;
  }>(
    `select c.id::text, c.external_id, c.account_id::text, c.daily_budget::text, c.status::text, c.name, c.bid_kind, c.bid_target::text from campaign c
       join platform_account a on a.id = c.account_id
      where a.workspace_id = $1 and (c.external_id = any($2) or c.id = any($3::uuid[]))`,
    [ws.id, refs, refs.filter(isUuid)],
  );
  const seen = new Set<string>();
  const items = input.items.map((i, seq): StoredItem => {
    const c = rows.find((r) => r.id === i.campaign || r.external_id === i.campaign);
    if (!c) throw new AppError('NOT_FOUND', `no campaign "${i.campaign}" in workspace "${input.workspace}"`);
    if (seen.has(c.id)) throw new AppError('VALIDATION', `campaign ${c.external_id} appears twice in one request`);
    seen.add(c.id);
    if (i.kind === 'bid') return { seq, campaignId: c.id, accountId: c.account_id, kind: i.kind, fromBudget: c.daily_budget ?? '0', ...bidItem(i, seq, c) };
    if (c.daily_budget === null) throw new AppError('VALIDATION', `campaign ${c.external_id} has no daily budget of its own to change`);
    let to: string | undefined;
    if (i.kind === 'budget') {
      if (!i.toBudget) throw new AppError('VALIDATION', `item ${seq + 1}: a budget change needs an amount`);
      const problem = budgetProblem(i.toBudget);
      if (problem) throw new AppError('VALIDATION', `item ${seq + 1}: ${problem}`);
      const micros = parseMoney(i.toBudget);
      if (micros === parseMoney(c.daily_budget)) throw new AppError('VALIDATION', `campaign ${c.external_id} already has a daily budget of ${i.toBudget}`);
      to = toDecimalString(micros);
    }
    return { seq, campaignId: c.id, accountId: c.account_id, kind: i.kind, fromBudget: c.daily_budget, toBudget: to };
  });
  const accounts = [...new Set(items.map((i) => i.accountId))];
  if (accounts.length !== 1) throw new AppError('VALIDATION', 'one change request covers one ad account; split the campaigns by account');
  const account = await db.prisma.platformAccount.findUniqueOrThrow({ where: { id: accounts[0]! } });
  const policy = await policyFor(db.prisma, ws.id, account.id);
  if (input.forceApproval) policy.autoApprove = { emergencyPause: false };

  const stored = withTransaction(db.prisma, async (tx) => {
    const r = await tx.changeRequest.create({
      data: {
        idempotencyKey: key ?? null,
        workspaceId: ws.id,
        accountId: account.id,
        source: input.source,
        requestedBy: input.requestedBy,
        reason: input.reason,
        emergency: !!input.emergency,
        status: 'EVALUATING',
        policy: JSON.parse(JSON.stringify(policy)),
        items: {
          create: items.map((i) => ({
            seq: i.seq,
            campaignId: i.campaignId,
            kind: i.kind,
            fromBudget: i.fromBudget,
            toBudget: i.toBudget ?? null,
            bidKind: i.bidKind ?? null,
            fromBid: i.fromBid ?? null,
            toBid: i.toBid ?? null,
          })),
        },
      },
    });
    await recordAudit(tx, {
      workspaceId: ws.id,
      actor: input.requestedBy,
      action: 'change_request.created',
      entityType: 'change_request',
      entityId: r.id,
      after: { items, reason: input.reason, source: input.source },
      workflowId: r.id,
    });
    return r;
  });
  let request: Awaited<typeof stored>;
  try {
    request = await stored;
  } catch (e) {
    // Two attempts with one key at once (a retry reclaimed the key while the first was still running): one stored.
    const earlier = key && isUniqueViolation(e) ? await changeRequestByKey(db, ws.id, input.requestedBy, key) : null;
    if (earlier) return earlier;
    throw e;
  }
  const shown = items.map((i) => ({ ...i, name: rows.find((r) => r.id === i.campaignId)!.name }));
  return {
    requestId: request.id,
    workspace: ws.slug,
    accountId: account.id,
    platform: account.platform,
    requestedBy: input.requestedBy,
    summary: changeSummary(account.platform, shown, input.requestedBy),
    details: changeDetails(shown, input.reason),
  };
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  const cause = (e as { cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta?.driverAdapterError?.cause;
  return code === 'P2002' || code === '23505' || cause?.originalCode === '23505';
}

interface StoredItem {
  seq: number;
  campaignId: string;
  accountId: string;
  kind: ChangeKind;
  fromBudget: string;
  toBudget?: string;
  bidKind?: BidKind;
  fromBid?: string;
  toBid?: string;
}

/**
 * A bid item against the target the campaign has in the store (the last sync's reading): the campaign must have one,
 * of the kind the requester named (if named), and the new value must be a change. Whether the change is within the
 * bounds is the guardrails' question (evaluated by the workflow: a request beyond them is BLOCKED, with the reason).
 */
function bidItem(
  i: NewChangeRequest['items'][number],
  seq: number,
  c: { external_id: string; bid_kind: BidKind | null; bid_target: string | null },
): Pick<StoredItem, 'bidKind' | 'fromBid' | 'toBid'> {
  const b = i.bid;
  const at = `item ${seq + 1} (${c.external_id})`;
  if (!b || (b.to === undefined) === (b.byPct === undefined))
    throw new AppError('VALIDATION', `${at}: a bid change needs either a new target ("to") or a change in percent ("byPct"), not both`);
  if (!c.bid_kind || c.bid_target === null)
    throw new AppError('VALIDATION', `${at}: the campaign has no bid target MBO can change (its bidding strategy sets none, or no sync has read it yet)`);
  if (b.kind && b.kind !== c.bid_kind)
    throw new AppError('VALIDATION', `${at}: the campaign bids with ${c.bid_kind}; changing ${b.kind} would switch its bidding strategy`);
  if (b.byPct !== undefined && (!Number.isFinite(b.byPct) || b.byPct === 0 || b.byPct <= -100 || b.byPct > 1000))
    throw new AppError('VALIDATION', `${at}: a bid change in percent is between -99 % and +1000 %, not 0`);
  let to: string;
  try {
    to = resolveBidTarget({ kind: c.bid_kind, value: c.bid_target }, b).value;
  } catch {
    throw new AppError('VALIDATION', `${at}: "${b.to}" is not a decimal value`);
  }
  const micros = parseMoney(to);
  if (micros <= 0n) throw new AppError('VALIDATION', `${at}: a bid target must be positive`);
  if (micros === parseMoney(c.bid_target)) throw new AppError('VALIDATION', `${at}: ${c.bid_kind} is already ${to}`);
  return { bidKind: c.bid_kind, fromBid: toDecimalString(parseMoney(c.bid_target)), toBid: toDecimalString(micros) };
}
