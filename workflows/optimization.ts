// OptimizationWorkflow: optionally sync the account first (child SyncAccountWorkflow), fit and allocate in an
// activity (pure core), store the run, and hand the recommended moves to a BudgetChangeWorkflow (child,
// abandoned on completion: it waits for its approval on its own). Schedulable, e.g. daily at 06:00 account time.
import { ParentClosePolicy, executeChild, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { OptimizationActivities, OptimizeAccountResult } from '../activities/optimization.js';
import { BudgetChangeWorkflow } from './budget-change.js';
import { AccountId, ChangeStatus, Kind, Platform, RequestedBy, Workspace } from './search-attributes.js';
import { SyncAccountWorkflow } from './sync.js';

const acts = proxyActivities<OptimizationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', maximumAttempts: 5, nonRetryableErrorTypes: ['VALIDATION', 'NOT_FOUND', 'CONFIG_INVALID'] },
});

export interface OptimizationInput {
  workspace: string;
  accountId: string;
  objective: 'revenue' | 'conversions' | 'profit';
  totalBudget?: string;
  margin?: number;
  requestedBy: string;
  dryRun: boolean;
  sync: boolean;
  historyDays: number;
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
    const c = r.changeRequest;
    await startChild(BudgetChangeWorkflow, {
      workflowId: c.requestId,
      args: [{ requestId: c.requestId, requestedBy: c.requestedBy }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: Kind, value: 'budget-change' },
        { key: ChangeStatus, value: 'EVALUATING' },
        { key: Platform, value: c.platform || 'unknown' },
        { key: AccountId, value: c.accountId },
        { key: RequestedBy, value: c.requestedBy },
        { key: Workspace, value: c.workspace },
      ],
    });
  }
  return r;
}
