// list_notification_channels: where approvers hear about requests — your own channels, or everyone's for an admin
// (services/notifications listNotificationChannels). Addresses are hints; a webhook URL is never shown.
import { z } from 'zod';
import { listNotificationChannelsSchema, notificationChannelView } from '../../../services/notifications/notifications.schema.js';
import { listNotificationChannels } from '../../../services/notifications/channels.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

export const listNotificationChannelsTool = defineTool({
  name: 'list_notification_channels',
  title: 'Notification channels',
  description:
    "Where members hear about requests waiting for their decision (WhatsApp number, Slack-compatible webhook): your own, or — for an admin — everyone's or one member's. Use it to tell why an approver got no notice. Addresses are shown as hints only.",
  input: listNotificationChannelsSchema,
  output: z.object({ items: z.array(notificationChannelView) }),
  annotations: READ,
  run: async ({ ctx }, input) => ({ items: await listNotificationChannels(ctx, input) }),
  summary: (o) => `${o.items.length} channel(s).`,
});
