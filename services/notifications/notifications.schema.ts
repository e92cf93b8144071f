// Schemas for approvals from chat (browser-safe): a member's notification channels (WhatsApp number or a
// Slack-compatible webhook URL), the workspace's WhatsApp Business connection, and the approval notices sent.
import { z } from 'zod';
import { idSchema, pageSchema, userIdSchema } from '../common.schema.js';

export const CHANNEL_KINDS = ['whatsapp', 'slack'] as const;
export const channelKindSchema = z.enum(CHANNEL_KINDS);

/** E.164: a plus, the country code, the number; spaces, dashes and brackets are tolerated and dropped. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in international form, e.g. +4915123456789'));

const httpsUrl = z
  .url()
  .max(2000)
  .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u), 'must be an https URL (http only on loopback)');

const channelBase = z.object({
  userId: userIdSchema.optional().describe('whose channel (admins may set anyone’s; default: your own)'),
  kind: channelKindSchema,
  address: z.string().trim().min(1).max(2000).describe('the WhatsApp number (E.164) or the Slack-compatible incoming webhook URL'),
  enabled: z.boolean().default(true),
});
export const setNotificationChannelSchema = channelBase.superRefine((v, c) => {
  const r = (v.kind === 'whatsapp' ? phoneSchema : httpsUrl).safeParse(v.address);
  if (!r.success) c.addIssue({ code: 'custom', path: ['address'], message: r.error.issues[0]!.message });
});
export const notificationChannelRefSchema = z.object({ userId: userIdSchema.optional(), kind: channelKindSchema });
export const listNotificationChannelsSchema = z.object({ userId: userIdSchema.optional() });

export const notificationChannelView = z.object({
  userId: z.string(),
  kind: channelKindSchema,
  address: z.string().describe('a hint of the address (the full URL is a secret and never shown)'),
  enabled: z.boolean(),
  updatedAt: z.string(),
});

export const connectWhatsAppSchema = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, 'the phone number id from WhatsApp Manager (digits)'),
  accessToken: z.string().trim().min(20, 'a system user access token').max(1000),
  appSecret: z.string().trim().min(16, 'the Meta app secret').max(200),
  verifyToken: z.string().trim().min(16, 'at least 16 characters of your choosing').max(200),
  apiBaseUrl: httpsUrl.optional().describe('Graph API base URL (default https://graph.facebook.com)'),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'like v24.0')
    .optional(),
  template: z
    .object({
      name: z
        .string()
        .trim()
        .regex(/^[a-z0-9_]{1,512}$/, 'a template name as WhatsApp Manager writes it: lowercase letters, digits and underscores'),
      language: z
        .string()
        .trim()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a template language code, e.g. en or en_US'),
    })
    .optional()
    .describe(
      'the approved template sent when an approver has not written within 24 hours (default mbo_approval_request, en): five body values, Approve and Reject quick replies',
    ),
});

export const listApprovalNoticesSchema = pageSchema.extend({ requestId: idSchema.optional() });
export const sendApprovalNoticeSchema = z.object({ requestId: idSchema });

export const approvalNoticeView = z.object({
  id: z.string(),
  requestId: z.string(),
  userId: z.string(),
  channel: z.string(),
  kind: z.enum(['request', 'reminder']),
  status: z.enum(['sending', 'sent', 'failed']),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type ApprovalNoticeView = z.infer<typeof approvalNoticeView>;
