// send_approval_notice: send a pending change request's approval notice to its approvers again now — WhatsApp
// reply buttons Approve/Reject (or the approved template outside the 24-hour window) and Slack-compatible webhook links, on the channels each approver chose
// (services/notifications sendApprovalNotice; analysts and above). It decides nothing: approvers answer with the
// buttons (the signed inbound webhook) or in MBO.
import { z } from 'zod';
import { sendApprovalNoticeSchema } from '../../../services/notifications/notifications.schema.js';
import { sendApprovalNotice } from '../../../services/notifications/notices.js';
import { defineTool } from '../../kit/tool.js';

export const sendApprovalNoticeTool = defineTool({
  name: 'send_approval_notice',
  title: 'Send an approval notice',
  description:
    "Send a change request's approval notice to its approvers now, on the channels each chose (WhatsApp message with Approve/Reject buttons — the workspace's approved template when the approver has not written within 24 hours — Slack-compatible webhook with links). Use it when a request waits for a decision and an approver has just set up a channel, or to nudge them (the first notice and a reminder before expiry go out by themselves). Only for requests in PENDING_APPROVAL; it never approves anything. Needs the analyst role.",
  input: sendApprovalNoticeSchema,
  output: z.object({
    requestId: z.string(),
    outcome: z.string(),
    notices: z.array(
      z.object({
        sent: z.number().describe('notices that went out'),
        failed: z.array(z.object({ userId: z.string(), channel: z.string(), error: z.string() })),
        skipped: z.array(z.string()),
      }),
    ),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: ({ ctx }, input) => sendApprovalNotice(ctx, input),
  summary: (o) => `${o.outcome}: ${o.notices.reduce((a, n) => a + n.sent, 0)} notice(s) sent for ${o.requestId}.`,
});
