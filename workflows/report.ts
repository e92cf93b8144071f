// ReportWorkflow: builds the workspace's performance report and delivers it to the workspace webhooks that take
// the `report` event (signed; retried with backoff on 5xx, 429 and network errors). Run by a Temporal Schedule
// (services/reports/schedule-report.ts) or on demand.
import { proxyActivities } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import type { ReportInput, ReportResult } from './report.contract.js';

const acts = proxyActivities<ReportActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 6, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

export async function ReportWorkflow(input: ReportInput): Promise<ReportResult> {
  return acts.deliverReport(input);
}
