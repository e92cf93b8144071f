// Schemas for API keys (browser-safe).
import { z } from 'zod';
import { userIdSchema } from '../common.schema.js';

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100).describe('what the key is for, e.g. "CI" or "Claude Desktop"'),
  userId: userIdSchema.optional().describe('the member the key acts as (default: yourself)'),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('days until the key stops working (default: never)'),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ prefix: z.string().regex(/^mbo_[0-9a-f]{8}$/, 'an API key prefix, e.g. mbo_1a2b3c4d') });

export const apiKeyView = z.object({
  id: z.string(),
  prefix: z.string(),
  name: z.string(),
  userId: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;
