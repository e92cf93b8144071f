// Output schemas of the metric use cases (services/campaigns platformMetrics), as MCP tools return them.
import { z } from 'zod';
import { platformSchema } from '../../services/common.schema.js';

const totals = { spend: z.string(), revenue: z.string(), conversions: z.string(), clicks: z.string(), impressions: z.string() };

export const platformAggregateSchema = z.object({
  platform: platformSchema,
  accounts: z.number(),
  currency: z.string().nullable().describe('the currency of spend and revenue; null when accounts differ (see byCurrency)'),
  spend: z.string().nullable(),
  revenue: z.string().nullable(),
  conversions: z.string(),
  clicks: z.string(),
  impressions: z.string(),
  byCurrency: z.array(z.object({ currency: z.string(), ...totals })),
});

export const platformMetricsOutput = z.object({ from: z.string(), to: z.string(), platforms: z.array(platformAggregateSchema) });
