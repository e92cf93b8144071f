// list_campaigns: a page of this platform's campaigns in the caller's workspace (services/campaigns listCampaigns).
import { z } from 'zod';
import { campaignView, listCampaignsSchema } from '../../../services/campaigns/campaigns.schema.js';
import { listCampaigns } from '../../../services/campaigns/campaigns.js';
import { defineTool } from '../../kit/tool.js';
import { PLATFORM_LABEL, type Platform } from '../../shared/platforms.js';
import { READ } from '../../shared/annotations.js';

export const listCampaignsTool = (platform: Platform) =>
  defineTool({
    name: 'list_campaigns',
    title: `List ${PLATFORM_LABEL[platform]} campaigns`,
    description: `List the ${PLATFORM_LABEL[platform]} campaigns of your MBO workspace with their ids, account, status and daily budget (as last synced). Use it first to find a campaign's id, or to see which campaigns are active or paused; filter by status, part of the name or account. Paged: pass nextCursor back as cursor for more. Reads MBO's synced copy; never calls the platform.`,
    input: listCampaignsSchema.omit({ platform: true }),
    output: z.object({ items: z.array(campaignView), nextCursor: z.string().nullable() }),
    annotations: READ,
    run: ({ ctx }, input) => listCampaigns(ctx, { ...input, platform }),
    summary: (out) => `${out.items.length} campaign(s)${out.nextCursor ? ' (more: pass nextCursor as cursor)' : ''}.`,
  });
