// What every MCP write tool does instead of touching a platform: open a change request through the change-request
// use case as the caller's actor (guardrails, approval and apply happen in its BudgetChangeWorkflow), wait briefly
// for the guardrail evaluation, and answer its id, status, the guardrail result and the link where a person
// approves it. Also the compact view of a request the approval tools list.
import { z } from 'zod';
import { changeStatusSchema, type ChangeRequestView } from '../../services/change-requests/change-requests.schema.js';
import { getChange } from '../../services/change-requests/read-changes.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import type { ToolEnv } from '../kit/session.js';

/** How long a write tool waits for the guardrails to be evaluated before answering (status EVALUATING then). */
const SETTLE_MS = 10_000;

export const guardrailResultSchema = z.object({
  allowed: z.boolean().describe('false: a guardrail blocks the request (status BLOCKED)'),
  requiresApproval: z.boolean(),
  violations: z.array(z.object({ rule: z.string(), message: z.string() })),
  notes: z.array(z.string()),
});

export const changeItemSummarySchema = z.object({
  kind: z.enum(['budget', 'pause', 'resume', 'bid']),
  campaign: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string() }),
  fromBudget: z.string(),
  toBudget: z.string().nullable(),
  status: z.string(),
});

export const changeRequestResultSchema = z.object({
  requestId: z.string(),
  status: changeStatusSchema,
  requestedBy: z.string(),
  reason: z.string(),
  account: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string(), currency: z.string() }),
  items: z.array(changeItemSummarySchema),
  guardrails: guardrailResultSchema.nullable().describe('null while the guardrails are still being evaluated'),
  decidedBy: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  approvalUrl: z.string().describe('where an approver approves or rejects it'),
  message: z.string().describe('what happens next, in a sentence'),
});
export type ChangeRequestResult = z.infer<typeof changeRequestResultSchema>;

function guardrailsOf(g: unknown): ChangeRequestResult['guardrails'] {
  const r = guardrailResultSchema.safeParse(g);
  return r.success ? r.data : null;
}

function nextStep(v: ChangeRequestView, url: string): string {
  const g = guardrailsOf(v.guardrails);
  switch (v.status) {
    case 'EVALUATING':
      return `Change request ${v.id} is being checked against the guardrails; read it again with get_change_request. Nothing changes on the platform before an approval.`;
    case 'BLOCKED':
      return `Change request ${v.id} is BLOCKED by guardrails (${g?.violations.map((x) => x.message).join('; ') || v.outcome}); nothing will change.`;
    case 'PENDING_APPROVAL':
      return `Change request ${v.id} waits for a human approval at ${url}; nothing changes on the platform until an approver approves it.`;
    case 'APPROVED':
    case 'APPLYING':
    case 'APPLIED':
      return `Change request ${v.id} is ${v.status}${v.decidedBy ? ` (decided by ${v.decidedBy})` : ' (auto-approved by the workspace policy)'}; MBO applies it through its workflow.`;
    default:
      return `Change request ${v.id} is ${v.status}${v.outcome ? `: ${v.outcome}` : ''}.`;
  }
}

export function changeRequestResult(v: ChangeRequestView, env: ToolEnv): ChangeRequestResult {
  const approvalUrl = env.links.approval(v.id);
  return {
    requestId: v.id,
    status: v.status,
    requestedBy: v.requestedBy,
    reason: v.reason,
    account: v.account,
    items: v.items.map((i) => ({ kind: i.kind, campaign: i.campaign, fromBudget: i.fromBudget, toBudget: i.toBudget, status: i.status })),
    guardrails: guardrailsOf(v.guardrails),
    decidedBy: v.decidedBy,
    outcome: v.outcome,
    createdAt: v.createdAt,
    approvalUrl,
    message: nextStep(v, approvalUrl),
  };
}

export type ItemInput = { kind: 'budget'; campaign: string; toBudget: string } | { kind: 'pause' | 'resume'; campaign: string };

/** Opens the request as the actor and waits (≤ 10 s) until the guardrails have spoken. */
export async function openChangeRequest(env: ToolEnv, items: ItemInput[], reason: string): Promise<ChangeRequestResult> {
  const created = await requestChange(env.ctx, { reason, items });
  const deadline = Date.now() + SETTLE_MS;
  let view: ChangeRequestView = created;
  while (view.status === 'EVALUATING' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    view = await getChange(env.ctx, { requestId: created.id });
  }
  return changeRequestResult(view, env);
}
