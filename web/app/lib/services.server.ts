// The use cases the web app calls, in one server-only module (React Router refuses to ship a *.server module to
// the browser). Loaders and actions call them as the session's actor — the same doors' logic the API uses.
export { isAppError } from '../../../core/errors.ts';
export { authenticateSession } from '../../../services/auth/authenticate.ts';
export { logIn, logOut, SESSION_HOURS } from '../../../services/auth/sessions.ts';
export { decideChange } from '../../../services/change-requests/decide-change.ts';
export { getChange, listChanges } from '../../../services/change-requests/read-changes.ts';
export { requestChange } from '../../../services/change-requests/request-change.ts';
export { listCampaigns, campaignMetrics, platformMetrics } from '../../../services/campaigns/campaigns.ts';
export { getStatus } from '../../../services/status/get-status.ts';
export { listAlerts } from '../../../services/alerts/alerts.ts';
export { listAuditEvents } from '../../../services/audit/audit.ts';
export { listRules } from '../../../services/rules/rules.ts';
export { getGuardrails } from '../../../services/guardrails/guardrails.ts';
export { listMembers } from '../../../services/members/members.ts';
export { listApiKeys } from '../../../services/auth/api-keys.ts';
export { listWebhooks } from '../../../services/webhooks/webhooks.ts';
export { listAccounts } from '../../../services/accounts/accounts.ts';
export { startOptimization, getOptimizationRun, listOptimizationRuns } from '../../../services/optimization/optimization.ts';
export { startWorkspaceOptimization } from '../../../services/optimization/start-workspace-optimization.ts';
export { getOptimizationPlan, listOptimizationPlans } from '../../../services/optimization/read-plans.ts';
export { attributionReport } from '../../../services/attribution/attribution-report.ts';
export { generateReport } from '../../../services/reports/reports.ts';
