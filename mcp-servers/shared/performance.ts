// One campaign's metrics with exact totals and ROAS (services/campaigns campaignMetrics), optionally only for one
// platform (platform servers refuse other platforms' campaigns as NOT_FOUND, naming the server that has them).
import { AppError } from '../../core/errors.js';
import { formatMoney, parseMoney, ratio } from '../../core/money.js';
import type { ServiceContext } from '../../services/actor.js';
import { campaignMetrics } from '../../services/campaigns/campaigns.js';
import { PLATFORM_SERVER, type Platform } from './platforms.js';

export async function campaignPerformance(ctx: ServiceContext, input: unknown, platform?: Platform) {
  const m = await campaignMetrics(ctx, input);
  if (platform && m.campaign.platform !== platform)
    throw new AppError(
      'NOT_FOUND',
      `campaign "${m.campaign.externalId}" is a ${m.campaign.platform} campaign; use ${PLATFORM_SERVER[m.campaign.platform as Platform]} for it`,
    );
  const sum = (k: 'spend' | 'revenue' | 'conversions') => m.points.reduce((s, p) => s + parseMoney(p[k]), 0n);
  const spend = sum('spend');
  const revenue = sum('revenue');
  return {
    ...m,
    totals: {
      spend: formatMoney(spend),
      revenue: formatMoney(revenue),
      conversions: formatMoney(sum('conversions'), 1),
      clicks: String(m.points.reduce((s, p) => s + BigInt(p.clicks), 0n)),
      impressions: String(m.points.reduce((s, p) => s + BigInt(p.impressions), 0n)),
      roas: ratio(revenue, spend),
    },
  };
}
