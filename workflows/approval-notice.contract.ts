// The ApprovalNoticeWorkflow's contract: its type name and input, for the services that start it. Workflow-safe.
import type { NoticeKind, SendNoticesResult } from '../activities/notifications.js';

export const APPROVAL_NOTICE_WORKFLOW = 'ApprovalNoticeWorkflow';

export interface ApprovalNoticeInput {
  requestId: string;
  /** Where people open requests (links in the notices); default: the worker's MBO_PUBLIC_URL (a request's own workflow starts it without one). */
  publicUrl?: string;
  /** A notice sent on demand (the whatsapp-business MCP tool, the API): this kind once, no reminder scheduled. */
  only?: NoticeKind;
}

export interface ApprovalNoticeResult {
  outcome: string;
  notices: SendNoticesResult[];
}

export type ApprovalNoticeWorkflowType = (input: ApprovalNoticeInput) => Promise<ApprovalNoticeResult>;

export const approvalNoticeWorkflowId = (requestId: string, only?: NoticeKind) =>
  only ? `approval-notice-${requestId}-${only}-${Date.now()}` : `approval-notice-${requestId}`;
