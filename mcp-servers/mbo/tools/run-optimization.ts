// run_optimization: runs MBO's optimizer on one ad account through its workflow (services/optimization
// startOptimization; analysts and above) and waits for the plan. Unless dryRun, a plan with moves opens ONE change
// request (guardrails, a human approval) — the optimizer never changes a platform itself.
import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import { startOptimizationSchema } from '../../../services/optimization/optimization.schema.js';
import { startOptimization } from '../../../services/optimization/optimization.js';
import { getChange } from '../../../services/change-requests/read-changes.js';
import { defineTool } from '../../kit/tool.js';
import { changeRequestResult, changeRequestResultSchema } from '../../shared/change-request.js';

const WAIT_MS = 120_000;

export const runOptimizationTool = defineTool({
  name: 'run_optimization',
  title: 'Run an optimization',
  description:
    "Run MBO's budget optimizer on one ad account: it (optionally) syncs the account, fits each campaign's response curve and plans the daily budgets that maximize the objective (revenue, conversions or profit) within the total. Returns the run id (explain it with explain_recommendation), the number of moves and the expected uplift; unless dryRun is true, a plan with moves opens ONE change request that waits for a human approval (its id, status and approval link are returned). Use dryRun: true to only look. Needs the analyst role; takes up to a minute or two.",
  input: startOptimizationSchema,
  output: z.object({
    runId: z.string(),
    workflowUrl: z.string(),
    moves: z.number().describe('campaigns whose budget the plan changes (≥ 1.00 and ≥ 1%)'),
    expectedUplift: z.number().describe('expected relative gain of the objective per day (0.05 = +5%)'),
    warnings: z.array(z.string()),
    changeRequest: changeRequestResultSchema.nullable().describe('the request the plan opened (null for a dry run or no moves)'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(env, input) {
    const started = await startOptimization(env.ctx, input);
    const result = await Promise.race([
      started.handle.result(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new AppError('TRANSIENT', `the optimization is still running after ${WAIT_MS / 1000} s; follow it at ${started.url}`)),
          WAIT_MS,
        ).unref(),
      ),
    ]);
    const cr = result.changeRequest ? changeRequestResult(await getChange(env.ctx, { requestId: result.changeRequest.requestId }), env) : null;
    return {
      runId: result.runId,
      workflowUrl: started.url,
      moves: result.moves,
      expectedUplift: result.expectedUplift,
      warnings: result.warnings,
      changeRequest: cr,
    };
  },
  summary: (o) =>
    `Optimization run ${o.runId}: ${o.moves} move(s), expected ${(o.expectedUplift * 100).toFixed(1)}% uplift${o.changeRequest ? `; ${o.changeRequest.message}` : ''}.`,
});
