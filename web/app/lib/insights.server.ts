// The use cases behind the web app's charts and explanations (the campaign's response curve, the overview's
// anomalies and last plan's outcome, the optimizer's explanation), kept beside services.server.ts so that each
// page's owner edits their own list. Server-only, as that one.
export { whatIf } from '../../../services/forecasts/what-if.ts';
export { explainOptimization } from '../../../services/ai/explain-optimization.ts';
export { getAiRun } from '../../../services/ai/runs.ts';
export { generateReport } from '../../../services/reports/reports.ts';
