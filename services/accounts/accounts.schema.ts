// Schemas for ad accounts (browser-safe). Secrets are write-only: they go in, they never come back out.
import { z } from 'zod';
import { CONVERSION_METRIC_CHOICES } from '../../connectors/tiktok/wire.js';
import { accountRefSchema, platformSchema } from '../common.schema.js';

export const connectionUrl = z
  .url()
  .max(500)
  .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u + '/'), 'https, or http on loopback only');

export const connectAccountSchema = z.object({
  platform: platformSchema,
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe("the account's id on the platform (Google customer id, Meta act_…, TikTok advertiser id, LinkedIn account id)"),
  secrets: z
    .record(z.string().min(1).max(100), z.string().max(10_000))
    .refine((s) => Object.keys(s).length > 0 && Object.keys(s).length <= 20, '1 to 20 fields')
    .describe('the credentials the platform needs (see the README per platform); stored encrypted, never returned'),
  options: z
    .object({
      baseUrl: connectionUrl.optional(),
      tokenUrl: connectionUrl.optional(),
      conversionActionTypes: z.array(z.string().max(200)).max(20).optional(),
      revenueActionTypes: z.array(z.string().max(200)).max(20).optional(),
      conversionMetrics: z
        .object({ conversions: z.enum(CONVERSION_METRIC_CHOICES), conversionValue: z.enum(CONVERSION_METRIC_CHOICES) })
        .optional()
        .describe('TikTok: which report metrics count as conversions and conversion value (default conversion / total_complete_payment_rate)'),
    })
    .optional(),
});

export const accountParamSchema = z.object({ account: accountRefSchema });
