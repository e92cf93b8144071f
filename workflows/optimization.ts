// OptimizationWorkflow: optionally sync the account first (child SyncAccountWorkflow), fit and allocate in an
// activity (pure core), store the run, and hand the recommended moves to a BudgetChangeWorkflow (child,
// abandoned on completion: it waits for its approval on its own). Schedulable, e.g. daily at 06:00 account time.
import { ActivityFailure, WorkflowIdReusePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BudgetChangeActivities } from '../activities/budget-change.js';
import type { OptimizationActivities, OptimizeAccountResult } from '../activities/optimization.js';
import { startBudgetChange } from './budget-change.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import type { OptimizationInput } from './optimization.contract.js';
import { AccountId, Kind, Workspace } from './search-attributes.js';
import { SyncAccountWorkflow } from './sync.js';

// Until the services import the contract module, its names stay available here.
export * from './optimization.contract.js';

const acts = proxyActivities<OptimizationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});
const record = proxyActivities<BudgetChangeActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES }, // unlimited attempts
});

export async function OptimizationWorkflow(input: OptimizationInput): Promise<OptimizeAccountResult> {
  const { workflowId } = workflowInfo();
  if (input.sync) {
    await executeChild(SyncAccountWorkflow, {
      workflowId: `${workflowId}/sync`,
      args: [{ accountId: input.accountId, backfillDays: input.backfillDays, lookbackDays: input.lookbackDays }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: Kind, value: 'sync' },
        { key: AccountId, value: input.accountId },
        { key: Workspace, value: input.workspace },
      ],
    });
  }
  const r = await acts.optimizeAccount({ ...input, workflowId });
  if (r.changeRequest) {
    // The request and its workflow exist together or the request is closed: never an EVALUATING orphan.
    try {
      await startBudgetChange(r.changeRequest);
    } catch (e) {
      const why = e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message;
      await record.transitionChangeRequest({
        requestId: r.changeRequest.requestId,
        to: 'FAILED',
        workflowId,
        details: { outcome: `its workflow could not be started: ${why}` },
      });
      throw e;
    }
  }
  return r;
}
