// Use case: a budget allocation for one account — the optimizer plans it (a dry run), Claude explains and questions it; with propose, Claude may open change requests that each wait for a human approver.
// Analysts and above (it runs the optimizer and spends model tokens); the run is stored with its tokens and cost.
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { recommendBudgetAllocationSchema, type AiRunView } from './ai.schema.js';
import { runAi, type AiRunOptions } from './runs.js';

export async function recommendBudgetAllocation(ctx: ServiceContext, raw: unknown, opts: AiRunOptions = {}): Promise<AiRunView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(recommendBudgetAllocationSchema, raw);
  return runAi(ctx, { kind: 'recommend', input }, opts);
}
