// One BudgetChangeWorkflow per change request (workflow id = request id): evaluate (only a request still
// EVALUATING; fingerprint of its content recorded) → guardrails → approval, as a validated Update bound to the
// fingerprint, first decision wins → under the account's lock: same fingerprint, guardrails hold again against what
// was applied since → apply item by item, exactly once, verified by read-back → on a permanent failure roll back
// what was applied (saga; a revert that fails is recorded, never left APPLYING) or stop at a recorded partial state.
// Every transition is an audit event; the ChangeStatus search attribute follows the state for Temporal UI.
// The contract (input, state, Update, Query, search attributes) is in ./budget-change.contract.ts.
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BudgetChangeActivities } from '../activities/budget-change.js';
import {
  changeSearchAttributes,
  changeStateQuery,
  decideUpdate,
  type BudgetChangeInput,
  type BudgetChangeState,
  type ChangeRef,
  type ChangeStatus,
  type Decision,
} from './budget-change.contract.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import { ChangeStatus as ChangeStatusKey } from './search-attributes.js';
import { changesQueueFor } from '../workers/task-queues.js';
import { APPROVAL_NOTICE_WORKFLOW, approvalNoticeWorkflowId, type ApprovalNoticeWorkflowType } from './approval-notice.contract.js';
import { platformName } from '../core/change-summary.js';

// Until the services import the contract module, its names stay available here.
export * from './budget-change.contract.js';

const nonRetryableErrorTypes = NON_RETRYABLE_ERROR_TYPES;
const forever = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes }; // no maximumAttempts: unlimited
const retry = { ...forever, maximumAttempts: 10 };
const acts = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '2m', retry });
// Recording a status never gives up (a database outage is waited out): a request is never left half-recorded.
const record = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '1m', retry: forever });
// Platform calls heartbeat, so a crashed worker's item is retried within seconds (and applied at most once).
const platform = proxyActivities<BudgetChangeActivities>({ startToCloseTimeout: '5m', heartbeatTimeout: '10s', retry });

/**
 * Changes to this workflow's command sequence, each behind `patched(id)` so that a workflow started by older code
 * (a request waiting days for approval) replays the steps it recorded (README, "Changing a workflow safely").
 * FEWER_STEPS: after the decision, one step records it and begins applying (was: record, blackout check, begin),
 * and the last item's apply also records APPLIED (was: one more step) — 2 + items steps from approval to applied.
 */
export const FEWER_STEPS = 'perf-16-fewer-steps';
/**
 * NOTICE_FROM_WORKFLOW: a request that waits for a human starts its ApprovalNoticeWorkflow (chat notices and the
 * reminder) itself, whoever opened it — the API, a workspace plan, a rule — when someone in the workspace chose a
 * chat channel (was: only requests opened through request-change, by the service).
 */
export const NOTICE_FROM_WORKFLOW = 'chat-14-notice-from-workflow';

const message = (e: unknown) => (e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message);

