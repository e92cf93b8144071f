// update_campaign_budget: ASKS for a new daily budget — opens a change request as the caller (analysts and above);
// guardrails, a human approval and the apply step follow in MBO's workflow. Never calls the platform itself.
import { z } from 'zod';
import { budgetAmountSchema, campaignRefSchema, reasonSchema } from '../../../services/common.schema.js';
import { defineTool } from '../../kit/tool.js';
import { REQUEST_CHANGE } from '../../shared/annotations.js';
import { findCampaign } from '../../shared/campaign-lookup.js';
import { changeRequestResultSchema, openChangeRequest } from '../../shared/change-request.js';
import { PLATFORM_LABEL, type Platform } from '../../shared/platforms.js';

export const updateCampaignBudgetTool = (platform: Platform) =>
  defineTool({
    name: 'update_campaign_budget',
    title: `Request a ${PLATFORM_LABEL[platform]} budget change`,
    description: `Request a new daily budget for a ${PLATFORM_LABEL[platform]} campaign. This does NOT change the platform: it opens an MBO change request in your name, which is checked against the guardrails and waits for a human approver; only after approval does MBO apply it. Returns the request id, status (PENDING_APPROVAL, or BLOCKED with the guardrail that refused it), the guardrail result and the approval link to give the user. Use get_budget first to see the allowed range; give a reason (kept in the audit trail). Needs the analyst role.`,
    input: z.object({
      campaign: campaignRefSchema,
      dailyBudget: budgetAmountSchema,
      reason: reasonSchema.describe('why, in a sentence (kept in the audit trail and shown to the approver)'),
    }),
    output: changeRequestResultSchema,
    annotations: REQUEST_CHANGE,
    async run(env, input) {
      const c = await findCampaign(env.ctx, input.campaign, platform);
      return openChangeRequest(env, [{ kind: 'budget', campaign: c.id, toBudget: input.dailyBudget }], input.reason);
    },
    summary: (o) => o.message,
  });
