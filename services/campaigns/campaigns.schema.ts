// Schemas for campaigns and their metrics (browser-safe).
import { z } from 'zod';
import { accountRefSchema, campaignRefSchema, dateSchema, pageSchema, platformSchema } from '../common.schema.js';

export const listCampaignsSchema = pageSchema.extend({
  platform: platformSchema.optional(),
  account: accountRefSchema.optional(),
  status: z.enum(['ACTIVE', 'PAUSED', 'REMOVED']).optional(),
  name: z.string().trim().min(1).max(200).optional().describe('part of the campaign name or the platform campaign id (case-insensitive)'),
});

export const campaignView = z.object({
  id: z.string(),
  externalId: z.string(),
  name: z.string(),
  platform: platformSchema,
  account: z.object({ id: z.string(), externalId: z.string(), name: z.string() }),
  status: z.enum(['ACTIVE', 'PAUSED', 'REMOVED']),
  dailyBudget: z.string().nullable(),
  currency: z.string(),
  lastSyncedAt: z.string().nullable(),
});
export type CampaignView = z.infer<typeof campaignView>;

const range = {
  from: dateSchema.optional().describe('first day (default: 30 days before `to`)'),
  to: dateSchema.optional().describe('last day (default: the latest synced day)'),
};
export const campaignMetricsQuerySchema = z
  .object({ granularity: z.enum(['day', 'week']).default('day'), ...range })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '`from` must not be after `to`', path: ['from'] });
export const campaignMetricsSchema = z
  .object({ campaign: campaignRefSchema, granularity: z.enum(['day', 'week']).default('day'), ...range })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '`from` must not be after `to`', path: ['from'] });

export const platformMetricsSchema = z
  .object({
    ...range,
    reportCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'a currency code such as EUR')
      .optional(),
  })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((r) => !r.from || !r.to || Date.parse(r.to) - Date.parse(r.from) <= 731 * 86_400_000, { message: 'at most two years at once', path: ['from'] });

export const metricPoint = z.object({
  date: z.string(),
  spend: z.string(),
  revenue: z.string(),
  conversions: z.string(),
  clicks: z.string(),
  impressions: z.string(),
});
