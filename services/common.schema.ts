// Schema pieces every use case shares. Browser-safe (zod and pure core only): the web app's forms, the API's
// OpenAPI document, the CLI's option parsing and the MCP tools' input schemas are all built from these.
import { z } from 'zod';
import { budgetProblem, MAX_BUDGET } from '../core/money.js';

export const PLATFORM_VALUES = ['google_ads', 'meta', 'tiktok', 'linkedin'] as const;
export const platformSchema = z.enum(PLATFORM_VALUES);
export const ROLE_VALUES = ['viewer', 'analyst', 'approver', 'admin'] as const;
export const roleSchema = z.enum(ROLE_VALUES);

/** A daily budget as a decimal string: positive, at most two decimals, at most MAX_BUDGET. */
export const budgetAmountSchema = z
  .string()
  .trim()
  .superRefine((v, c) => {
    const p = budgetProblem(v);
    if (p) c.addIssue({ code: 'custom', message: p });
  })
  .describe(`A daily budget in the account currency, as a decimal string with at most two decimals (0.01 to ${MAX_BUDGET})`);

/** A campaign by MBO id (uuid) or the platform's id. */
export const campaignRefSchema = z.string().trim().min(1).max(200).describe("MBO's campaign id or the platform's campaign id");
export const accountRefSchema = z.string().trim().min(1).max(200).describe("MBO's account id or the platform's account id");
export const idSchema = z.uuid('must be an id (uuid)');
export const userIdSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._@-]*$/i, 'letters, digits and . _ @ - only');

const day = z.iso.date('must be a date YYYY-MM-DD');
/** A calendar day MBO can hold (2000-01-01 to 2100-12-31). */
export const dateSchema = day.refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'must be between 2000-01-01 and 2100-12-31');

export const reasonSchema = z.string().trim().min(1, 'a reason is required').max(2000);
export const noteSchema = z.string().trim().max(2000);

export const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
});

/** "true"/"false" query strings and real booleans alike. */
export const flagSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
