// OptimizationWorkflow: optionally sync the account first (child SyncAccountWorkflow), fit and allocate in an
// activity (pure core), store the run, and hand the recommended moves to a BudgetChangeWorkflow (child,
// abandoned on completion: it waits for its approval on its own). Schedulable, e.g. daily at 06:00 account time.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { OptimizationActivities, OptimizeAccountInput, OptimizeAccountResult } from '../activities/optimization.js';
import { startBudgetChange } from './budget-change.js';
import { AccountId, Kind, Workspace } from './search-attributes.js';
import { SyncAccountWorkflow } from './sync.js';

const acts = proxyActivities<OptimizationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5, nonRetryableErrorTypes: ['VALIDATION', 'NOT_FOUND', 'CONFIG_INVALID'] },
});

export interface OptimizationInput extends Omit<OptimizeAccountInput, 'workflowId'> {
  sync: boolean;
  backfillDays: number;
  lookbackDays: number;
}

export async function OptimizationWorkflow(input: OptimizationInput): Promise<OptimizeAccountResult> {
  const { workflowId } = workflowInfo();
  if (input.sync) {
    await executeChild(SyncAccountWorkflow, {
      workflowId: `${workflowId}/sync`,
      args: [{ accountId: input.accountId, backfillDays: input.backfillDays, lookbackDays: input.lookbackDays }],
      typedSearchAttributes: [
        { key: Kind, value: 'sync' },
        { key: AccountId, value: input.accountId },
        { key: Workspace, value: input.workspace },
      ],
    });
  }
  const r = await acts.optimizeAccount({ ...input, workflowId });
  if (r.changeRequest) {
    await startBudgetChange(r.changeRequest);
  }
  return r;
}
