// The WorkspaceOptimizationWorkflow's contract: its input, result and type name, for services that start it without
// importing the workflow's body. Workflow-safe.
import type { PlanWorkspaceInput } from '../activities/optimization.js';

export const WORKSPACE_OPTIMIZATION_WORKFLOW = 'WorkspaceOptimizationWorkflow';

export interface WorkspaceOptimizationInput extends Omit<PlanWorkspaceInput, 'workflowId'> {
  /** Sync each account first (one child SyncAccountWorkflow per account). */
  sync: boolean;
  backfillDays: number;
  lookbackDays: number;
}

export interface WorkspaceOptimizationResult {
  planId: string;
  moves: number;
  expectedUplift: number;
  /** One change request per account with moves, or why the account got none. */
  requests: { accountId: string; requestId?: string; error?: { code: string; message: string } }[];
  warnings: string[];
}

export type WorkspaceOptimizationWorkflowType = (input: WorkspaceOptimizationInput) => Promise<WorkspaceOptimizationResult>;
