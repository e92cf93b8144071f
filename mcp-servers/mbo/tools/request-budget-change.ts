// request_budget_change: a new daily budget for a campaign of any platform — opens a change request as the caller
// (analysts and above), never touches the platform; guardrails and a human approval decide.
import { z } from 'zod';
import { budgetAmountSchema, campaignRefSchema, reasonSchema } from '../../../services/common.schema.js';
import { defineTool } from '../../kit/tool.js';
import { REQUEST_CHANGE } from '../../shared/annotations.js';
import { findCampaign } from '../../shared/campaign-lookup.js';
import { changeRequestResultSchema, openChangeRequest } from '../../shared/change-request.js';

export const requestBudgetChangeTool = defineTool({
  name: 'request_budget_change',
  title: 'Request a budget change',
  description:
    'Request a new daily budget for a campaign on any platform. This does NOT change the platform: it opens an MBO change request in your name, checked against the guardrails, that waits for a human approver; MBO applies it only after approval. Returns the request id, status (PENDING_APPROVAL, or BLOCKED with the guardrail that refused it), the guardrail result and the approval link to give the user. Give a reason (kept in the audit trail). Needs the analyst role.',
  input: z.object({
    campaign: campaignRefSchema,
    dailyBudget: budgetAmountSchema,
    reason: reasonSchema.describe('why, in a sentence (kept in the audit trail and shown to the approver)'),
  }),
  output: changeRequestResultSchema,
  annotations: REQUEST_CHANGE,
  async run(env, input) {
    const c = await findCampaign(env.ctx, input.campaign);
    return openChangeRequest(env, [{ kind: 'budget', campaign: c.id, toBudget: input.dailyBudget }], input.reason);
  },
  summary: (o) => o.message,
});
