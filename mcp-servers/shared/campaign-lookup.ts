// Finds one campaign of the actor's workspace by MBO id or platform id, through the campaigns use cases only
// (campaignMetrics resolves the reference and says its platform; listCampaigns gives its budget and status), and —
// for a platform server — refuses a campaign of another platform as NOT_FOUND, naming the server that has it.
import { AppError } from '../../core/errors.js';
import type { CampaignView } from '../../services/campaigns/campaigns.schema.js';
import { campaignMetrics, listCampaigns } from '../../services/campaigns/campaigns.js';
import type { ServiceContext } from '../../services/actor.js';
import type { Platform } from './platforms.js';
import { PLATFORM_SERVER } from './platforms.js';

export async function findCampaign(ctx: ServiceContext, ref: string, platform?: Platform): Promise<CampaignView> {
  // An empty day range: resolves the reference (workspace-scoped, NOT_FOUND otherwise) without reading metrics.
  const { campaign } = await campaignMetrics(ctx, { campaign: ref, from: '2000-01-01', to: '2000-01-01' });
  if (platform && campaign.platform !== platform)
    throw new AppError(
      'NOT_FOUND',
      `campaign "${ref}" is a ${campaign.platform} campaign, not a ${platform} one; use ${PLATFORM_SERVER[campaign.platform as Platform] ?? 'mbo-mcp'} for it`,
    );
  let cursor: string | undefined;
  do {
    const page = await listCampaigns(ctx, { platform: campaign.platform, name: campaign.name.slice(0, 200), limit: 500, cursor });
    const found = page.items.find((c) => c.id === campaign.id);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw new AppError('NOT_FOUND', `no campaign "${ref}" in "${ctx.actor.workspace}"`);
}
