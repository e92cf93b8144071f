// get_budget: a campaign's daily budget and status now (as last synced), the guardrail limits a change must keep,
// and any change request still open for it (services/campaigns, services/guardrails, services/change-requests).
import { z } from 'zod';
import { campaignRefSchema } from '../../../services/common.schema.js';
import { campaignView } from '../../../services/campaigns/campaigns.schema.js';
import { listChanges } from '../../../services/change-requests/read-changes.js';
import { getGuardrails } from '../../../services/guardrails/guardrails.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { findCampaign } from '../../shared/campaign-lookup.js';
import { PLATFORM_LABEL, type Platform } from '../../shared/platforms.js';

const OPEN = ['EVALUATING', 'PENDING_APPROVAL', 'APPROVED', 'APPLYING'] as const;

export const getBudgetTool = (platform: Platform) =>
  defineTool({
    name: 'get_budget',
    title: `${PLATFORM_LABEL[platform]} campaign budget`,
    description: `Get a ${PLATFORM_LABEL[platform]} campaign's current daily budget and status, the guardrail limits a budget change must respect (minimum budget, largest change per step) and any change request still open for it. Use it before update_campaign_budget to pick a budget the guardrails allow and to avoid a duplicate request.`,
    input: z.object({ campaign: campaignRefSchema }),
    output: z.object({
      campaign: campaignView,
      limits: z.object({
        minBudget: z.string().nullable(),
        maxChangePct: z.number().nullable().describe('largest change per request as a share of the current budget (0.5 = ±50%); null: no limit'),
        approvalTtlHours: z.number(),
      }),
      openRequests: z.array(z.object({ requestId: z.string(), status: z.string(), change: z.string(), requestedBy: z.string(), approvalUrl: z.string() })),
    }),
    annotations: READ,
    async run({ ctx, links }, input) {
      const campaign = await findCampaign(ctx, input.campaign, platform);
      const { policy } = await getGuardrails(ctx, { account: campaign.account.id });
      const open = await listChanges(ctx, { status: [...OPEN], limit: 200 });
      return {
        campaign,
        limits: { minBudget: policy.minBudget ?? null, maxChangePct: policy.maxChangePct ?? null, approvalTtlHours: policy.approvalTtlHours },
        openRequests: open.items.flatMap((r) =>
          r.items
            .filter((i) => i.campaign.id === campaign.id)
            .map((i) => ({
              requestId: r.id,
              status: r.status,
              change: i.kind === 'budget' ? `${i.fromBudget} → ${i.toBudget}` : i.kind,
              requestedBy: r.requestedBy,
              approvalUrl: links.approval(r.id),
            })),
        ),
      };
    },
    summary: (o) =>
      `${o.campaign.name}: ${o.campaign.status}, daily budget ${o.campaign.dailyBudget ?? 'none'} ${o.campaign.currency}; ${o.openRequests.length} open request(s).`,
  });
