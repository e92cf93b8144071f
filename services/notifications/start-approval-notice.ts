// Starts the ApprovalNoticeWorkflow beside a new change request (called by request-change, one line): approvers
// hear about it on their channels, and get a reminder before it expires. A notice that cannot be started never
// fails the request: it is logged, and the request is in every approver's inbox anyway.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { logger } from '../../lib/logger.js';
import {
  APPROVAL_NOTICE_WORKFLOW,
  approvalNoticeWorkflowId,
  type ApprovalNoticeResult,
  type ApprovalNoticeWorkflowType,
} from '../../workflows/approval-notice.contract.js';
import type { AppContext } from '../context.js';

export async function startApprovalNotice(app: AppContext, requestId: string, only?: 'request' | 'reminder') {
  const client = await app.temporal();
  return client.workflow.start<ApprovalNoticeWorkflowType>(APPROVAL_NOTICE_WORKFLOW, {
    workflowId: approvalNoticeWorkflowId(requestId, only),
    taskQueue: app.config.temporal.taskQueue,
    args: [{ requestId, publicUrl: app.config.api.publicUrl, only }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
}

/** Fire and forget, for the request path: never throws. */
export async function noticeApprovers(app: AppContext, requestId: string, workspaceId: string): Promise<void> {
  try {
    // A workspace where nobody chose a channel starts nothing (no extra workflow per request).
    if (!(await app.prisma.notificationChannel.count({ where: { workspaceId, enabled: true } }))) return;
    await startApprovalNotice(app, requestId);
  } catch (e) {
    logger().warn({ requestId, reason: (e as Error).message }, 'approval notice not started');
  }
}

export type { ApprovalNoticeResult };
