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

export const changeItemInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('budget'), campaign: campaignRefSchema, toBudget: budgetAmountSchema }),
  z.object({ kind: z.literal('pause'), campaign: campaignRefSchema }),
  z.object({ kind: z.literal('resume'), campaign: campaignRefSchema }),
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
  kind: z.enum(['budget', 'pause', 'resume']),
  campaign: z.object({ id: z.string(), externalId: z.string(), name: z.string(), platform: z.string() }),
  fromBudget: z.string(),
  toBudget: z.string().nullable(),
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
  createdAt: z.string(),
  updatedAt: z.string(),
  workflowUrl: z.string(),
});
export type ChangeRequestView = z.infer<typeof changeRequestView>;
