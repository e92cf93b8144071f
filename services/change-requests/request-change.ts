// Use case: ask for budget changes, pauses, resumes or bid-target changes (analysts and above). The request is stored with the
// budgets the requester saw and the policy in force, then its BudgetChangeWorkflow starts (workflow id = request
// id, never reused): guardrails, approval, apply. API, CLI, MCP and the web app all come here.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { createChangeRequest, type ChangeSource } from '../../db/change-requests.js';
import { BUDGET_CHANGE_WORKFLOW, changeSearchAttributes, type BudgetChangeWorkflowType } from '../../workflows/budget-change.contract.js';
import { withTransaction } from '../../db/transaction.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { requestChangeSchema, type ChangeRequestView } from './change-requests.schema.js';
import { loadChangeRequestViews } from './view.js';

const SOURCE: Record<ServiceContext['actor']['source'], ChangeSource> = {
  api: 'api',
  cli: 'cli',
  web: 'web',
  mcp: 'mcp',
  webhook: 'webhook',
  ai: 'ai',
  system: 'user',
};

/**
 * `idempotencyKey` (the API's Idempotency-Key header) is stored with the request: a retry with the same key — also
 * one after the API crashed mid-request — answers the request stored then (and starts its workflow if the crash
 * came before that) instead of storing a second one.
 */
export async function requestChange(ctx: ServiceContext, raw: unknown, opts: { idempotencyKey?: string } = {}): Promise<ChangeRequestView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(requestChangeSchema, raw);
  const created = await createChangeRequest(ctx.app, {
    idempotencyKey: opts.idempotencyKey,
    workspace: ctx.actor.workspace,
    requestedBy: ctx.actor.userId,
    source: SOURCE[ctx.actor.source],
    reason: input.reason,
    emergency: input.emergency,
    // What an AI proposed always waits for a human, whatever the auto-approve policy says.
    forceApproval: ctx.actor.source === 'ai' || undefined,
    items: input.items.map((i) =>
      i.kind === 'bid'
        ? { campaign: i.campaign, kind: i.kind, bid: { kind: i.bidKind, to: i.to, byPct: i.byPct } }
        : { campaign: i.campaign, kind: i.kind, toBudget: i.kind === 'budget' ? i.toBudget : undefined },
    ),
  });
  // Stored earlier with this key: its workflow was started then, unless that process died first (still EVALUATING).
  if (created.existing && created.existing.status !== 'EVALUATING') {
    return (await loadChangeRequestViews(ctx.app, { workspaceId: ctx.actor.workspaceId, ids: [created.requestId] }))[0]!;
  }
  try {
    const client = await ctx.app.temporal();
    await client.workflow.start<BudgetChangeWorkflowType>(BUDGET_CHANGE_WORKFLOW, {
      workflowId: created.requestId,
      taskQueue: ctx.app.config.temporal.taskQueue,
      args: [{ requestId: created.requestId }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: changeSearchAttributes(created),
      staticSummary: created.summary,
      staticDetails: created.details,
    });
  } catch (e) {
    if (created.existing && e instanceof WorkflowExecutionAlreadyStartedError) {
      return (await loadChangeRequestViews(ctx.app, { workspaceId: ctx.actor.workspaceId, ids: [created.requestId] }))[0]!;
    }
    // Stored but never started: close it (FAILED, audited), so no request waits forever without a workflow.
    await withTransaction(ctx.app.prisma, async (tx) => {
      await tx.changeRequest.update({ where: { id: created.requestId }, data: { status: 'FAILED', outcome: 'its workflow could not be started' } });
      await auditAs(ctx, tx, {
        action: 'change_request.failed',
        entityType: 'change_request',
        entityId: created.requestId,
        before: { status: 'EVALUATING' },
        after: { status: 'FAILED' },
        details: { outcome: `workflow not started: ${(e as Error).message.split('\n')[0]}` },
      });
    }).catch(() => {});
    throw e;
  }
  return (await loadChangeRequestViews(ctx.app, { workspaceId: ctx.actor.workspaceId, ids: [created.requestId] }))[0]!;
}
