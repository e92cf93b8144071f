// The CLI's one door to MBO: a typed fetch client over the HTTP API (/api/v1). Every command that needs the
// stack goes through here, so the CLI needs neither the database nor Temporal. Answers are typed with the use
// cases' own result types (type-only imports: nothing of services/ runs in the CLI process); problem+json errors
// come back as the AppError they were on the server (same code, same message, same fields), and an API that does
// not answer is STACK_NOT_RUNNING (exit 4).
import type { z } from 'zod';
import { AppError, APP_ERROR_CODES, CODE_FOR_HTTP_STATUS, type AppErrorCode } from '../core/errors.js';
import type { listAlerts, acknowledgeAlert } from '../services/alerts/alerts.js';
import type { listAccounts } from '../services/accounts/accounts.js';
import type { listAuditEvents } from '../services/audit/audit.js';
import type { ApiKeyView } from '../services/auth/api-keys.schema.js';
import type { campaignMetrics, listCampaigns, platformMetrics } from '../services/campaigns/campaigns.js';
import type { ChangeRequestView } from '../services/change-requests/change-requests.schema.js';
import type { getChange } from '../services/change-requests/read-changes.js';
import type { decideChange } from '../services/change-requests/decide-change.js';
import type { forecastView, whatIfView } from '../services/forecasts/forecasts.schema.js';
import type { EffectivePolicy } from '../services/guardrails/guardrails.js';
import type { getOptimizationPlan, listOptimizationPlans } from '../services/optimization/read-plans.js';
import type { MemberView } from '../services/members/members.schema.js';
import type { RuleView } from '../services/rules/rules.schema.js';
import type { testRules } from '../services/rules/rules.js';
import type { getStatus } from '../services/status/get-status.js';
import type { getSync, listSyncRuns } from '../services/sync/sync.js';
import type { listWebhooks } from '../services/webhooks/webhooks.js';

type R<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;
type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export type WhatIfView = z.infer<typeof whatIfView>;
export type ForecastView = z.infer<typeof forecastView>;
export type ChangeRequestDetail = R<typeof getChange>;
export type StatusRow = R<typeof getStatus>[number];
export interface Readiness {
  ready: boolean;
  checks: { name: string; ok: boolean; detail: string; ms: number }[];
}
export interface Me {
  userId: string;
  workspace: string;
  role: string;
  roles: string[];
  source: string;
}
export interface Started {
  workflowId: string;
  url: string;
  [k: string]: unknown;
}
export type SyncStarted = Started & { runId?: string; range: { from: string; to: string } | null; clipped: boolean };
export type SyncState = R<typeof getSync>;

const TIMEOUT_MS = 60_000;

