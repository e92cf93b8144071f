// what_if: the predicted outcome of other budgets — one campaign's, an account's or the workspace's total, or a
// whole plan — with intervals, against today's budgets (services/forecasts whatIf; the optimizer's fitted models).
import { whatIfSchema, whatIfView } from '../../../services/forecasts/forecasts.schema.js';
import { whatIf } from '../../../services/forecasts/what-if.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

export const whatIfTool = defineTool({
  name: 'what_if',
  title: 'What if the budget were…',
  description:
    "Predict spend, conversions, revenue and ROAS per day (with intervals) if budgets were different, against today's budgets: one campaign at `budget`, an account or the whole workspace at `totalBudget` (spread in proportion to today's), or a `plan` of campaign → budget. Use it before proposing a budget change, to say what it would likely bring. A prediction only: nothing is requested or changed.",
  input: whatIfSchema,
  output: whatIfView,
  annotations: READ,
  run: ({ ctx }, input) => whatIf(ctx, input),
  summary: (o) =>
    `At ${o.total.budget} ${o.currency}/day (now ${o.total.currentBudget}): revenue ${o.total.predicted.revenue.value} (${o.total.predicted.revenue.low}–${o.total.predicted.revenue.high}) vs ${o.total.atCurrent.revenue.value} now.`,
});
