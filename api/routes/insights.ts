// /api/v1 insights: what-if (predicted outcome at a budget, a total budget or a whole plan) and forecasts of the
// next days, for a campaign, an account or the workspace, with intervals (viewer).
import type { AppContext } from '../../services/context.js';
import { forecastOutcome } from '../../services/forecasts/forecast.js';
import { forecastBaseSchema, forecastView, whatIfBaseSchema, whatIfView } from '../../services/forecasts/forecasts.schema.js';
import { whatIf } from '../../services/forecasts/what-if.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { body, json, route } from '../openapi.js';

export const insightsWhatIf = route({
  method: 'post',
  path: '/insights/what-if',
  tags: ['Insights'],
  summary: 'Predicted daily outcome at a budget (campaign), a total budget (account or workspace) or a plan, with intervals',
  description:
    'Exactly one of `budget` (with `campaign`), `totalBudget` (with `account`, or neither for the workspace) or `plan`. ' +
    'Intervals are for the expected daily outcome at probability `level`; money is returned as exact decimal strings.',
  request: body(whatIfBaseSchema),
  responses: { 200: json(whatIfView, 'The prediction, next to today’s budgets') },
  errors: [404, 409, 422],
});
export const insightsForecast = route({
  method: 'get',
  path: '/insights/forecast',
  tags: ['Insights'],
  summary: 'Forecast of the next N days at today’s budgets, per day and in total, with intervals',
  request: { query: forecastBaseSchema },
  responses: { 200: json(forecastView, 'The forecast') },
  errors: [404, 409, 422],
});

export function registerInsights(api: ApiApp, app: AppContext) {
  api.openapi(insightsWhatIf, async (c) => c.json(await whatIf(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(insightsForecast, async (c) => c.json(await forecastOutcome(serviceContext(app, c), c.req.valid('query')), 200));
}
