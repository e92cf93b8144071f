// Use case: Claude analyzes the workspace's (or one account's) performance through MBO's tools — anomalies, tracking gaps and learning phases questioned; without an API key, MBO's own figures and the optimizer's reasons.
// Analysts and above (it runs the optimizer and spends model tokens); the run is stored with its tokens and cost.
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { analyzePerformanceSchema, type AiRunView } from './ai.schema.js';
import { runAi, type AiRunOptions } from './runs.js';

export async function analyzePerformance(ctx: ServiceContext, raw: unknown, opts: AiRunOptions = {}): Promise<AiRunView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(analyzePerformanceSchema, raw);
  return runAi(ctx, { kind: 'analyze', input }, opts);
}
