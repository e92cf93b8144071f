// get_platform_metrics: per-platform totals of a period (services/campaigns platformMetrics; exact, per currency or
// converted into a report currency).
import { platformMetricsSchema } from '../../../services/campaigns/campaigns.schema.js';
import { platformMetrics } from '../../../services/campaigns/campaigns.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { platformMetricsOutput } from '../../shared/metrics.js';

export const getPlatformMetricsTool = defineTool({
  name: 'get_platform_metrics',
  title: 'Metrics per platform',
  description:
    "Spend, revenue, conversions, clicks and impressions per ad platform over a period (default: the last 90 synced days), summed exactly; with reportCurrency (e.g. EUR) spend and revenue are converted day by day. Use it to compare platforms or to see the workspace's totals; for one campaign use get_campaign_metrics.",
  input: platformMetricsSchema,
  output: platformMetricsOutput,
  annotations: READ,
  run: ({ ctx }, input) => platformMetrics(ctx, input),
  summary: (o) => `${o.from}…${o.to}: ${o.platforms.map((p) => `${p.platform} spend ${p.spend ?? 'mixed currencies'}`).join(', ') || 'no data'}.`,
});
