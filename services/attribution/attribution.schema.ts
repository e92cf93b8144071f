// Schemas for the attribution report (browser-safe).
import { z } from 'zod';
import { dateSchema } from '../common.schema.js';

export const ATTRIBUTION_MODEL_NAMES = {
  last_click: 'Last touch',
  first_click: 'First touch',
  linear: 'Linear',
  time_decay: 'Time decay (7-day half-life)',
  position_based: 'Position-based (40/20/40)',
  markov: 'Markov chain (removal effect)',
  shapley: 'Shapley value',
} as const;

export const attributionReportSchema = z
  .object({
    from: dateSchema.optional().describe('first day of touches (default: 90 days before `to`)'),
    to: dateSchema.optional().describe('last day of touches and conversions (default: the day of the latest stored touch)'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

const credit = z.object({ conversions: z.number(), value: z.string() });
export const attributionRowSchema = z.object({
  channel: z.string(),
  campaign: z.string().optional(),
  credit: z.record(z.string(), credit).describe('model → credit (conversions and value)'),
});
export const attributionReportView = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  journeys: z.object({ users: z.number(), paths: z.number(), converting: z.number(), conversions: z.number(), value: z.string(), unattributed: z.number() }),
  models: z.array(z.object({ id: z.string(), name: z.string() })),
  channels: z.array(attributionRowSchema),
  campaigns: z.array(attributionRowSchema),
  notes: z.array(z.string()),
});
