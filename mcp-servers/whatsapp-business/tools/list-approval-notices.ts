// list_approval_notices: the approval notices and reminders MBO sent (who, which channel, sent or failed and why),
// newest first, optionally for one change request (services/notifications listApprovalNotices; any member).
import { z } from 'zod';
import { approvalNoticeView, listApprovalNoticesSchema } from '../../../services/notifications/notifications.schema.js';
import { listApprovalNotices } from '../../../services/notifications/notices.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

export const listApprovalNoticesTool = defineTool({
  name: 'list_approval_notices',
  title: 'Approval notices sent',
  description:
    'The approval notices and reminders MBO sent to approvers (WhatsApp, Slack-compatible webhooks): for whom, on which channel, whether it went out, and the error if not — newest first, optionally for one change request. Use it to see whether an approver was told about a request before nudging them.',
  input: listApprovalNoticesSchema,
  output: z.object({ items: z.array(approvalNoticeView), nextCursor: z.string().nullable() }),
  annotations: READ,
  run: ({ ctx }, input) => listApprovalNotices(ctx, input),
  summary: (o) => `${o.items.length} notice(s).`,
});
