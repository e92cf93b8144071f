// list_anomalies: the anomalies MBO detected in the synced metrics (stored as alerts of kind 'anomaly' by the rule
// evaluation; services/alerts listAlerts), newest first.
import { z } from 'zod';
import { listAlertsSchema } from '../../../services/alerts/alerts.schema.js';
import { listAlerts } from '../../../services/alerts/alerts.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

const alertView = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.string(),
  message: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  details: z.unknown(),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});

export const listAnomaliesTool = defineTool({
  name: 'list_anomalies',
  title: 'Metric anomalies',
  description:
    'The anomalies MBO detected in the synced metrics (a spend spike, a conversion drop, a ROAS collapse — each above its own noise level), newest first, with severity and the campaign it concerns. Use it in a review, or before trusting recent numbers: an anomaly may be a tracking gap rather than real performance.',
  input: listAlertsSchema.omit({ kind: true }),
  output: z.object({ items: z.array(alertView), nextCursor: z.string().nullable() }),
  annotations: READ,
  run: ({ ctx }, input) => listAlerts(ctx, { ...input, kind: 'anomaly' }),
  summary: (o) => `${o.items.length} anomaly alert(s).`,
});
