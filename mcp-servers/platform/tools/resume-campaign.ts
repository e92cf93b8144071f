// resume_campaign: ASKS for resuming a paused campaign — opens a change request as the caller (analysts and above); guardrails,
// a human approval and the apply step follow in MBO's workflow. Never calls the platform itself.
import { z } from 'zod';
import { campaignRefSchema, reasonSchema } from '../../../services/common.schema.js';
import { defineTool } from '../../kit/tool.js';
import { REQUEST_CHANGE } from '../../shared/annotations.js';
import { findCampaign } from '../../shared/campaign-lookup.js';
import { changeRequestResultSchema, openChangeRequest } from '../../shared/change-request.js';
import { PLATFORM_LABEL, type Platform } from '../../shared/platforms.js';

export const resumeCampaignTool = (platform: Platform) =>
  defineTool({
    name: 'resume_campaign',
    title: `Request resuming a paused ${PLATFORM_LABEL[platform]} campaign`,
    description: `Request resuming a paused ${PLATFORM_LABEL[platform]} campaign. Use it for a paused campaign worth running again (list_campaigns with status PAUSED). This does NOT change the platform: it opens an MBO change request in your name, checked against the guardrails and waiting for a human approver; only after approval does MBO apply it. Returns the request id, status, guardrail result and the approval link to give the user. Needs the analyst role.`,
    input: z.object({
      campaign: campaignRefSchema,
      reason: reasonSchema.describe('why, in a sentence (kept in the audit trail and shown to the approver)'),
    }),
    output: changeRequestResultSchema,
    annotations: REQUEST_CHANGE,
    async run(env, input) {
      const c = await findCampaign(env.ctx, input.campaign, platform);
      return openChangeRequest(env, [{ kind: 'resume', campaign: c.id }], input.reason);
    },
    summary: (o) => o.message,
  });
