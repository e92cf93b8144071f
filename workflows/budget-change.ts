// One BudgetChangeWorkflow per change request (workflow id = request id): guardrails → (approval, as a
// validated Update, with a reminder and an expiry) → re-read and apply item by item, exactly once, verified by
// read-back → on a permanent failure roll back what was applied (saga) or stop at a recorded partial state.
// Every transition is an audit event; the ChangeStatus search attribute follows the state for Temporal UI.
import {
  ActivityFailure,
  ParentClosePolicy,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { BudgetChangeActivities } from '../activities/budget-change.js';
import type { Violation } from '../core/guardrails.js';
import { NON_RETRYABLE_CONNECTOR_ERRORS } from '../connectors/errors.js';
import { AccountId, ChangeStatus as ChangeStatusKey, Kind, Platform, RequestedBy, Workspace } from './search-attributes.js';

const nonRetryableErrorTypes = [...NON_RETRYABLE_CONNECTOR_ERRORS, 'VALIDATION', 'NOT_FOUND', 'CONFIG_INVALID'];
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10, nonRetryableErrorTypes };
const acts = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '2m', retry });
// Platform calls heartbeat, so a crashed worker's item is retried within seconds (and applied at most once).
const platform = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry });

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

export interface Decision {
  approver: string;
  approve: boolean;
  note?: string;
}

export interface BudgetChangeInput {
  requestId: string;
  requestedBy: string;
}

export interface BudgetChangeState {
  status: ChangeStatus;
  requestedBy: string;
  approvers: string[];
  fourEyes: boolean;
  expiresAt?: string;
  violations: Violation[];
  decision?: Decision;
  note?: string;
  items: { id: string; seq: number; status: 'PENDING' | 'APPLIED' | 'STALE' | 'FAILED' | 'ROLLED_BACK'; note?: string }[];
}

export const decideUpdate = defineUpdate<BudgetChangeState, [Decision]>('decide');
export const changeStateQuery = defineQuery<BudgetChangeState>('state');

