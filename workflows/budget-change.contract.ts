// The BudgetChangeWorkflow's contract: its input, state, Update, Query and search attributes — what services,
// the API and the CLI need to start it and talk to it, without importing the workflow's body. Workflow-safe.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChangeStatus } from '../core/change-status.js';
import type { Violation } from '../core/guardrails.js';
import { AccountId, ChangeStatus as ChangeStatusKey, Kind, Platform, RequestedBy, Workspace } from './search-attributes.js';

export type { ChangeStatus } from '../core/change-status.js';

/** The workflow type name (start it by name with `BudgetChangeWorkflowType` as the type argument). */
export const BUDGET_CHANGE_WORKFLOW = 'BudgetChangeWorkflow';

export interface BudgetChangeInput {
  requestId: string;
  /** Ignored: the requester is read from the stored request (kept so existing callers still type-check). */
  requestedBy?: string;
}

export interface Decision {
  approver: string;
  approve: boolean;
  note?: string;
  /**
   * The fingerprint the approver was shown (state.fingerprint). When given, the decision is refused unless it is
   * the request's current fingerprint: the approval is bound to the content that was looked at.
   */
  fingerprint?: string;
}

export type ItemStatus = 'PENDING' | 'APPLIED' | 'STALE' | 'FAILED' | 'ROLLED_BACK';

export interface BudgetChangeState {
  status: ChangeStatus;
  /** The stored requester (never the workflow input). */
  requestedBy: string;
  approvers: string[];
  fourEyes: boolean;
  /** sha-256 of the items and the policy snapshot, recorded at evaluation (core/change-fingerprint.ts). */
  fingerprint?: string;
  expiresAt?: string;
  violations: Violation[];
  decision?: Decision & { at: string };
  note?: string;
  items: { id: string; seq: number; status: ItemStatus; note?: string }[];
}

export type BudgetChangeWorkflowType = (input: BudgetChangeInput) => Promise<BudgetChangeState>;

export const decideUpdate = defineUpdate<BudgetChangeState, [Decision]>('decide');
export const changeStateQuery = defineQuery<BudgetChangeState>('state');

/** A stored change request that needs its workflow. */
export interface ChangeRef {
  requestId: string;
  workspace: string;
  accountId: string;
  platform: string;
  requestedBy: string;
  /** Temporal UI's one-line summary and details (core/change-summary.ts), when the starter has them. */
  summary?: string;
  details?: string;
}

/** The search attributes a BudgetChangeWorkflow starts with (what ops filter by in Temporal UI). */
export function changeSearchAttributes(c: ChangeRef) {
  return [
    { key: Kind, value: 'budget-change' },
    { key: ChangeStatusKey, value: 'EVALUATING' },
    { key: Platform, value: c.platform },
    { key: AccountId, value: c.accountId },
    { key: RequestedBy, value: c.requestedBy },
    { key: Workspace, value: c.workspace },
  ];
}
