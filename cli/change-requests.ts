// How the CLI shows a change request (budget and approvals commands): the request, its guardrail results and its
// items from → to with platform and campaign id; waiting until it settles; and the exit code its status means.
import { AppError } from '../core/errors.js';
import type { ChangeRequestView } from '../services/change-requests/change-requests.schema.js';
import type { ApiClient, ChangeRequestDetail } from './api-client.js';
import { EXIT, printTable, say, when } from './output.js';
import { resolveIds } from './resolve.js';

type Detail = ChangeRequestDetail;
type Status = ChangeRequestView['status'];

export const money = (v: string | null | undefined) => (v == null ? null : Number(v).toFixed(2));

/** A bid target as shown: "12.50", "3.25", "4.025" (a stored "12.500000" without its trailing zeros beyond 2). */
const bidText = (v: string) =>
  /^\d+(\.\d+)?$/.test(v)
    ? Number(v)
        .toFixed(4)
        .replace(/(\.\d\d\d*?)0+$/, '$1')
    : v;

/** "250.00 → 300.00", "pause", "resume", "target_cpa 12.50 → 13.75". */
export function change(i: ChangeRequestView['items'][number]): string {
  if (i.kind === 'bid' && i.bid) return `${i.bid.kind} ${bidText(i.bid.from)} → ${bidText(i.bid.to)}`;
  return i.kind === 'budget' ? `${money(i.fromBudget)} → ${money(i.toBudget)}` : i.kind;
}

export function printRequest(r: Detail): void {
  say(`Change request ${r.id} — ${r.status}`);
  say(`  account ${r.account.platform} ${r.account.externalId} (${r.account.name}), ${r.account.currency}`);
  say(`  requested by ${r.requestedBy} (${r.source}) at ${when(r.createdAt)}${r.emergency ? ', emergency' : ''}: ${r.reason}`);
  if (r.decidedBy) say(`  decided by ${r.decidedBy}${r.decidedAt ? ` at ${when(r.decidedAt)}` : ''}${r.decisionNote ? `: ${r.decisionNote}` : ''}`);
  const g = r.guardrails as { violations?: { message: string }[]; notes?: string[] } | null;
  for (const v of g?.violations ?? []) say(`  ✗ guardrail: ${v.message}`);
  for (const n of g?.notes ?? []) say(`  · ${n}`);
  if (r.live?.expiresAt && r.status === 'PENDING_APPROVAL')
    say(`  expires ${when(r.live.expiresAt)}; can approve: ${r.live.approvers.join(', ') || '(nobody yet: add an approver with `mbo members set`)'}`);
  if (r.outcome) say(`  outcome: ${r.outcome}`);
  printTable(
    ['#', 'Platform', 'Campaign id', 'Campaign', 'Change', 'Status', 'Note'],
    r.items.map((i) => [i.seq + 1, i.campaign.platform, i.campaign.externalId, i.campaign.name, change(i), i.status.toLowerCase(), i.error ?? '']),
    ['r', 'l', 'l', 'l', 'r', 'l', 'l'],
  );
  say(`Temporal UI: ${r.workflowUrl}`);
}

/** Polls the request until its guardrails have been evaluated (it leaves EVALUATING). */
export async function waitUntilEvaluated(api: ApiClient, requestId: string, timeoutMs = 60_000): Promise<Detail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.change(requestId);
    if (r.status !== 'EVALUATING' || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 300));
  }
}

/** Statuses in which nothing more happens without a human (or ever). */
const MOVING: Status[] = ['EVALUATING', 'APPROVED', 'APPLYING'];

/** Polls the request until it leaves EVALUATING / APPROVED / APPLYING (at most `timeoutMs`). */
export async function waitUntilSettled(api: ApiClient, requestId: string, timeoutMs = 120_000): Promise<Detail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api.change(requestId);
    if (!MOVING.includes(r.status)) return r;
    if (Date.now() > deadline)
      throw new AppError(
        'TRANSIENT',
        `change request ${requestId} is still ${r.status.toLowerCase()} after ${timeoutMs / 1000} s; follow it with \`mbo approvals show ${requestId.slice(0, 8)}\``,
      );
    await new Promise((res) => setTimeout(res, 400));
  }
}

/** The exit code of a request's status: 0 while it is fine, 8 when the state stopped it, 9 partial, 1 failed. */
export function exitForStatus(status: Status): number {
  switch (status) {
    case 'BLOCKED':
    case 'REJECTED':
    case 'EXPIRED':
    case 'NEEDS_REAPPROVAL':
      return EXIT.CONFLICT;
    case 'PARTIALLY_APPLIED':
      return EXIT.PARTIAL;
    case 'FAILED':
    case 'ROLLED_BACK':
      return EXIT.INTERNAL;
    default:
      return EXIT.OK;
  }
}

/** Change request ids from whole ids or unique prefixes, among the requests the actor can read. */
export function resolveRequestIds(api: ApiClient, refs: string[]): Promise<string[]> {
  return resolveIds(refs, 'change request', async (cursor) => {
    const page = await api.changes({ limit: 500, cursor });
    return { items: page.items, nextCursor: page.nextCursor };
  });
}
