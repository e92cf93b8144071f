// /api/v1 approvals from chat: each member's notification channels (WhatsApp number, Slack-compatible webhook),
// the workspace's WhatsApp Business connection (admin), and the approval notices sent (and sent again on demand).
import { z } from 'zod';
import { idSchema } from '../../services/common.schema.js';
import type { AppContext } from '../../services/context.js';
import {
  connectWhatsApp,
  getWhatsApp,
  listNotificationChannels,
  removeNotificationChannel,
  setNotificationChannel,
} from '../../services/notifications/channels.js';
import { listApprovalNotices, sendApprovalNotice } from '../../services/notifications/notices.js';
import {
  approvalNoticeView,
  channelKindSchema,
  connectWhatsAppSchema,
  listApprovalNoticesSchema,
  listNotificationChannelsSchema,
  notificationChannelView,
  setNotificationChannelSchema,
} from '../../services/notifications/notifications.schema.js';
import { userIdSchema } from '../../services/common.schema.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, page, route } from '../openapi.js';

const tags = ['Approvals from chat'];

export const listChannels = route({
  method: 'get',
  path: '/notification-channels',
  tags,
  summary: "Notification channels: your own, or (admin) everyone's or one member's",
  request: { query: listNotificationChannelsSchema },
  responses: { 200: json(z.array(notificationChannelView), 'Channels (addresses as hints)') },
  errors: [404],
});
export const setChannel = route({
  method: 'put',
  path: '/notification-channels',
  tags,
  summary: "Set a notification channel: your own (any member) or another member's (admin)",
  description:
    'kind "whatsapp": address is the number in international form (+4915…); it is also linked to the member, so their Approve/Reject replies act as them (refused if another member holds the number). kind "slack": a Slack-compatible incoming webhook URL (https).',
  request: body(setNotificationChannelSchema),
  responses: { 200: json(notificationChannelView, 'The channel') },
  errors: [404, 409],
});
export const removeChannel = route({
  method: 'delete',
  path: '/notification-channels/{kind}',
  tags,
  summary: "Remove a notification channel (yours; admins: anyone's with ?userId=)",
  request: { params: z.object({ kind: channelKindSchema }), query: z.object({ userId: userIdSchema.optional() }) },
  responses: { 204: { description: 'Removed' } },
  errors: [404],
});
export const putWhatsApp = route({
  method: 'put',
  path: '/whatsapp/connection',
  tags,
  summary: "Connect the workspace's WhatsApp Business number (admin)",
  description: 'The access token, app secret and verify token are sealed and never shown again. The answer gives the webhook URL to configure in the Meta app.',
  request: body(connectWhatsAppSchema),
  responses: { 200: json(anyObject, 'The connection (no secrets) and the webhook URL') },
});
export const getWhatsAppRoute = route({
  method: 'get',
  path: '/whatsapp/connection',
  tags,
  summary: "The workspace's WhatsApp Business connection (admin), without secrets",
  responses: { 200: json(anyObject, 'The connection') },
  errors: [404],
});
export const listNotices = route({
  method: 'get',
  path: '/approval-notices',
  tags,
  summary: 'Approval notices and reminders sent to approvers (newest first)',
  request: { query: listApprovalNoticesSchema },
  responses: { 200: json(page(approvalNoticeView), 'A page of notices') },
});
export const sendNotice = route({
  method: 'post',
  path: '/change-requests/{requestId}/notices',
  tags,
  summary: "Send a pending request's notice to its approvers again now (analyst)",
  request: { params: z.object({ requestId: idSchema }) },
  responses: { 200: json(anyObject, 'What was sent') },
  errors: [404, 409],
});

export function registerNotifications(api: ApiApp, app: AppContext) {
  api.openapi(listChannels, async (c) => c.json(await listNotificationChannels(serviceContext(app, c), c.req.valid('query')), 200));
  api.openapi(setChannel, async (c) => c.json(await setNotificationChannel(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(removeChannel, async (c) => {
    await removeNotificationChannel(serviceContext(app, c), { ...c.req.valid('query'), ...c.req.valid('param') });
    return c.body(null, 204);
  });
  api.openapi(putWhatsApp, async (c) => c.json(await connectWhatsApp(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(getWhatsAppRoute, async (c) => c.json(await getWhatsApp(serviceContext(app, c)), 200));
  api.openapi(listNotices, async (c) => c.json(await listApprovalNotices(serviceContext(app, c), c.req.valid('query')), 200));
  api.openapi(sendNotice, async (c) =>
    c.json((await sendApprovalNotice(serviceContext(app, c), c.req.valid('param'))) as unknown as Record<string, unknown>, 200),
  );
}
