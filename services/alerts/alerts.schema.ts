// Schemas for alerts (browser-safe).
import { z } from 'zod';
import { flagSchema, idSchema, pageSchema } from '../common.schema.js';

export const listAlertsSchema = pageSchema.extend({
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  kind: z.string().trim().min(1).max(50).optional(),
  unacknowledged: flagSchema.optional().describe('only alerts nobody has acknowledged'),
});
export const acknowledgeAlertSchema = z.object({ alertId: idSchema });
