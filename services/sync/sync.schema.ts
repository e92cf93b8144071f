// Schemas for syncs (browser-safe).
import { z } from 'zod';
import { accountRefSchema, dateSchema, pageSchema } from '../common.schema.js';

export const startSyncSchema = z
  .object({
    accounts: z.array(accountRefSchema).max(500).optional().describe("accounts by MBO id or the platform's id (default: all)"),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
  })
  .refine((r) => !r.from === !r.to, { message: '`from` and `to` go together', path: ['from'] })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((r) => !r.from || !r.to || Date.parse(r.to) - Date.parse(r.from) <= 1095 * 86_400_000, { message: 'at most three years at once', path: ['from'] });

export const listSyncRunsSchema = pageSchema.extend({ account: accountRefSchema.optional() });

/** A sync started by POST /syncs (its workflow id). */
export const syncIdSchema = z.object({ workflowId: z.string().regex(/^sync-[A-Za-z0-9._-]{1,200}$/, 'a sync id (sync-…) as POST /syncs answered') });
