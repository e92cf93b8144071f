// Use case: an account's optimization run (runId) or a workspace-wide plan (planId) explained in plain language — by
// Claude when configured, else the optimizer's own reasons. What `mbo optimize --explain` and `mbo ai explain` call.
// Analysts and above (it runs the optimizer and spends model tokens); the run is stored with its tokens and cost.
// An id that names nothing in the workspace is NOT_FOUND before any token is spent or any AI run is stored.
import { AppError } from '../../core/errors.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { explainOptimizationSchema, type AiRunView } from './ai.schema.js';
import { runAi, type AiRunOptions } from './runs.js';

export async function explainOptimization(ctx: ServiceContext, raw: unknown, opts: AiRunOptions = {}): Promise<AiRunView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(explainOptimizationSchema, raw);
  const where = { workspaceId: ctx.actor.workspaceId };
  const found = input.planId
    ? await ctx.app.prisma.optimizationPlan.findFirst({ where: { ...where, id: input.planId }, select: { id: true } })
    : await ctx.app.prisma.optimizationRun.findFirst({ where: { ...where, id: input.runId! }, select: { id: true } });
  if (!found)
    throw new AppError(
      'NOT_FOUND',
      input.planId ? `no optimization plan ${input.planId} in "${ctx.actor.workspace}"` : `no optimization run ${input.runId} in "${ctx.actor.workspace}"`,
    );
  return runAi(ctx, { kind: 'explain', input }, opts);
}
