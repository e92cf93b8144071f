// Use case: ask for budget changes, pauses or resumes (analysts and above). The request is stored with the
// budgets the requester saw and the policy in force, then its BudgetChangeWorkflow starts (workflow id = request
// id, never reused): guardrails, approval, apply. API, CLI, MCP and the web app all come here.
import { WorkflowIdReusePolicy } from '@temporalio/client';
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

export async function requestChange(ctx: ServiceContext, raw: unknown): Promise<ChangeRequestView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(requestChangeSchema, raw);
  const created = await createChangeRequest(ctx.app, {
    workspace: ctx.actor.workspace,
    requestedBy: ctx.actor.userId,
    source: SOURCE[ctx.actor.source],
    reason: input.reason,
    emergency: input.emergency,
    // What an AI proposed always waits for a human, whatever the auto-approve policy says.
    forceApproval: ctx.actor.source === 'ai' || undefined,
    items: input.items.map((i) => ({ campaign: i.campaign, kind: i.kind, toBudget: i.kind === 'budget' ? i.toBudget : undefined })),
  });
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
