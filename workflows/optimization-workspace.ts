// WorkspaceOptimizationWorkflow: optionally sync every chosen account (child SyncAccountWorkflows, in parallel), fit
// and allocate over all their campaigns in one activity (pure core, report currency), store the plan, then open one
// change request per account that has moves (carrying the plan id) and start each one's BudgetChangeWorkflow
// (child, abandoned: guardrails, approval and apply run as for any request).
import { ActivityFailure, WorkflowIdReusePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BudgetChangeActivities } from '../activities/budget-change.js';
import type { OptimizationActivities } from '../activities/optimization.js';
import { startBudgetChange } from './budget-change.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import type { WorkspaceOptimizationInput, WorkspaceOptimizationResult } from './optimization-workspace.contract.js';
import { AccountId, Kind, Workspace } from './search-attributes.js';
import { SyncAccountWorkflow } from './sync.js';

const acts = proxyActivities<OptimizationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});
const record = proxyActivities<BudgetChangeActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES }, // unlimited attempts
});

export async function WorkspaceOptimizationWorkflow(input: WorkspaceOptimizationInput): Promise<WorkspaceOptimizationResult> {
  const { workflowId } = workflowInfo();
  if (input.sync)
    await Promise.all(
      input.accountIds.map((accountId) =>
        executeChild(SyncAccountWorkflow, {
          workflowId: `${workflowId}/sync-${accountId}`,
          args: [{ accountId, backfillDays: input.backfillDays, lookbackDays: input.lookbackDays }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: Kind, value: 'sync' },
            { key: AccountId, value: accountId },
            { key: Workspace, value: input.workspace },
          ],
        }),
      ),
    );
  const { sync: _s, backfillDays: _b, lookbackDays: _l, ...planInput } = input;
  const plan = await acts.planWorkspace({ ...planInput, workflowId });
  const requests: WorkspaceOptimizationResult['requests'] = [];
  if (!input.dryRun)
    for (const accountId of plan.accountsWithMoves) {
      const opened = await acts.openPlanRequest({ planId: plan.planId, accountId });
      if (!opened.changeRequest) {
        requests.push({ accountId, error: opened.error });
        continue;
      }
      const ref = opened.changeRequest;
      // The request and its workflow exist together or the request is closed: never an EVALUATING orphan.
      try {
        await startBudgetChange(ref);
        requests.push({ accountId, requestId: ref.requestId });
      } catch (e) {
        const why = e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message;
        await record.transitionChangeRequest({
          requestId: ref.requestId,
          to: 'FAILED',
          workflowId,
          details: { outcome: `its workflow could not be started: ${why}` },
        });
        requests.push({ accountId, requestId: ref.requestId, error: { code: 'FAILED', message: why } });
      }
    }
  return { planId: plan.planId, moves: plan.moves, expectedUplift: plan.expectedUplift, requests, warnings: plan.warnings };
}
