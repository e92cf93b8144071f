// Use case: an approver approves or rejects a pending change request, through the workflow's validated Update.
// The role is checked here against the actor's membership now; four-eyes against the stored requester; the
// workflow's validator checks again (first decision wins). A refused decision changes nothing — and is audited
// here, outside the workflow history: who tried, what, and why it was refused.
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { AppError, isAppError } from '../../core/errors.js';
import type { GuardrailPolicy } from '../../core/guardrails.js';
import { decideUpdate, type BudgetChangeState } from '../../workflows/budget-change.contract.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { decideChangeSchema } from './change-requests.schema.js';

export async function decideChange(ctx: ServiceContext, raw: unknown): Promise<BudgetChangeState> {
  const input = parseInput(decideChangeSchema, raw);
  const r = await ctx.app.prisma.changeRequest.findFirst({ where: { id: input.requestId, workspaceId: ctx.actor.workspaceId } });
  if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId} in "${ctx.actor.workspace}"`);
  const decision = input.approve ? 'approve' : 'reject';
  try {
    requireRole(ctx, 'approver');
    if (r.status !== 'PENDING_APPROVAL')
      throw new AppError('CONFLICT', `change request ${r.id} is ${r.status.toLowerCase().replace(/_/g, ' ')}, not waiting for a decision`);
    const policy = r.policy as unknown as GuardrailPolicy;
    if (input.approve && policy.fourEyes !== false && r.requestedBy === ctx.actor.userId)
      throw new AppError('CONFLICT', 'four-eyes policy: the requester cannot approve their own request');
    const handle = (await ctx.app.temporal()).workflow.getHandle(r.id);
    try {
      return await handle.executeUpdate(decideUpdate, { args: [{ approver: ctx.actor.userId, approve: input.approve, note: input.note }] });
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError) throw new AppError('CONFLICT', (e.cause as Error | undefined)?.message ?? e.message);
      if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
        throw new AppError('TRANSIENT', 'the decision was not confirmed in time; check the request again before retrying');
      if ((e as Error).name === 'WorkflowNotFoundError') throw new AppError('CONFLICT', `change request ${r.id} is no longer waiting for a decision`);
      throw e;
    }
  } catch (e) {
    if (isAppError(e) && (e.code === 'FORBIDDEN' || e.code === 'CONFLICT'))
      await auditAs(ctx, ctx.app.prisma, {
        action: 'change_request.decision_refused',
        entityType: 'change_request',
        entityId: r.id,
        after: { decision, note: input.note ?? null },
        workflowId: r.id,
        details: { refused: e.message, status: r.status },
      }).catch(() => {});
    throw e;
  }
}