export async function BudgetChangeWorkflow(input: BudgetChangeInput): Promise<BudgetChangeState> {
  const { workflowId } = workflowInfo();
  const fewerSteps = patched(FEWER_STEPS);
  const requestId = input.requestId;
  const state: BudgetChangeState = { status: 'EVALUATING', requestedBy: '', approvers: [], fourEyes: true, violations: [], items: [] };
  setHandler(changeStateQuery, () => state);

  const show = (to: ChangeStatus) => {
    state.status = to;
    upsertSearchAttributes([{ key: ChangeStatusKey, value: to }]);
  };
  type Transition = Parameters<BudgetChangeActivities['transitionChangeRequest']>[0];
  // The Query shows the new status as soon as the workflow decides it (a decision sent the moment the database says
  // PENDING_APPROVAL is never refused as "evaluating"); the record follows, retried until it is written.
  const move = async (to: ChangeStatus, extra: Partial<Transition> = {}) => {
    show(to);
    await record.transitionChangeRequest({ requestId, to, workflowId, ...extra });
  };
  let decisionRecorded = false;
  let begun: Awaited<ReturnType<BudgetChangeActivities['beginApply']>> | undefined;
  let blackoutMs: number | undefined;

  // 1. Evaluate. The activity refuses (non-retryable, audited) unless the stored status is EVALUATING: a closed
  //    request started again — whatever its input says — never goes back to waiting for approval.
  let ev: Awaited<ReturnType<BudgetChangeActivities['evaluateChangeRequest']>>;
  try {
    ev = await acts.evaluateChangeRequest({ requestId, workflowId, now: new Date().toISOString() });
  } catch (e) {
    // A request that cannot be evaluated is closed (FAILED, with the reason), never left EVALUATING; one that is
    // not EVALUATING any more is left exactly as it is.
    const type = e instanceof ActivityFailure && e.cause instanceof ApplicationFailure ? e.cause.type : undefined;
    if (type !== 'RequestNotEvaluating') await move('FAILED', { details: { outcome: `could not be evaluated: ${message(e)}` } });
    throw e;
  }
  state.requestedBy = ev.requestedBy; // from the database, for four-eyes
  state.approvers = ev.approvers;
  state.fourEyes = ev.policy.fourEyes;
  state.violations = ev.violations;
  state.fingerprint = ev.fingerprint;
  state.items = ev.items.map((i) => ({ id: i.id, seq: i.seq, status: 'PENDING' }));
  if (!ev.allowed) {
    await move('BLOCKED', { details: { violations: ev.violations } });
    return state;
  }

  // 2. Approval: a validated Update. A refused decision (wrong person, already decided, content changed, not
  //    pending) leaves no trace in the history; the first accepted decision wins, the others are refused.
  if (ev.requiresApproval) {
    setHandler(
      decideUpdate,
      async (d: Decision) => {
        // The validator ran just before this (synchronously): no other decision can have slipped in between.
        if (state.decision) throw ApplicationFailure.nonRetryable(alreadyDecided(state), 'AlreadyDecided');
        state.decision = { approver: d.approver, approve: d.approve, note: d.note, fingerprint: d.fingerprint, at: new Date().toISOString() };
        // Answer once the decision is recorded, so "accepted" means APPROVED or REJECTED is in the database.
        await condition(() => decisionRecorded);
        return state;
      },
      { validator: (d: Decision) => validateDecision(state, d) },
    );
    const ttlMs = ev.policy.approvalTtlHours * 3_600_000;
    const reminderMs = Math.max(0, ttlMs - ev.policy.reminderBeforeHours * 3_600_000);
    state.expiresAt = new Date(Date.now() + ttlMs).toISOString();
    await move('PENDING_APPROVAL', { details: { expiresAt: state.expiresAt, approvers: ev.approvers, guardrails: ev.notes, fingerprint: ev.fingerprint } });
    if (ev.notify && patched(NOTICE_FROM_WORKFLOW)) await startApprovalNotice(requestId);
    let decided = await condition(() => state.decision !== undefined, reminderMs);
    if (!decided) {
      await acts.remindApprovers({ requestId, workflowId, approvers: ev.approvers, expiresAt: state.expiresAt });
      decided = await condition(() => state.decision !== undefined, ttlMs - reminderMs);
    }
    decided ||= state.decision !== undefined; // a decision accepted in the same moment the deadline passed
    if (!decided) {
      await move('EXPIRED', { details: { outcome: `no decision within ${ev.policy.approvalTtlHours} h` } });
      return state;
    }
    const d = state.decision!;
    const decision = { by: d.approver, note: d.note };
    if (fewerSteps) {
      show(d.approve ? 'APPROVED' : 'REJECTED');
      const step = await record.decideAndBeginApply({
        requestId,
        workflowId,
        approve: d.approve,
        decision,
        fingerprint: ev.fingerprint,
        now: new Date().toISOString(),
      });
      decisionRecorded = true;
      if (!d.approve) return state;
      begun = step.begin;
      blackoutMs = step.waitMs;
    } else {
      await move(d.approve ? 'APPROVED' : 'REJECTED', { actor: d.approver, decision, details: { fingerprint: ev.fingerprint } });
      decisionRecorded = true;
      if (!d.approve) return state;
    }
  } else {
    await move('APPROVED', { details: { autoApproved: true, rule: ev.notes, fingerprint: ev.fingerprint } });
  }

  // A blackout window that began after approval: wait it out (a durable timer), then apply.
  const wait = blackoutMs ?? (await acts.blackoutWait({ requestId, now: new Date().toISOString() }));
  if (wait > 0) {
    state.note = `waiting for the blackout window to end (${Math.round(wait / 60_000)} min)`;
    await sleep(wait);
    state.note = undefined;
  }

  // 3. Under the account's lock, in one transaction: the content still has the approved fingerprint and the
  //    guardrails still hold against what was applied (or is being applied) since → APPLYING; else FAILED/BLOCKED.
  //    (With FEWER_STEPS and no blackout, the decision's step already did this.)
  const begin = begun ?? (await record.beginApply({ requestId, workflowId, fingerprint: ev.fingerprint, now: new Date().toISOString() }));
  if (begin.outcome !== 'applying') {
    state.violations = begin.violations ?? state.violations;
    state.note = begin.reason;
    show(begin.outcome === 'blocked' ? 'BLOCKED' : 'FAILED');
    return state;
  }
  show('APPLYING');

  // 4. Apply item by item (only PENDING items; the activity refuses any other and re-checks the fingerprint).
  const applied: typeof state.items = [];
  let failure: string | undefined;
  let finished = false;
  for (const item of state.items) {
    if (item.status !== 'PENDING') continue;
    try {
      // The last item, all before it applied: its step also records APPLIED (FEWER_STEPS).
      const finish = fewerSteps && state.items.every((i) => i === item || i.status === 'APPLIED') ? true : undefined;
      const r = await platform.applyChangeItem({ requestId, itemId: item.id, workflowId, fingerprint: ev.fingerprint, finish });
      if (r.outcome === 'stale') {
        item.status = 'STALE';
        item.note = `changed on the platform to ${r.observed} (approved from ${r.expected}): needs re-approval`;
        continue;
      }
      item.status = 'APPLIED';
      applied.push(item);
      finished = r.finished === true;
    } catch (e) {
      failure = message(e);
      item.status = 'FAILED';
      item.note = failure;
      await record.recordItemFailure({ requestId, itemId: item.id, error: failure });
      break;
    }
  }

  if (failure) {
    if (ev.policy.onFailure === 'rollback' && applied.length) {
      // Saga compensation, newest first. A revert that fails (after its retries) is recorded and the others still
      // run; the request then ends PARTIALLY_APPLIED, naming what stays applied.
      const notReverted: { seq: number; itemId: string; error: string }[] = [];
      for (const a of [...applied].reverse()) {
        try {
          await platform.revertChangeItem({ requestId, itemId: a.id, workflowId });
          a.status = 'ROLLED_BACK';
        } catch (e) {
          const error = message(e);
          a.note = `could not be reverted: ${error}`;
          notReverted.push({ seq: a.seq, itemId: a.id, error });
        }
      }
      if (notReverted.length)
        await move('PARTIALLY_APPLIED', {
          details: {
            outcome: `item failed: ${failure}; rollback incomplete: item(s) ${notReverted.map((n) => n.seq + 1).join(', ')} could not be reverted and stay applied`,
            notReverted,
          },
        });
      else await move('ROLLED_BACK', { details: { outcome: `item failed: ${failure}; ${applied.length} applied item(s) rolled back` } });
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
  if (finished) show('APPLIED');
  else await move('APPLIED', { details: { outcome: `${applied.length} item(s) applied and verified` } });
  return state;
}

function alreadyDecided(state: BudgetChangeState): string {
  const d = state.decision!;
  return `already decided: ${d.approve ? 'approved' : 'rejected'} by ${d.approver} at ${d.at}; the first decision stands`;
}

/** The Update validator: throws (refusing the decision, nothing in history) with a message that says why. */
function validateDecision(state: BudgetChangeState, d: Decision): void {
  if (!d || typeof d.approver !== 'string' || !d.approver || typeof d.approve !== 'boolean')
    throw new Error('a decision needs an approver and approve: true|false');
  if (state.decision) throw new Error(alreadyDecided(state));
  if (state.status !== 'PENDING_APPROVAL') throw new Error(`request is ${state.status.toLowerCase().replace(/_/g, ' ')}, not pending approval`);
  if (d.fingerprint !== undefined && d.fingerprint !== state.fingerprint)
    throw new Error(
      `the request is not the one you looked at: its fingerprint is ${state.fingerprint?.slice(0, 12)}…, you saw ${String(d.fingerprint).slice(0, 12)}…; show it again before deciding`,
    );
  if (!state.approvers.includes(d.approver)) throw new Error(`${d.approver} does not have the approver role in this workspace`);
  if (state.fourEyes && d.approver === state.requestedBy)
    throw new Error(`four-eyes policy: the requester (${state.requestedBy}) cannot approve their own request`);
}

/**
 * The request's ApprovalNoticeWorkflow, under the id a service would give it (a notice already started for this
 * request counts as started, never doubled); it outlives this workflow (ABANDON) to send the reminder on its own
 * clock. A notice that cannot be started never holds the request up: the request is in every approver's inbox.
 */
async function startApprovalNotice(requestId: string): Promise<void> {
  try {
    await startChild<ApprovalNoticeWorkflowType>(APPROVAL_NOTICE_WORKFLOW, {
      workflowId: approvalNoticeWorkflowId(requestId),
      taskQueue: workflowInfo().taskQueue,
      args: [{ requestId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Approval notice · request ${requestId.slice(0, 8)}`,
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) log.warn('approval notice not started', { requestId, reason: (e as Error).message });
  }
}

/**
 * From another workflow (optimization, rules): start the request's own workflow, which outlives the caller.
 * The id is the request id and is never reused. A workflow that already exists for it (a retried step) is left
 * running and counts as started.
 */
export async function startBudgetChange(c: ChangeRef): Promise<'started' | 'already-started'> {
  try {
    await startChild(BudgetChangeWorkflow, {
      workflowId: c.requestId,
      // A sync's rules evaluation runs on the sync queue: its budget changes still run on the changes queue.
      taskQueue: changesQueueFor(workflowInfo().taskQueue),
      args: [{ requestId: c.requestId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: c.summary ?? `Budget change · ${platformName(c.platform)} · requested by ${c.requestedBy}`,
      staticDetails: c.details,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: changeSearchAttributes(c),
    });
    return 'started';
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
    throw e;
  }
}
