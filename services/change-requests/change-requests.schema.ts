// Schemas for change requests (browser-safe): the API routes, the CLI's `budget`/`approvals` commands, the MCP
// write tools and the web inbox all validate with these.
import { z } from 'zod';
import { budgetAmountSchema, campaignRefSchema, idSchema, noteSchema, pageSchema, reasonSchema } from '../common.schema.js';

export const CHANGE_STATUSES = [
  'EVALUATING',
  'BLOCKED',
  'PENDING_APPROVAL',
  'APPROVED',
  'REJECTED',
  'EXPIRED',
  'APPLYING',
  'APPLIED',
  'NEEDS_REAPPROVAL',
  'PARTIALLY_APPLIED',
  'ROLLED_BACK',
  'FAILED',
] as const;
export const changeStatusSchema = z.enum(CHANGE_STATUSES);

/** The bidding targets MBO can change, as the platforms call them (Google: target CPA / ROAS; Meta: bid or cost cap; …). */
export const BID_KINDS = ['target_cpa', 'target_roas', 'bid_cap', 'cost_cap', 'bid'] as const;
export const bidKindSchema = z.enum(BID_KINDS);

/** A bid target value: a positive decimal (a ratio for target_roas, e.g. 3.5; money in the account currency otherwise). */
export const bidValueSchema = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,4})?$/, 'must be a positive decimal such as 12.50 (a target ROAS such as 3.5)')
  .refine((v) => Number(v) > 0, 'must be above 0')
  .describe('the new bid target: money in the account currency (target CPA, bid or cost cap) or a ratio (target ROAS)');

export const bidChangeItemSchema = z
  .object({
    kind: z.literal('bid'),
    campaign: campaignRefSchema,
    bidKind: bidKindSchema.optional().describe('the target the campaign bids with; when given, it must be the one the campaign uses'),
    to: bidValueSchema.optional(),
    byPct: z
      .number()
      .gt(-100, 'a bid target cannot go down by 100 % or more')
      .max(1000)
      .refine((v) => v !== 0, 'a change of 0 % changes nothing')
      .optional()
      .describe('change the current target by this many percent, e.g. 10 or -15'),
  })
  .refine((b) => (b.to === undefined) !== (b.byPct === undefined), {
    message: 'give one new target ("to") or one change in percent ("byPct"): not both, not neither',
  });

export const changeItemInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('budget'), campaign: campaignRefSchema, toBudget: budgetAmountSchema }),
  z.object({ kind: z.literal('pause'), campaign: campaignRefSchema }),
  z.object({ kind: z.literal('resume'), campaign: campaignRefSchema }),
  bidChangeItemSchema,
]);

export const requestChangeSchema = z.object({
  reason: reasonSchema,
  emergency: z.boolean().optional().describe('an emergency pause: auto-approved only where the policy allows it for your role'),
  items: z.array(changeItemInputSchema).min(1, 'at least one item').max(200, 'at most 200 items per request'),
});
export type RequestChangeInput = z.input<typeof requestChangeSchema>;

export const decideChangeSchema = z.object({
  requestId: idSchema,
  approve: z.boolean(),
  note: noteSchema.optional(),
});

export const changeRequestIdSchema = z.object({ requestId: idSchema });

export const listChangeRequestsSchema = pageSchema.extend({
  status: z
    .union([changeStatusSchema, z.array(changeStatusSchema)])
    .optional()
    .transform((s) => (s === undefined ? undefined : Array.isArray(s) ? s : [s])),
});

export const changeItemView = z.object({
  id: z.string(),
  seq: z.number(),
  kind: z.enum(['budget', 'pause', 'resume', 'bid']),
  campaign: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string() }),
  fromBudget: z.string(),
  toBudget: z.string().nullable(),
  /** kind = bid: the target kind, the value the requester saw, the new one and what the platform read back. */
  bid: z.object({ kind: bidKindSchema, from: z.string(), to: z.string(), observed: z.string().nullable() }).nullable().optional(),
  status: z.string(),
  observedBudget: z.string().nullable(),
  error: z.string().nullable(),
  appliedAt: z.string().nullable(),
});

export const changeRequestView = z.object({
  id: z.string(),
  status: changeStatusSchema,
  source: z.string(),
  requestedBy: z.string(),
  reason: z.string(),
  emergency: z.boolean(),
  account: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string(), currency: z.string() }),
  items: z.array(changeItemView),
  guardrails: z.unknown().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  outcome: z.string().nullable(),
  expiresAt: z.string().nullable().describe('while waiting for a decision: when the request expires unless decided'),
  createdAt: z.string(),
  updatedAt: z.string(),
  workflowUrl: z.string(),
});
export type ChangeRequestView = z.infer<typeof changeRequestView>;
