// get_campaign_metrics: one campaign of any platform, daily or weekly, with totals — the analytics server's view
// of what each platform server offers as get_campaign_performance.
import { campaignMetricsSchema } from '../../../services/campaigns/campaigns.schema.js';
import { defineTool } from '../../kit/tool.js';
import { performanceOutput } from '../../platform/tools/get-campaign-performance.js';
import { READ } from '../../shared/annotations.js';
import { campaignPerformance } from '../../shared/performance.js';

export const getCampaignMetricsTool = defineTool({
  name: 'get_campaign_metrics',
  title: 'Campaign metrics',
  description:
    "One campaign's spend, revenue, conversions, clicks and impressions per day or week over a range (default: the last 30 synced days), with totals and ROAS, whatever its platform. The campaign is MBO's id or the platform's id.",
  input: campaignMetricsSchema,
  output: performanceOutput,
  annotations: READ,
  run: ({ ctx }, input) => campaignPerformance(ctx, input),
});
