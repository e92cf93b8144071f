// Use cases to read change requests (any member): one with its live workflow state, or a page of them.
import { AppError } from '../../core/errors.js';
import { changeStateQuery, type BudgetChangeState } from '../../workflows/budget-change.contract.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { changeRequestIdSchema, listChangeRequestsSchema, type ChangeRequestView } from './change-requests.schema.js';
import { loadChangeRequestViews } from './view.js';

const LIVE_QUERY_MS = 2000;

export async function getChange(ctx: ServiceContext, raw: unknown): Promise<ChangeRequestView & { live?: BudgetChangeState }> {
  requireRole(ctx, 'viewer');
  const { requestId } = parseInput(changeRequestIdSchema, raw);
  const [view] = await loadChangeRequestViews(ctx.app, { workspaceId: ctx.actor.workspaceId, ids: [requestId] });
  if (!view) throw new AppError('NOT_FOUND', `no change request ${requestId} in "${ctx.actor.workspace}"`);
  // The live state is a bonus: with no worker polling, a query waits for the RPC deadline — answer without it
  // (the abort also stops the client's retries, so nothing is left running).
  const client = await ctx.app.temporal();
  const live = await client
    .withAbortSignal(AbortSignal.timeout(LIVE_QUERY_MS), () => client.workflow.getHandle(requestId).query(changeStateQuery))
    .catch(() => undefined);
  // Under four-eyes the requester holds the role but may not approve their own request: never list them as one.
  if (live?.fourEyes) live.approvers = live.approvers.filter((a) => a !== view.requestedBy);
  return { ...view, live };
}

export async function listChanges(ctx: ServiceContext, raw: unknown = {}): Promise<{ items: ChangeRequestView[]; nextCursor: string | null }> {
  requireRole(ctx, 'viewer');
  const input = parseInput(listChangeRequestsSchema, raw);
  const rows = await ctx.app.prisma.changeRequest.findMany({
    where: {
      workspaceId: ctx.actor.workspaceId,
      ...(input.status?.length ? { status: { in: input.status } } : {}),
      ...after('createdAt', input.cursor),
    },
    select: { id: true, createdAt: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, input.limit, (r) => r.createdAt);
  const items = await loadChangeRequestViews(ctx.app, { workspaceId: ctx.actor.workspaceId, ids: page.map((r) => r.id) });
  return { items, nextCursor };
}
