// Schemas for alerts (browser-safe).
import { z } from 'zod';
import { flagSchema, idSchema, noteSchema, pageSchema } from '../common.schema.js';

export const listAlertsSchema = pageSchema.extend({
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  kind: z.string().trim().min(1).max(50).optional(),
  unacknowledged: flagSchema.optional().describe('only alerts nobody has acknowledged'),
});
export const acknowledgeAlertSchema = z.object({ alertId: idSchema });
/** Acknowledging may say what one is doing about it (the web form); the API's path carries the id only. */
export const acknowledgeAlertNoteSchema = acknowledgeAlertSchema.extend({ note: noteSchema.optional().describe('what you are doing about it') });
export const resolveAlertSchema = z.object({ alertId: idSchema, note: noteSchema.min(1, 'say how it was resolved').describe('how the cause was dealt with') });
