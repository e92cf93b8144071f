// RulesWorkflow: runs after every sync. Plans the workspace's rules, then handles each firing on its own — its
// change request (through guardrails and approval like any other) and that request's workflow, or its alert — so
// one rule that cannot act is recorded and alerted while the others still run; the workflow itself does not fail
// for a rule. A request whose workflow cannot be started is closed (FAILED), never left EVALUATING. Then anomaly
// alerts, and delivery of new alerts by webhook with retries (a failed delivery is recorded on the alert).
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BudgetChangeActivities } from '../activities/budget-change.js';
import type { RulesActivities } from '../activities/rules.js';
import { startBudgetChange } from './budget-change.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import type { RulesInput, RulesResult } from './rules.contract.js';

// Until the services import the contract module, its names stay available here.
export * from './rules.contract.js';

const acts = proxyActivities<RulesActivities>({
  startToCloseTimeout: '5m',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});
const delivery = proxyActivities<RulesActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 6 },
});
const record = proxyActivities<BudgetChangeActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES }, // unlimited attempts
});

const message = (e: unknown) => (e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message);

export async function RulesWorkflow(input: RulesInput): Promise<RulesResult> {
  const { workflowId } = workflowInfo();
  const plan = await acts.planRules({ workspace: input.workspace, now: new Date().toISOString() });
  const changeRequests: string[] = [];
  const ruleAlerts: string[] = [];
  const failures: RulesResult['failures'] = [];
  let fired = 0;

  const fail = async (f: { ruleId: string; rule: string; campaignId?: string; campaignName?: string }, error: string) => {
    failures.push({ rule: f.rule, campaignId: f.campaignId, error });
    try {
      ruleAlerts.push(await acts.recordRuleFailure({ workspace: input.workspace, ...f, error, asOf: plan.asOf }));
    } catch {
      // Recording the failure failed too (after retries): it is still in this workflow's result.
    }
  };

  for (const e of plan.ruleErrors) await fail({ ruleId: e.ruleId, rule: e.rule }, e.error);

  const asOf = plan.asOf;
  const act = async (f: (typeof plan.firings)[number]) => {
    try {
      const o = await acts.actOnFiring({ workspace: input.workspace, workflowId, asOf: asOf!, firing: f });
      if (o.skipped) return;
      fired++;
      if (o.alertId) ruleAlerts.push(o.alertId);
      const cr = o.changeRequest;
      if (!cr) return;
      if (o.start) {
        try {
          await startBudgetChange(cr);
        } catch (e) {
          // The request and its workflow exist together or not at all: close the request.
          await record.transitionChangeRequest({
            requestId: cr.requestId,
            to: 'FAILED',
            workflowId,
            details: { outcome: `its workflow could not be started: ${message(e)}` },
          });
          throw e;
        }
      }
      changeRequests.push(cr.requestId);
    } catch (e) {
      await fail({ ruleId: f.ruleId, rule: f.rule, campaignId: f.campaignId, campaignName: f.campaignName }, message(e));
    }
  };
  // Campaigns in parallel; one campaign's firings one after the other (two rules asking for the same change
  // then open one request, not two).
  const byCampaign = new Map<string, typeof plan.firings>();
  for (const f of plan.firings) if (!f.skipped) byCampaign.set(f.campaignId, [...(byCampaign.get(f.campaignId) ?? []), f]);
  if (asOf)
    await Promise.all(
      [...byCampaign.values()].map(async (firings) => {
        for (const f of firings) await act(f);
      }),
    );

  const anomalyAlerts = await acts.detectAnomalyAlerts({ workspace: input.workspace });
  const alerts = [...ruleAlerts, ...anomalyAlerts];
  const results = await Promise.allSettled(alerts.map((alertId) => delivery.deliverAlert({ alertId })));
  return {
    fired,
    changeRequests,
    alerts,
    delivered: results.filter((r) => r.status === 'fulfilled' && r.value === 'delivered').length,
    undelivered: results.filter((r) => r.status === 'rejected').length,
    failures,
  };
}
