// get_performance: performance across all platforms at a glance — per-platform totals of a period
// (platformMetrics) and each platform's campaigns, active ones, yesterday and last sync (getStatus).
import { z } from 'zod';
import { platformMetricsSchema } from '../../../services/campaigns/campaigns.schema.js';
import { platformMetrics } from '../../../services/campaigns/campaigns.js';
import { getStatus } from '../../../services/status/get-status.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { platformMetricsOutput } from '../../shared/metrics.js';

const statusView = z.object({
  platform: z.string(),
  currency: z.string().nullable(),
  accounts: z.array(z.object({ id: z.string(), name: z.string(), externalId: z.string() })),
  activeCampaigns: z.number(),
  campaigns: z.number(),
  yesterday: z.object({ date: z.string().nullable(), spend: z.string(), revenue: z.string(), conversions: z.string(), roas: z.number().nullable() }),
  lastSync: z.object({ status: z.string(), at: z.string(), error: z.string().nullable() }).nullable(),
});

export const getPerformanceTool = defineTool({
  name: 'get_performance',
  title: 'Performance across platforms',
  description:
    'Start here for "how are we doing": every ad platform of the workspace side by side — totals over a period (default: the last 90 synced days; pass from/to, e.g. the last 7 days for a weekly review), the latest day, active campaigns and the last sync. Then drill into a platform with its server (google-ads-mcp, …) or run_optimization.',
  input: platformMetricsSchema,
  output: platformMetricsOutput.extend({ status: z.array(statusView) }),
  annotations: READ,
  async run({ ctx }, input) {
    const [metrics, status] = await Promise.all([platformMetrics(ctx, input), getStatus(ctx)]);
    return { ...metrics, status };
  },
  summary: (o) => `${o.platforms.length} platform(s), ${o.from}…${o.to}.`,
});
