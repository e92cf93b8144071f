// One ApprovalNoticeWorkflow per change request (started beside its BudgetChangeWorkflow, which it never touches):
// wait until the request is evaluated; if it waits for a human, notify every approver on their channels; sleep
// until the reminder is due (expiry minus the policy's reminderBeforeHours) and, if it is still pending then,
// remind them on the same channels. Decisions come back through the decide use case, never through here.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { NotificationActivities, SendNoticesResult } from '../activities/notifications.js';
import type { ApprovalNoticeInput, ApprovalNoticeResult } from './approval-notice.contract.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';

const acts = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

export async function ApprovalNoticeWorkflow(input: ApprovalNoticeInput): Promise<ApprovalNoticeResult> {
  const notices: SendNoticesResult[] = [];
  const send = async (kind: 'request' | 'reminder') => {
    try {
      notices.push(await acts.sendApprovalNotices({ requestId: input.requestId, kind, publicUrl: input.publicUrl }));
    } catch (e) {
      // Notices are a courtesy: a channel that stays broken never fails the request (the inbox still shows it).
      notices.push({ sent: 0, failed: [{ userId: '*', channel: '*', error: (e as Error).message }], skipped: [] });
    }
  };
  // Evaluation takes a moment (guardrails in the request's own workflow): look again, quickly at first.
  let t = await acts.approvalNoticeTarget({ requestId: input.requestId });
  for (let i = 0; t.status === 'EVALUATING' && i < 200; i++) {
    await sleep(i < 20 ? 500 : 5_000);
    t = await acts.approvalNoticeTarget({ requestId: input.requestId });
  }
  if (t.status !== 'PENDING_APPROVAL') return { outcome: `no notice: the request is ${t.status.toLowerCase()}`, notices };
  if (input.only) {
    await send(input.only);
    return { outcome: `${input.only} sent`, notices };
  }
  await send('request');
  if (!t.remindAt) return { outcome: 'notified', notices };
  const wait = Date.parse(t.remindAt) - Date.now();
  if (wait > 0) await sleep(wait);
  t = await acts.approvalNoticeTarget({ requestId: input.requestId });
  if (t.status !== 'PENDING_APPROVAL') return { outcome: `notified; decided before the reminder (${t.status.toLowerCase()})`, notices };
  await send('reminder');
  return { outcome: 'notified and reminded', notices };
}
