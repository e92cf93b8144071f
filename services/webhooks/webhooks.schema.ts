// Schemas for webhooks (browser-safe): outbound endpoints of a workspace, chat identities, and the inbound
// approval decision a chat tool posts back.
import { z } from 'zod';
import { idSchema, noteSchema, userIdSchema } from '../common.schema.js';

export const WEBHOOK_EVENTS = ['alert', 'approval.requested', 'change_request.closed', 'report'] as const;

export const addWebhookSchema = z.object({
  url: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).default(['alert']),
});
export const webhookIdSchema = z.object({ webhookId: idSchema });

export const CHAT_CHANNELS = ['slack', 'whatsapp', 'teams', 'generic'] as const;
export const setChatIdentitySchema = z.object({
  channel: z.enum(CHAT_CHANNELS),
  externalId: z.string().trim().min(1).max(200).describe('the chat user id or phone number (E.164)'),
  userId: userIdSchema,
});

export const inboundDecisionSchema = z.object({
  requestId: idSchema,
  decision: z.enum(['approve', 'reject']),
  channel: z.enum(CHAT_CHANNELS),
  user: z.string().trim().min(1).max(200).describe('the chat user id or phone number the decision came from'),
  note: noteSchema.optional(),
});
