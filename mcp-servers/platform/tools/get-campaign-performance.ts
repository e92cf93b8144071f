// get_campaign_performance: one campaign's daily or weekly spend, revenue, conversions, clicks and impressions over
// a range, with totals and ROAS (services/campaigns campaignMetrics; sums exact in micros).
import { z } from 'zod';
import { campaignMetricsSchema, metricPoint } from '../../../services/campaigns/campaigns.schema.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { campaignPerformance } from '../../shared/performance.js';
import { PLATFORM_LABEL, type Platform } from '../../shared/platforms.js';

export const performanceOutput = z.object({
  campaign: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string(), currency: z.string() }),
  from: z.string(),
  to: z.string(),
  granularity: z.enum(['day', 'week']),
  points: z.array(metricPoint),
  totals: z.object({
    spend: z.string(),
    revenue: z.string(),
    conversions: z.string(),
    clicks: z.string(),
    impressions: z.string(),
    roas: z.number().nullable().describe('revenue / spend; null without spend'),
  }),
});

export const getCampaignPerformanceTool = (platform: Platform) =>
  defineTool({
    name: 'get_campaign_performance',
    title: `${PLATFORM_LABEL[platform]} campaign performance`,
    description: `Fetch one ${PLATFORM_LABEL[platform]} campaign's performance — spend, revenue, conversions, clicks, impressions per day or week, with totals and ROAS — over a date range (default: the last 30 synced days). Use it to judge whether a campaign earns its budget before proposing a change. The campaign is MBO's id or the platform's id (see list_campaigns). Reads MBO's synced data; never calls the platform.`,
    input: campaignMetricsSchema,
    output: performanceOutput,
    annotations: READ,
    run: ({ ctx }, input) => campaignPerformance(ctx, input, platform),
    summary: (o) =>
      `${o.campaign.name} (${o.campaign.externalId}) ${o.from}…${o.to}: spend ${o.totals.spend} ${o.campaign.currency}, revenue ${o.totals.revenue}, ROAS ${o.totals.roas?.toFixed(2) ?? 'n/a'}.`,
  });
