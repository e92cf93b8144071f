// /api/v1 performance reports: render one now (viewer) as Markdown, self-contained HTML with charts, CSV or JSON;
// schedule its delivery to the workspace webhooks that take the `report` event (analyst), read or remove the
// schedule, and deliver once now.
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { reportBaseSchema, runReportSchema, scheduleReportSchema } from '../../services/reports/reports.schema.js';
import { deliverReportNow, generateReport, getReportSchedule, scheduleReport, unscheduleReport } from '../../services/reports/reports.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, route } from '../openapi.js';

const scheduleView = z.object({ scheduleId: z.string(), cron: z.string(), timeZone: z.string(), days: z.number().int() });

export const reportGet = route({
  method: 'get',
  path: '/reports/performance',
  tags: ['Reports'],
  summary: 'The performance report of a period (default: the last 7 days with metrics) as markdown, html, csv or json',
  request: { query: reportBaseSchema },
  responses: {
    200: {
      description: 'The report in the format asked for (Content-Type says which)',
      content: {
        'text/markdown': { schema: z.string() },
        'text/html': { schema: z.string() },
        'text/csv': { schema: z.string() },
        'application/json': { schema: anyObject },
      },
    },
  },
  errors: [422],
});
export const reportScheduleSet = route({
  method: 'put',
  path: '/reports/schedule',
  tags: ['Reports'],
  summary: 'Schedule the report’s delivery to the workspace webhooks (analyst); replaces the current schedule',
  request: body(scheduleReportSchema),
  responses: { 200: json(scheduleView, 'The schedule') },
  errors: [422],
});
export const reportScheduleGet = route({
  method: 'get',
  path: '/reports/schedule',
  tags: ['Reports'],
  summary: 'The report schedule with its next and recent runs (404 when none)',
  responses: { 200: json(anyObject, 'The schedule') },
  errors: [404],
});
export const reportScheduleDelete = route({
  method: 'delete',
  path: '/reports/schedule',
  tags: ['Reports'],
  summary: 'Stop the scheduled report (analyst)',
  responses: { 200: json(z.object({ removed: z.boolean() }), 'Whether a schedule was removed') },
  errors: [],
});
export const reportDeliver = route({
  method: 'post',
  path: '/reports/deliveries',
  tags: ['Reports'],
  summary: 'Deliver the report to the workspace webhooks now (analyst); a workflow, answered when started',
  request: body(runReportSchema),
  responses: { 202: json(z.object({ workflowId: z.string() }), 'Started') },
  errors: [422],
});

export function registerReports(api: ApiApp, app: AppContext) {
  api.openapi(reportGet, async (c) => {
    const r = await generateReport(serviceContext(app, c), c.req.valid('query'));
    return c.body(r.body, 200, { 'content-type': r.contentType }) as never;
  });
  api.openapi(reportScheduleSet, async (c) => c.json(await scheduleReport(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(reportScheduleGet, async (c) => c.json((await getReportSchedule(serviceContext(app, c))) as never, 200));
  api.openapi(reportScheduleDelete, async (c) => c.json(await unscheduleReport(serviceContext(app, c)), 200));
  api.openapi(reportDeliver, async (c) => c.json(await deliverReportNow(serviceContext(app, c), c.req.valid('json')), 202));
}
