// Starts an ApprovalNoticeWorkflow on demand (a notice or reminder sent again, from the API or the
// whatsapp-business MCP tool). The notice of a new request is started by the request's own BudgetChangeWorkflow
// when it begins to wait for a decision (workflows/budget-change.ts, NOTICE_FROM_WORKFLOW), whoever opened it.
import { WorkflowIdReusePolicy } from '@temporalio/client';
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

export type { ApprovalNoticeResult };
