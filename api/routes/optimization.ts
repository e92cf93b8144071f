// /api/v1 optimization: per-account runs (start, list, read) and workspace-wide plans (start over every account or
// chosen platforms/accounts, list and read with the recommendation, the requests' state and the realised
// outcome, decide as a whole or per account).
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { decideOptimizationPlan } from '../../services/optimization/decide-plan.js';
import {
  listRunsSchema,
  runIdSchema,
  scheduleOptimizationSchema,
  startOptimizationSchema,
  unscheduleOptimizationSchema,
} from '../../services/optimization/optimization.schema.js';
import {
  getOptimizationRun,
  listOptimizationRuns,
  scheduleOptimization,
  startOptimization,
  unscheduleOptimization,
} from '../../services/optimization/optimization.js';
import { getOptimizationPlan, listOptimizationPlans } from '../../services/optimization/read-plans.js';
import { startWorkspaceOptimization } from '../../services/optimization/start-workspace-optimization.js';
import {
  decidePlanBodySchema,
  listPlansSchema,
  planIdSchema,
  startWorkspaceOptimizationSchema,
} from '../../services/optimization/workspace-optimization.schema.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, page, route } from '../openapi.js';

const started = z.object({ workflowId: z.string(), url: z.string() }).catchall(z.unknown());

export const optStart = route({
  method: 'post',
  path: '/optimization-runs',
  tags: ['Optimization'],
  summary: "Optimize an account's budgets (analyst); the plan's moves become a change request",
  request: body(startOptimizationSchema),
  responses: { 202: json(started, 'Started') },
  errors: [404],
});
export const optRuns = route({
  method: 'get',
  path: '/optimization-runs',
  tags: ['Optimization'],
  summary: 'Stored optimization runs',
  request: { query: listRunsSchema },
  responses: { 200: json(page(anyObject), 'A page of runs') },
  errors: [404],
});
export const optRun = route({
  method: 'get',
  path: '/optimization-runs/{runId}',
  tags: ['Optimization'],
  summary: 'One run with its full recommendation',
  request: { params: runIdSchema },
  responses: { 200: json(anyObject, 'The run') },
  errors: [404],
});
const scheduleView = z.object({
  scheduleId: z.string(),
  account: z.string(),
  hour: z.number().int(),
  timeZone: z.string(),
  objective: z.string(),
  dryRun: z.boolean(),
});
export const optSchedule = route({
  method: 'put',
  path: '/optimization-schedules',
  tags: ['Optimization'],
  summary: "Optimize an account every day at an hour of its own time zone (analyst); replaces the account's schedule",
  request: body(scheduleOptimizationSchema),
  responses: { 200: json(scheduleView, 'The schedule') },
  errors: [404],
});
export const optUnschedule = route({
  method: 'delete',
  path: '/optimization-schedules/{account}',
  tags: ['Optimization'],
  summary: "Stop an account's daily optimization (analyst)",
  request: { params: unscheduleOptimizationSchema },
  responses: { 200: json(z.object({ removed: z.boolean() }), 'Whether a schedule was removed') },
  errors: [404],
});
export const planStart = route({
  method: 'post',
  path: '/optimization-plans',
  tags: ['Optimization'],
  summary: 'Optimize the whole workspace, or chosen platforms/accounts, in one plan in the report currency (analyst); opens one change request per account',
  request: body(startWorkspaceOptimizationSchema),
  responses: { 202: json(started, 'Started') },
  errors: [404, 422],
});
export const plans = route({
  method: 'get',
  path: '/optimization-plans',
  tags: ['Optimization'],
  summary: 'Stored workspace-wide plans, newest first, with each account’s request state',
  request: { query: listPlansSchema },
  responses: { 200: json(page(anyObject), 'A page of plans') },
});
export const planGet = route({
  method: 'get',
  path: '/optimization-plans/{planId}',
  tags: ['Optimization'],
  summary: 'One plan: per campaign from → to with the predicted outcome, each account’s request, and the realised outcome once days have passed',
  request: { params: planIdSchema },
  responses: { 200: json(anyObject, 'The plan') },
  errors: [404],
});
export const planDecide = route({
  method: 'post',
  path: '/optimization-plans/{planId}/decision',
  tags: ['Optimization'],
  summary: 'Approve or reject a plan as a whole or for some accounts (approver; four-eyes per request); the outcome per request',
  request: { params: planIdSchema, ...body(decidePlanBodySchema) },
  responses: { 200: json(anyObject, 'The outcome per request') },
  errors: [404, 409],
});

export function registerOptimization(api: ApiApp, app: AppContext) {
  api.openapi(optStart, async (c) => {
    const { handle: _h, ...r } = await startOptimization(serviceContext(app, c), c.req.valid('json'));
    return c.json(r, 202);
  });
  api.openapi(optRuns, async (c) => c.json((await listOptimizationRuns(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(optRun, async (c) => c.json((await getOptimizationRun(serviceContext(app, c), c.req.valid('param'))) as never, 200));
  api.openapi(optSchedule, async (c) => c.json(await scheduleOptimization(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(optUnschedule, async (c) => c.json(await unscheduleOptimization(serviceContext(app, c), c.req.valid('param')), 200));
  api.openapi(planStart, async (c) => {
    const { handle: _h, ...r } = await startWorkspaceOptimization(serviceContext(app, c), c.req.valid('json'));
    return c.json(r, 202);
  });
  api.openapi(plans, async (c) => c.json((await listOptimizationPlans(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(planGet, async (c) => c.json((await getOptimizationPlan(serviceContext(app, c), c.req.valid('param'))) as never, 200));
  api.openapi(planDecide, async (c) =>
    c.json((await decideOptimizationPlan(serviceContext(app, c), { ...c.req.valid('json'), ...c.req.valid('param') })) as never, 200),
  );
}
