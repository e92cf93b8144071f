// The change request's life cycle as one table: which status may follow which. The workflow moves a request only
// along these edges and the transition activity refuses any other (a retried move to the status it is already in
// is a no-op). Pure, workflow-safe; the README's status diagram is this table.
export type ChangeStatus =
  | 'EVALUATING'
  | 'BLOCKED'
  | 'PENDING_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'APPLYING'
  | 'APPLIED'
  | 'NEEDS_REAPPROVAL'
  | 'PARTIALLY_APPLIED'
  | 'ROLLED_BACK'
  | 'FAILED';

export const CHANGE_TRANSITIONS: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  // FAILED from EVALUATING: the request's workflow could not start or evaluate it (nothing was applied).
  EVALUATING: ['BLOCKED', 'PENDING_APPROVAL', 'APPROVED', 'FAILED'],
  PENDING_APPROVAL: ['APPROVED', 'REJECTED', 'EXPIRED'],
  // BLOCKED from APPROVED: guardrails no longer hold at apply time; FAILED: the content changed after evaluation.
  APPROVED: ['APPLYING', 'BLOCKED', 'FAILED'],
  APPLYING: ['APPLIED', 'NEEDS_REAPPROVAL', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'FAILED'],
  BLOCKED: [],
  REJECTED: [],
  EXPIRED: [],
  APPLIED: [],
  NEEDS_REAPPROVAL: [],
  PARTIALLY_APPLIED: [],
  ROLLED_BACK: [],
  FAILED: [],
};

export function canTransition(from: ChangeStatus, to: ChangeStatus): boolean {
  return CHANGE_TRANSITIONS[from]?.includes(to) ?? false;
}

export function isFinalStatus(s: ChangeStatus): boolean {
  return CHANGE_TRANSITIONS[s]?.length === 0;
}

/** Requests that still hold money in flight (an identical new request would duplicate them). */
export const OPEN_STATUSES: readonly ChangeStatus[] = ['EVALUATING', 'PENDING_APPROVAL', 'APPROVED', 'APPLYING'];
