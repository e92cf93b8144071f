// whatsapp-business-mcp (port 3006): approvals from chat — send a pending request's approval notice (WhatsApp
// Approve/Reject buttons, Slack-compatible links) and see which notices went out and where approvers listen.
// Decisions never go through here: approvers answer with the buttons (the signed inbound webhook) or in MBO.
import type { McpServerDef } from '../kit/server.js';
import type { ToolDef } from '../kit/tool.js';
import { listApprovalNoticesTool } from './tools/list-approval-notices.js';
import { listNotificationChannelsTool } from './tools/list-notification-channels.js';
import { sendApprovalNoticeTool } from './tools/send-approval-notice.js';

export const whatsappBusinessServer: McpServerDef = {
  name: 'whatsapp-business-mcp',
  title: 'MBO — WhatsApp Business approvals',
  portOffset: 6,
  instructions:
    'Approvals from chat for MBO: approvers get a WhatsApp message with Approve/Reject buttons (and Slack-compatible webhook links) when a change request waits for them, and a reminder before it expires. list_approval_notices shows what went out, list_notification_channels where people listen, send_approval_notice nudges approvers again. No tool here approves, rejects or changes a campaign.',
  tools: [sendApprovalNoticeTool, listApprovalNoticesTool, listNotificationChannelsTool] as unknown as ToolDef[],
};
