// Schemas for the workspace's GA4 property (browser-safe): connect it (secrets are write-only), sync its daily
// traffic, read the cross-check of GA4 key events and revenue against what the ad platforms report.
import { z } from 'zod';
import { dateSchema } from '../common.schema.js';
import { connectionUrl } from './accounts.schema.js';

export const connectGa4Schema = z.object({
  propertyId: z
    .string()
    .trim()
    .regex(/^(properties\/)?\d{1,20}$/, 'a GA4 property id is digits (Admin → Property details), not a G-… measurement id')
    .describe('the GA4 property id, e.g. 123456789'),
  secrets: z
    .object({
      clientId: z.string().min(1).max(500),
      clientSecret: z.string().min(1).max(500),
      refreshToken: z.string().min(1).max(2000),
    })
    .describe('an OAuth client and a refresh token with analytics.readonly; stored encrypted, never returned'),
  options: z.object({ baseUrl: connectionUrl.optional(), tokenUrl: connectionUrl.optional() }).optional(),
});

const rangeBase = z.object({
  from: dateSchema.optional().describe('first day (default: 30 days before `to`)'),
  to: dateSchema.optional().describe('last day (default: yesterday, UTC)'),
});
const ordered = (r: { from?: string; to?: string }) => !r.from || !r.to || r.from <= r.to;
export const ga4RangeSchema = rangeBase.refine(ordered, { message: '`from` must not be after `to`', path: ['from'] });
export const ga4RangeBase = rangeBase;
