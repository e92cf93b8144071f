// /api/v1 reads of the workspace's data: status per platform, accounts, campaigns, metrics (a campaign's days or
// weeks, the per-platform aggregate of a period), stored syncs, optimization runs, alerts and the audit log.
import { z } from 'zod';
import { listAccounts } from '../../services/accounts/accounts.js';
import { acknowledgeAlertSchema, listAlertsSchema, resolveAlertSchema } from '../../services/alerts/alerts.schema.js';
import { acknowledgeAlert, listAlerts, resolveAlert } from '../../services/alerts/alerts.js';
import { listAuditSchema } from '../../services/audit/audit.schema.js';
import { listAuditEvents } from '../../services/audit/audit.js';
import {
  campaignMetricsQuerySchema,
  campaignView,
  listCampaignsSchema,
  metricPoint,
  platformMetricsSchema,
} from '../../services/campaigns/campaigns.schema.js';
import { campaignMetrics, listCampaigns, platformMetrics } from '../../services/campaigns/campaigns.js';
import { campaignRefSchema } from '../../services/common.schema.js';
import type { AppContext } from '../../services/context.js';
import { getStatus } from '../../services/status/get-status.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, page, route } from '../openapi.js';

export const status = route({
  method: 'get',
  path: '/status',
  tags: ['Workspace'],
  summary: "Per platform: accounts, campaigns, the latest day's spend, revenue, ROAS, last sync",
  responses: { 200: json(z.array(anyObject), 'Status') },
});
export const accounts = route({
  method: 'get',
  path: '/accounts',
  tags: ['Workspace'],
  summary: 'Ad accounts (never their credentials)',
  responses: { 200: json(z.array(anyObject), 'Accounts') },
});
export const campaigns = route({
  method: 'get',
  path: '/campaigns',
  tags: ['Campaigns'],
  summary: 'Campaigns, filtered and paged (by platform, then name)',
  request: { query: listCampaignsSchema },
  responses: { 200: json(page(campaignView), 'A page of campaigns') },
  errors: [404],
});
export const metrics = route({
  method: 'get',
  path: '/campaigns/{campaign}/metrics',
  tags: ['Campaigns'],
  summary: "A campaign's daily or weekly metrics over a range",
  request: { params: z.object({ campaign: campaignRefSchema }), query: campaignMetricsQuerySchema },
  responses: {
    200: json(z.object({ campaign: anyObject, from: z.string(), to: z.string(), granularity: z.string(), points: z.array(metricPoint) }), 'Metrics'),
  },
  errors: [404],
});
export const platforms = route({
  method: 'get',
  path: '/metrics/platforms',
  tags: ['Campaigns'],
  summary: 'Per-platform totals of a period (default: the last 90 days), optionally in a report currency',
  request: { query: platformMetricsSchema },
  responses: { 200: json(z.object({ from: z.string(), to: z.string(), platforms: z.array(anyObject) }), 'Totals per platform') },
  errors: [422],
});
export const alerts = route({
  method: 'get',
  path: '/alerts',
  tags: ['Alerts'],
  summary: 'Alerts, newest first',
  request: { query: listAlertsSchema },
  responses: { 200: json(page(anyObject), 'A page of alerts') },
});
export const ackAlert = route({
  method: 'post',
  path: '/alerts/{alertId}/acknowledge',
  tags: ['Alerts'],
  summary: 'Acknowledge an alert (analyst)',
  request: { params: acknowledgeAlertSchema },
  responses: { 200: json(anyObject, 'The alert') },
  errors: [404],
});
export const resolveAlertRoute = route({
  method: 'post',
  path: '/alerts/{alertId}/resolve',
  tags: ['Alerts'],
  summary: 'Resolve an alert with a note on how (analyst); acknowledges it too. Resolving twice is a 409',
  request: { params: resolveAlertSchema.pick({ alertId: true }), ...body(resolveAlertSchema.pick({ note: true })) },
  responses: { 200: json(anyObject, 'The alert') },
  errors: [404, 409],
});
export const audit = route({
  method: 'get',
  path: '/audit-events',
  tags: ['Audit'],
  summary: 'The audit trail, newest first',
  request: { query: listAuditSchema },
  responses: { 200: json(page(anyObject), 'A page of events') },
});

export function registerWorkspaceData(api: ApiApp, app: AppContext) {
  api.openapi(status, async (c) => c.json((await getStatus(serviceContext(app, c))) as unknown as Record<string, unknown>[], 200));
  api.openapi(accounts, async (c) => c.json((await listAccounts(serviceContext(app, c))) as Record<string, unknown>[], 200));
  api.openapi(campaigns, async (c) => c.json(await listCampaigns(serviceContext(app, c), c.req.valid('query')), 200));
  api.openapi(metrics, async (c) => c.json(await campaignMetrics(serviceContext(app, c), { ...c.req.valid('query'), ...c.req.valid('param') }), 200));
  api.openapi(platforms, async (c) => c.json((await platformMetrics(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(alerts, async (c) => c.json((await listAlerts(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(ackAlert, async (c) => c.json((await acknowledgeAlert(serviceContext(app, c), c.req.valid('param'))) as never, 200));
  api.openapi(resolveAlertRoute, async (c) =>
    c.json((await resolveAlert(serviceContext(app, c), { ...c.req.valid('param'), ...c.req.valid('json') })) as never, 200),
  );
  api.openapi(audit, async (c) => c.json((await listAuditEvents(serviceContext(app, c), c.req.valid('query'))) as never, 200));
}
