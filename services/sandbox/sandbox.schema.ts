// Schemas for the sandbox platform (browser-safe).
import { z } from 'zod';
import { accountRefSchema } from '../common.schema.js';

export const advanceSandboxSchema = z.object({
  days: z.number().int('whole days').min(1, 'at least 1 day').max(365, 'at most 365 days'),
  account: accountRefSchema.optional().describe('only this sandbox account (e.g. sbx-meta)'),
});
