// Use case: the expected return of one account at a total daily budget — the optimizer's prediction with its interval (a dry run), read and qualified by Claude.
// Analysts and above (it runs the optimizer and spends model tokens); the run is stored with its tokens and cost.
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { predictRoiSchema, type AiRunView } from './ai.schema.js';
import { runAi, type AiRunOptions } from './runs.js';

export async function predictRoi(ctx: ServiceContext, raw: unknown, opts: AiRunOptions = {}): Promise<AiRunView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(predictRoiSchema, raw);
  return runAi(ctx, { kind: 'predict', input }, opts);
}
