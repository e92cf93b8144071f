// forecast: the next days' spend, conversions and revenue at today's budgets, with intervals, for a campaign, an
// account or the workspace (services/forecasts forecastOutcome).
import { forecastSchema, forecastView } from '../../../services/forecasts/forecasts.schema.js';
import { forecastOutcome } from '../../../services/forecasts/forecast.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

export const forecastTool = defineTool({
  name: 'forecast',
  title: 'Forecast',
  description:
    'Forecast the next 1–90 days (default 14) of spend, conversions and revenue at the budgets in force, day by day and in total with intervals, for one campaign, one account or the whole workspace (neither given). Use it for pacing questions ("where will we land this month?"); for other budgets use what_if.',
  input: forecastSchema,
  output: forecastView,
  annotations: READ,
  run: ({ ctx }, input) => forecastOutcome(ctx, input),
  summary: (o) =>
    `${o.days.length} day(s) from ${o.start}: spend ${o.total.spend} ${o.currency}, revenue ${o.total.revenue.value} (${o.total.revenue.low}–${o.total.revenue.high}).`,
});