export async function BudgetChangeWorkflow(input: BudgetChangeInput): Promise<BudgetChangeState> {
  const { workflowId } = workflowInfo();
  const state: BudgetChangeState = { status: 'EVALUATING', requestedBy: input.requestedBy, approvers: [], fourEyes: true, violations: [], items: [] };
  setHandler(changeStateQuery, () => state);

  type Transition = Parameters<BudgetChangeActivities['transitionChangeRequest']>[0];
  const move = async (to: ChangeStatus, extra: Partial<Transition> = {}) => {
    state.status = to;
    upsertSearchAttributes([{ key: ChangeStatusKey, value: to }]);
    await acts.transitionChangeRequest({ requestId: input.requestId, to, workflowId, ...extra });
  };

  const ev = await acts.evaluateChangeRequest({ requestId: input.requestId, now: new Date().toISOString() });
  state.approvers = ev.approvers;
  state.fourEyes = ev.policy.fourEyes;
  state.violations = ev.violations;
  state.items = ev.items.map((i) => ({ id: i.id, seq: i.seq, status: 'PENDING' }));
  if (!ev.allowed) {
    await move('BLOCKED', { details: { violations: ev.violations } });
    return state;
  }

  if (ev.requiresApproval) {
    // Decisions arrive as a validated Update: a refused one (wrong person, not pending) leaves no trace in history.
    setHandler(
      decideUpdate,
      (d) => {
        state.decision = d;
        return state;
      },
      {
        validator: (d) => {
          if (state.status !== 'PENDING_APPROVAL') throw new Error(`request is ${state.status.toLowerCase()}, not pending approval`);
          if (!d || typeof d.approver !== 'string' || typeof d.approve !== 'boolean') throw new Error('a decision needs an approver and approve: true|false');
          if (!state.approvers.includes(d.approver)) throw new Error(`${d.approver} does not have the approver role in this workspace`);
          if (state.fourEyes && d.approver === state.requestedBy) throw new Error('four-eyes policy: the requester cannot approve their own request');
        },
      },
    );
    const ttlMs = ev.policy.approvalTtlHours * 3_600_000;
    const reminderMs = Math.max(0, ttlMs - ev.policy.reminderBeforeHours * 3_600_000);
    state.expiresAt = new Date(Date.now() + ttlMs).toISOString();
    await move('PENDING_APPROVAL', { details: { expiresAt: state.expiresAt, approvers: ev.approvers, guardrails: ev.notes } });
    let decided = await condition(() => state.decision !== undefined, reminderMs);
    if (!decided) {
      await acts.remindApprovers({ requestId: input.requestId, workflowId, approvers: ev.approvers, expiresAt: state.expiresAt });
      decided = await condition(() => state.decision !== undefined, ttlMs - reminderMs);
    }
    if (!decided) {
      await move('EXPIRED', { details: { outcome: `no decision within ${ev.policy.approvalTtlHours} h` } });
      return state;
    }
    const d = state.decision!;
    if (!d.approve) {
      await move('REJECTED', { actor: d.approver, decision: { by: d.approver, note: d.note } });
      return state;
    }
    await move('APPROVED', { actor: d.approver, decision: { by: d.approver, note: d.note } });
  } else {
    await move('APPROVED', { details: { autoApproved: true, rule: ev.notes } });
  }

  // A blackout window that began after approval: wait it out (a durable timer), then apply.
  const wait = await acts.blackoutWait({ requestId: input.requestId, now: new Date().toISOString() });
  if (wait > 0) {
    state.note = `waiting for the blackout window to end (${Math.round(wait / 60_000)} min)`;
    await sleep(wait);
    state.note = undefined;
  }
  await move('APPLYING');
  const applied: typeof state.items = [];
  let failure: string | undefined;
  for (const item of state.items) {
    try {
      const r = await platform.applyChangeItem({ requestId: input.requestId, itemId: item.id, workflowId });
      if (r.outcome === 'stale') {
        item.status = 'STALE';
        item.note = `changed on the platform to ${r.observed} (approved from ${r.expected}): needs re-approval`;
        continue;
      }
      item.status = 'APPLIED';
      applied.push(item);
    } catch (e) {
      failure = e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message;
      item.status = 'FAILED';
      item.note = failure;
      await acts.recordItemFailure({ requestId: input.requestId, itemId: item.id, error: failure });
      break;
    }
  }

  if (failure) {
    if (ev.policy.onFailure === 'rollback' && applied.length) {
      for (const a of [...applied].reverse()) {
        await platform.revertChangeItem({ requestId: input.requestId, itemId: a.id, workflowId });
        a.status = 'ROLLED_BACK';
      }
      await move('ROLLED_BACK', { details: { outcome: `item failed: ${failure}; ${applied.length} applied item(s) rolled back` } });
    } else if (applied.length) await move('PARTIALLY_APPLIED', { details: { outcome: `item failed: ${failure}; ${applied.length} item(s) stay applied` } });
    else await move('FAILED', { details: { outcome: failure } });
    return state;
  }
  if (state.items.some((i) => i.status === 'STALE')) {
    await move('NEEDS_REAPPROVAL', {
      details: {
        outcome: 'some campaigns were changed on the platform after approval; they were left untouched',
        stale: state.items.filter((i) => i.status === 'STALE').map((i) => i.seq),
      },
    });
    return state;
  }
  await move('APPLIED', { details: { outcome: `${applied.length} item(s) applied and verified` } });
  return state;
}

/** A stored change request that needs its workflow. */
export interface ChangeRef {
  requestId: string;
  workspace: string;
  accountId: string;
  platform: string;
  requestedBy: string;
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

/** From another workflow (optimization, rules): start the request's own workflow, which outlives the caller. */
export function startBudgetChange(c: ChangeRef) {
  return startChild(BudgetChangeWorkflow, {
    workflowId: c.requestId,
    args: [{ requestId: c.requestId, requestedBy: c.requestedBy }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: changeSearchAttributes(c),
  });
}
