// Use case: an optimization run explained in plain language — by Claude when configured, else the optimizer's own reasons. What `mbo optimize --explain` calls.
// Analysts and above (it runs the optimizer and spends model tokens); the run is stored with its tokens and cost.
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { explainOptimizationSchema, type AiRunView } from './ai.schema.js';
import { runAi, type AiRunOptions } from './runs.js';

export async function explainOptimization(ctx: ServiceContext, raw: unknown, opts: AiRunOptions = {}): Promise<AiRunView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(explainOptimizationSchema, raw);
  return runAi(ctx, { kind: 'explain', input }, opts);
}
