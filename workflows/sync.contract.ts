// The sync workflows' contract: inputs, results, the progress Query and the workflow type names — what services
// and the CLI need to start and watch a sync without importing the workflows' bodies. Workflow-safe.
import { defineQuery } from '@temporalio/workflow';
import type { DateRange } from '../core/dates.js';

export const SYNC_ALL_WORKFLOW = 'SyncAllWorkflow';
export const SYNC_ACCOUNT_WORKFLOW = 'SyncAccountWorkflow';

export interface SyncOptions {
  workspace: string;
  accountIds?: string[];
  range?: DateRange;
  backfillDays: number;
  lookbackDays: number;
}

export type AccountSyncState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface AccountSyncProgress {
  accountId: string;
  platform: string;
  name: string;
  state: AccountSyncState;
  rows?: number;
  range?: DateRange;
  error?: string;
}

export interface SyncAllResult {
  accounts: AccountSyncProgress[];
  succeeded: number;
  failed: number;
}

export interface SyncAccountInput {
  accountId: string;
  range?: DateRange;
  backfillDays: number;
  lookbackDays: number;
}

export interface SyncAccountResult {
  syncRunId: string;
  range: DateRange;
  campaigns: number;
  rows: number;
  pages: number;
}

export const syncProgressQuery = defineQuery<AccountSyncProgress[]>('syncProgress');

export type SyncAllWorkflowType = (options: SyncOptions) => Promise<SyncAllResult>;
export type SyncAccountWorkflowType = (input: SyncAccountInput) => Promise<SyncAccountResult>;
