// Schemas for the audit log (browser-safe).
import { z } from 'zod';
import { pageSchema } from '../common.schema.js';

export const listAuditSchema = pageSchema
  .extend({
    actor: z.string().trim().min(1).max(100).optional(),
    entityType: z.string().trim().min(1).max(50).optional(),
    entityId: z.string().trim().min(1).max(100).optional(),
    action: z.string().trim().min(1).max(100).optional().describe('an action, or a prefix ending in "." (e.g. "change_request.")'),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: '`since` must not be after `until`', path: ['since'] });
