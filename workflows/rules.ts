// RulesWorkflow: runs after every sync. Evaluates the workspace's rules (firings become change requests that go
// through guardrails and approval like any other, or alerts), turns anomalies into alerts, and delivers new
// alerts by webhook with retries. A failed delivery is recorded on the alert; it never fails the run.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RulesActivities } from '../activities/rules.js';
import { startBudgetChange } from './budget-change.js';

const acts = proxyActivities<RulesActivities>({
  startToCloseTimeout: '5m',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['VALIDATION', 'NOT_FOUND'] },
});
const delivery = proxyActivities<RulesActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 6 },
});

export interface RulesResult {
  fired: number;
  changeRequests: string[];
  alerts: string[];
  delivered: number;
  undelivered: number;
}

export async function RulesWorkflow(input: { workspace: string }): Promise<RulesResult> {
  const { workflowId } = workflowInfo();
  const outcomes = await acts.evaluateRules({ workspace: input.workspace, workflowId, now: new Date().toISOString() });
  const changeRequests: string[] = [];
  for (const o of outcomes) {
    const c = o.changeRequest;
    if (!c) continue;
    changeRequests.push(c.requestId);
    await startBudgetChange(c);
  }
  const anomalyAlerts = await acts.detectAnomalyAlerts({ workspace: input.workspace });
  const alerts = [...outcomes.flatMap((o) => (o.alertId ? [o.alertId] : [])), ...anomalyAlerts];
  const results = await Promise.allSettled(alerts.map((alertId) => delivery.deliverAlert({ alertId })));
  return {
    fired: outcomes.filter((o) => !o.skipped).length,
    changeRequests,
    alerts,
    delivered: results.filter((r) => r.status === 'fulfilled' && r.value === 'delivered').length,
    undelivered: results.filter((r) => r.status === 'rejected').length,
  };
}
