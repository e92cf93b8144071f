// Use case: decide a workspace-wide plan as a whole, or only some of its accounts (approvers). Each account's
// change request goes through the one decide-change use case, so roles, four-eyes, expiry and "first decision
// wins" hold exactly as for a single request; the answer reports each request's outcome. When every request is
// refused for the same reason (e.g. the role), that refusal is the answer (403, 409).
import { AppError, isAppError } from '../../core/errors.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import type { ServiceContext } from '../actor.js';
import { decideChange } from '../change-requests/decide-change.js';
import { parseInput } from '../input.js';
import { decidePlanSchema } from './workspace-optimization.schema.js';

export interface PlanDecisionOutcome {
  accountId: string;
  requestId: string;
  outcome: 'approved' | 'rejected' | 'refused';
  /** The request's status after the decision (when it was taken). */
  status?: string;
  error?: { code: string; message: string };
}

export async function decideOptimizationPlan(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(decidePlanSchema, raw);
  const plan = await ctx.app.prisma.optimizationPlan.findFirst({
    where: { id: input.planId, workspaceId: ctx.actor.workspaceId },
    include: { requests: true },
  });
  if (!plan) throw new AppError('NOT_FOUND', `no optimization plan ${input.planId} in "${ctx.actor.workspace}"`);
  let links = plan.requests;
  if (input.accounts) {
    const ids = new Set<string>();
    for (const ref of input.accounts) ids.add((await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, ref)).id);
    const outside = [...ids].filter((id) => !links.some((l) => l.accountId === id));
    if (outside.length) throw new AppError('NOT_FOUND', `plan ${plan.id} has no change request for account(s) ${outside.join(', ')}`);
    links = links.filter((l) => ids.has(l.accountId));
  }
  if (!links.length) throw new AppError('CONFLICT', `plan ${plan.id} opened no change request (${plan.dryRun ? 'a dry run' : 'no budget moves'})`);
  const outcomes: PlanDecisionOutcome[] = [];
  for (const l of [...links].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    try {
      const state = await decideChange(ctx, { requestId: l.changeRequestId, approve: input.approve, note: input.note });
      outcomes.push({ accountId: l.accountId, requestId: l.changeRequestId, outcome: input.approve ? 'approved' : 'rejected', status: state.status });
    } catch (e) {
      if (!isAppError(e)) throw e;
      outcomes.push({ accountId: l.accountId, requestId: l.changeRequestId, outcome: 'refused', error: { code: e.code, message: e.message } });
    }
  }
  const codes = new Set(outcomes.map((o) => o.error?.code ?? 'ok'));
  if (codes.size === 1 && !codes.has('ok')) {
    const first = outcomes[0]!.error!;
    throw new AppError(first.code as never, outcomes.length === 1 ? first.message : `every request of the plan was refused: ${first.message}`, { outcomes });
  }
  return { planId: plan.id, decision: input.approve ? 'approve' : 'reject', outcomes };
}
