// A deliberately unsafe edit of BudgetChangeWorkflow, for the replay test to prove it catches one: the first step
// is no longer the evaluation (as if a step had been inserted without `patched()`).
import { proxyActivities } from '@temporalio/workflow';
import type { BudgetChangeActivities } from '../../activities/budget-change.js';
import type { BudgetChangeInput } from '../../workflows/budget-change.contract.js';

const acts = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '1m' });

export async function BudgetChangeWorkflow(input: BudgetChangeInput): Promise<void> {
  await acts.blackoutWait({ requestId: input.requestId, now: new Date().toISOString() });
}
