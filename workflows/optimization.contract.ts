// The OptimizationWorkflow's contract: its input and the workflow type name, for services that start it without
// importing the workflow's body. Workflow-safe.
import type { OptimizeAccountInput, OptimizeAccountResult } from '../activities/optimization.js';

export const OPTIMIZATION_WORKFLOW = 'OptimizationWorkflow';

export interface OptimizationInput extends Omit<OptimizeAccountInput, 'workflowId'> {
  sync: boolean;
  backfillDays: number;
  lookbackDays: number;
}

export type { OptimizeAccountResult };
export type OptimizationWorkflowType = (input: OptimizationInput) => Promise<OptimizeAccountResult>;
