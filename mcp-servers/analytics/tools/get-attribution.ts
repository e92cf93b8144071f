// get_attribution: conversions and value credited to channels and campaigns under every attribution model (last
// and first touch, linear, time decay, position-based, Markov, Shapley) from the stored journeys
// (services/attribution attributionReport).
import { attributionReportSchema, attributionReportView } from '../../../services/attribution/attribution.schema.js';
import { attributionReport } from '../../../services/attribution/attribution-report.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';

export const getAttributionTool = defineTool({
  name: 'get_attribution',
  title: 'Multi-touch attribution',
  description:
    "Credit conversions and their value to channels and campaigns under several attribution models side by side (last touch, first touch, linear, time decay, position-based, Markov removal effect, Shapley) from the customer journeys MBO holds, over a period (default: the last 90 days of touches). Use it when a platform's own (last-click) numbers may over- or under-state its part.",
  input: attributionReportSchema,
  output: attributionReportView,
  annotations: READ,
  run: ({ ctx }, input) => attributionReport(ctx, input),
  summary: (o) => `${o.journeys.paths} journeys, ${o.journeys.conversions} conversions, ${o.period.from}…${o.period.to}; ${o.channels.length} channel(s).`,
});
