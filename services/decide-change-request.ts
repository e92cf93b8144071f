// Use case: an approver approves or rejects a pending change request. The role is checked here against the
// current membership, and again by the workflow's Update validator (against the snapshot taken at request
// time); a refused decision changes nothing and leaves nothing in the workflow history.
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { AppError } from '../core/errors.js';
import { changeStateQuery, decideUpdate, type BudgetChangeState } from '../workflows/budget-change.js';
import type { AppContext } from './context.js';

export async function decideChangeRequest(
  ctx: AppContext,
  input: { requestId: string; approver: string; approve: boolean; note?: string },
): Promise<BudgetChangeState> {
  const r = await ctx.prisma.changeRequest.findUnique({ where: { id: input.requestId } }).catch(() => null);
  if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
  const member = await ctx.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: r.workspaceId, userId: input.approver } } });
  if (!member || (member.role !== 'approver' && member.role !== 'admin'))
    throw new AppError('FORBIDDEN', `${input.approver} does not have the approver role in this workspace`);
  const handle = (await ctx.temporal()).workflow.getHandle(input.requestId);
  try {
    return await handle.executeUpdate(decideUpdate, { args: [{ approver: input.approver, approve: input.approve, note: input.note }] });
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) throw new AppError('CONFLICT', (e.cause as Error | undefined)?.message ?? e.message);
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
      throw new AppError('TRANSIENT', 'the decision was not confirmed in time; check `mbo approvals show`');
    if ((e as Error).name === 'WorkflowNotFoundError')
      throw new AppError('CONFLICT', `change request ${input.requestId} is no longer waiting for a decision (${r.status.toLowerCase()})`);
    throw e;
  }
}

export async function getChangeRequest(ctx: AppContext, requestId: string) {
  const r = await ctx.prisma.changeRequest.findUnique({ where: { id: requestId }, include: { items: { orderBy: { seq: 'asc' } } } }).catch(() => null);
  if (!r) throw new AppError('NOT_FOUND', `no change request ${requestId}`);
  const campaigns = await ctx.prisma.campaign.findMany({ where: { id: { in: r.items.map((i) => i.campaignId) } } });
  const live = await (
    await ctx.temporal()
  ).workflow
    .getHandle(requestId)
    .query(changeStateQuery)
    .catch(() => undefined);
  return { ...r, items: r.items.map((i) => ({ ...i, campaign: campaigns.find((c) => c.id === i.campaignId) })), workflowState: live };
}

export async function listChangeRequests(ctx: AppContext, input: { workspace?: string; status?: string[] } = {}) {
  const slug = input.workspace ?? ctx.config.workspace;
  return ctx.prisma.changeRequest.findMany({
    where: { workspace: { slug }, ...(input.status?.length ? { status: { in: input.status as never } } : {}) },
    include: { items: true },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
}