function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string | undefined,
  ) {}

  /** One request; the answer's JSON (undefined for 204), or the server's AppError. */
  async call<T>(method: string, path: string, o: { query?: Query; body?: unknown; root?: boolean; allow?: number[]; raw?: boolean } = {}): Promise<T> {
    const url = `${this.baseUrl}${o.root ? '' : '/api/v1'}${path}${queryString(o.query)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      if (cause === 'TimeoutError') throw new AppError('TRANSIENT', `the API at ${this.baseUrl} did not answer within ${TIMEOUT_MS / 1000} s`);
      throw new AppError(
        'STACK_NOT_RUNNING',
        `the MBO API at ${this.baseUrl} is not reachable (${cause}): start the stack with \`npm run up\`, or set MBO_API_URL`,
      );
    }
    const text = await res.text();
    if ((res.ok || o.allow?.includes(res.status)) && o.raw) return text as T;
    if (res.ok || o.allow?.includes(res.status)) return (text ? JSON.parse(text) : undefined) as T;
    throw problemError(res.status, text);
  }

  // Identity and people
  me = () => this.call<Me>('GET', '/me');
  members = () => this.call<MemberView[]>('GET', '/members');
  setMember = (userId: string, body: Record<string, unknown>) => this.call<MemberView>('PUT', `/members/${enc(userId)}`, { body });
  removeMember = (userId: string) => this.call<void>('DELETE', `/members/${enc(userId)}`);
  keys = () => this.call<ApiKeyView[]>('GET', '/api-keys');
  createKey = (body: Record<string, unknown>) => this.call<ApiKeyView & { key: string }>('POST', '/api-keys', { body });
  revokeKey = (prefix: string) => this.call<ApiKeyView>('DELETE', `/api-keys/${enc(prefix)}`);

  // Workspace data
  readiness = () => this.call<Readiness>('GET', '/readyz', { root: true, allow: [503] });
  status = () => this.call<R<typeof getStatus>>('GET', '/status');
  accounts = () => this.call<R<typeof listAccounts>>('GET', '/accounts');
  campaigns = (q: Query) => this.call<R<typeof listCampaigns>>('GET', '/campaigns', { query: q });
  campaignMetrics = (campaign: string, q: Query) => this.call<R<typeof campaignMetrics>>('GET', `/campaigns/${enc(campaign)}/metrics`, { query: q });
  platformMetrics = (q: Query) => this.call<R<typeof platformMetrics>>('GET', '/metrics/platforms', { query: q });
  alerts = (q: Query) => this.call<R<typeof listAlerts>>('GET', '/alerts', { query: q });
  ackAlert = (alertId: string) => this.call<R<typeof acknowledgeAlert>>('POST', `/alerts/${enc(alertId)}/acknowledge`);
  audit = (q: Query) => this.call<R<typeof listAuditEvents>>('GET', '/audit-events', { query: q });

  // Syncs and the sandbox
  startSync = (body: Record<string, unknown>) => this.call<SyncStarted>('POST', '/syncs', { body });
  sync = (workflowId: string) => this.call<SyncState>('GET', `/syncs/${enc(workflowId)}`);
  syncRuns = (q: Query) => this.call<R<typeof listSyncRuns>>('GET', '/syncs', { query: q });
  advanceSandbox = (body: Record<string, unknown>) => this.call<{ accounts: { accountId: string; today: string }[] }>('POST', '/sandbox/advance', { body });

  // Change requests
  requestChange = (body: Record<string, unknown>) => this.call<ChangeRequestView>('POST', '/change-requests', { body });
  changes = (q: Query) => this.call<{ items: ChangeRequestView[]; nextCursor: string | null }>('GET', '/change-requests', { query: q });
  change = (id: string) => this.call<ChangeRequestDetail>('GET', `/change-requests/${enc(id)}`);
  decide = (id: string, body: { approve: boolean; note?: string }) =>
    this.call<R<typeof decideChange>>('POST', `/change-requests/${enc(id)}/decision`, { body });

  // Rules, guardrails, webhooks
  rules = () => this.call<RuleView[]>('GET', '/rules');
  rule = (rule: string) => this.call<RuleView>('GET', `/rules/${enc(rule)}`);
  addRule = (body: Record<string, unknown>) => this.call<RuleView>('POST', '/rules', { body });
  updateRule = (rule: string, body: Record<string, unknown>) => this.call<RuleView>('PATCH', `/rules/${enc(rule)}`, { body });
  deleteRule = (rule: string) => this.call<void>('DELETE', `/rules/${enc(rule)}`);
  testRules = (body: Record<string, unknown>) => this.call<R<typeof testRules>>('POST', '/rules/dry-run', { body });
  guardrails = (q: Query) => this.call<EffectivePolicy>('GET', '/guardrails', { query: q });
  setGuardrails = (body: Record<string, unknown>) => this.call<EffectivePolicy>('PATCH', '/guardrails', { body });
  webhooks = () => this.call<R<typeof listWebhooks>>('GET', '/webhooks');
  addWebhook = (body: Record<string, unknown>) => this.call<{ id: string; url: string; events: string[]; secret: string }>('POST', '/webhooks', { body });
  removeWebhook = (id: string) => this.call<void>('DELETE', `/webhooks/${enc(id)}`);
  rotateInboundSecret = () => this.call<{ secret: string; header: string }>('POST', '/webhooks/inbound-secret');

  // Optimization: workspace-wide plans
  startOptimizationPlan = (body: Record<string, unknown>) => this.call<Started>('POST', '/optimization-plans', { body });
  optimizationPlans = (q: Query) => this.call<R<typeof listOptimizationPlans>>('GET', '/optimization-plans', { query: q });
  optimizationPlan = (planId: string) => this.call<R<typeof getOptimizationPlan>>('GET', `/optimization-plans/${enc(planId)}`);

  // Reports
  report = (q: Query) => this.call<string>('GET', '/reports/performance', { query: q, raw: true });
  scheduleReport = (body: Record<string, unknown>) =>
    this.call<{ scheduleId: string; cron: string; timeZone: string; days: number }>('PUT', '/reports/schedule', { body });
  reportSchedule = () => this.call<Record<string, unknown>>('GET', '/reports/schedule');
  unscheduleReport = () => this.call<{ removed: boolean }>('DELETE', '/reports/schedule');
  deliverReport = (body: Record<string, unknown>) =>
    this.call<{ period: { from: string; to: string }; delivered: number; webhooks: number }>('POST', '/reports/deliveries', { body });

  // Insights
  whatIf = (body: Record<string, unknown>) => this.call<WhatIfView>('POST', '/insights/what-if', { body });
  forecast = (q: Query) => this.call<ForecastView>('GET', '/insights/forecast', { query: q });
}

/** A problem+json answer as the AppError it was on the server; anything else by its HTTP status. */
export function problemError(status: number, text: string): AppError {
  let p: { code?: string; detail?: string; errors?: { path: string; message: string }[] } | undefined;
  try {
    p = JSON.parse(text);
  } catch {
    p = undefined;
  }
  const code: AppErrorCode =
    p?.code && (APP_ERROR_CODES as readonly string[]).includes(p.code)
      ? (p.code as AppErrorCode)
      : status >= 500
        ? 'INTERNAL'
        : (BY_STATUS[status] ?? 'INTERNAL');
  const message = p?.detail ?? (text.slice(0, 200) || `HTTP ${status}`);
  return new AppError(code, message, p?.errors ? { fields: p.errors } : undefined);
}

const BY_STATUS: Partial<Record<number, AppErrorCode>> = { ...CODE_FOR_HTTP_STATUS, 503: 'STACK_NOT_RUNNING' };
