// Rules against a workspace's campaigns: plan (pure core/rules.ts over the recent metrics; every stored rule is
// validated again, a bad one is reported on its own and the others still run; a firing that an open identical
// request already covers is skipped), then act on one firing at a time (its change request or alert, then its
// firing record — the cooldown starts only once the request exists). Used by the RulesWorkflow's activities (one
// activity per firing, so one failure never stops the others) and by `mbo rules test` (a dry run: plan only).
import type pg from 'pg';
import { OPEN_STATUSES } from '../core/change-status.js';
import { addDays } from '../core/dates.js';
import { AppError } from '../core/errors.js';
import { evaluateRule, validateRuleDefinition, type Firing, type RuleCampaign, type RuleDefinition } from '../core/rules.js';
import { safeText } from '../core/text.js';
import { createChangeRequest, type StoredChangeRef } from './change-requests.js';
import type { Prisma } from './generated/client.js';
import type { PrismaClient } from './prisma.js';

type Db = { prisma: PrismaClient; pool: pg.Pool };

export interface RuleOutcome extends Firing {
  rule: string;
  changeRequest?: StoredChangeRef;
  alertId?: string;
}

/** A firing as planned: what the RulesWorkflow hands, one by one, to actOnFiring. */
export interface PlannedFiring extends RuleOutcome {
  ruleId: string;
  requiresApproval: boolean;
}

export interface RulePlan {
  /** The day the metric windows end before (the day after the latest stored day); null when there is no data. */
  asOf: string | null;
  firings: PlannedFiring[];
  /** Stored rules that could not be evaluated (invalid definition, …): reported, never a reason to stop. */
  ruleErrors: { ruleId: string; rule: string; error: string }[];
}

const maxWindow = (c: RuleDefinition['condition']): number =>
  'all' in c ? Math.max(...c.all.map(maxWindow)) : 'any' in c ? Math.max(...c.any.map(maxWindow)) : c.days;

const changeKind = (f: Firing) =>
  f.action.type === 'pause' ? 'pause' : f.action.type === 'resume' ? 'resume' : f.action.type === 'bid_pct' || f.action.type === 'bid_to' ? 'bid' : 'budget';

/** The open request (evaluating, pending, approved or applying) that already makes this exact change, if any. */
async function identicalOpenRequest(db: Db, workspaceId: string, f: Firing) {
  const { rows } = await db.pool.query<{ id: string; status: string; requested_by: string }>(
    `select r.id::text, r.status::text, r.requested_by from change_request r join change_item i on i.request_id = r.id
      where r.workspace_id = $1 and r.status::text = any($2) and i.campaign_id = $3 and i.kind::text = $4 and i.status = 'PENDING'
        and i.to_budget is not distinct from $5::numeric and i.to_bid is not distinct from $6::numeric
      order by r.created_at desc limit 1`,
    [workspaceId, OPEN_STATUSES, f.campaignId, changeKind(f), f.newBudget ?? null, f.newBid?.value ?? null],
  );
  return rows[0];
}

const alreadyAsked = (open: { id: string; status: string }) =>
  `request ${open.id} (${open.status.toLowerCase().replace(/_/g, ' ')}) already asks for this change`;

export async function planRules(db: Db, input: { workspace: string; now: string; rule?: string }): Promise<RulePlan> {
  const ws = await db.prisma.workspace.findUnique({ where: { slug: input.workspace } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${input.workspace}"`);
  const rules = await db.prisma.rule.findMany({
    where: { workspaceId: ws.id, enabled: true, deletedAt: null, ...(input.rule ? { name: input.rule } : {}) },
    orderBy: { name: 'asc' },
  });
  if (input.rule && !rules.length) throw new AppError('NOT_FOUND', `no enabled rule "${input.rule}"`);
  const plan: RulePlan = { asOf: null, firings: [], ruleErrors: [] };
  const valid: { rule: (typeof rules)[number]; def: RuleDefinition }[] = [];
  for (const rule of rules) {
    try {
      valid.push({ rule, def: validateRuleDefinition(rule.definition as unknown as RuleDefinition, rule.name) });
    } catch (e) {
      plan.ruleErrors.push({ ruleId: rule.id, rule: safeText(rule.name), error: safeText((e as Error).message, { keepNewlines: true }) });
    }
  }
  if (!valid.length) return plan;
  const window = Math.max(...valid.map((v) => maxWindow(v.def.condition)));
  const { rows: last } = await db.pool.query<{ d: string | null }>(
    'select max(m.date)::text as d from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id where a.workspace_id = $1',
    [ws.id],
  );
  if (!last[0]?.d) return plan;
  const asOf = addDays(last[0].d, 1);
  plan.asOf = asOf;
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    platform: string;
    account_id: string;
    status: 'ACTIVE' | 'PAUSED';
    daily_budget: string | null;
    bid_kind: NonNullable<RuleCampaign['bidTarget']>['kind'] | null;
    bid_target: string | null;
    date: string | null;
    spend: string;
    revenue: string;
    conversions: string;
    clicks: string;
    impressions: string;
  }>(
    `select c.id::text, c.name, a.platform::text, a.id::text as account_id, c.status::text, c.daily_budget::text, c.bid_kind, c.bid_target::text, m.date::text,
            m.spend::text, m.conversion_value::text as revenue, m.conversions::text, m.clicks::text, m.impressions::text
       from campaign c join platform_account a on a.id = c.account_id
       left join metric_daily m on m.campaign_id = c.id and m.date >= $2::date
      where a.workspace_id = $1`,
    [ws.id, addDays(asOf, -window)],
  );
  const byId = new Map<string, RuleCampaign>();
  for (const r of rows) {
    const c = byId.get(r.id) ?? {
      id: r.id,
      name: r.name,
      platform: r.platform,
      accountId: r.account_id,
      status: r.status,
      dailyBudget: r.daily_budget,
      bidTarget: r.bid_kind && r.bid_target !== null ? { kind: r.bid_kind, value: r.bid_target } : null,
      days: [],
    };
    if (r.date)
      c.days.push({
        date: r.date,
        spend: r.spend,
        revenue: r.revenue,
        conversions: r.conversions,
        clicks: Number(r.clicks),
        impressions: Number(r.impressions),
      });
    byId.set(r.id, c);
  }
  const campaigns = [...byId.values()];
  for (const { rule, def } of valid) {
    try {
      // Each campaign's last firing only (index rule_firing(rule_id, campaign_id, fired_at)).
      const { rows: fired } = await db.pool.query<{ campaign_id: string; fired_at: Date }>(
        'select distinct on (campaign_id) campaign_id::text, fired_at from rule_firing where rule_id = $1 order by campaign_id, fired_at desc',
        [rule.id],
      );
      const lastFired = Object.fromEntries(fired.map((f) => [f.campaign_id, new Date(f.fired_at).toISOString()]));
      for (const f of evaluateRule(def, campaigns, asOf, input.now, lastFired)) {
        const p: PlannedFiring = {
          ...f,
          campaignName: safeText(f.campaignName),
          rule: safeText(rule.name),
          ruleId: rule.id,
          requiresApproval: def.requiresApproval,
        };
        if (!f.skipped && f.action.type !== 'alert') {
          const open = await identicalOpenRequest(db, ws.id, f);
          if (open && !(open.status === 'EVALUATING' && open.requested_by === `rule:${p.rule}`)) {
            p.skipped = 'pending-request';
            p.note = alreadyAsked(open);
          }
        }
        plan.firings.push(p);
      }
    } catch (e) {
      plan.ruleErrors.push({ ruleId: rule.id, rule: safeText(rule.name), error: safeText((e as Error).message) });
    }
  }
  return plan;
}

/**
 * Acts on one planned firing, idempotently per (workflow, rule, campaign): opens its change request (or finds the
 * identical open one this rule opened on an earlier attempt) or stores its alert, then records the firing — so the
 * cooldown starts only when the request or alert exists. `start` says whether the request's workflow is to be
 * started (it is still EVALUATING; starting it again is refused by Temporal and harmless).
 */
export async function actOnFiring(
  db: Db,
  input: { workspace: string; workflowId: string; asOf: string; firing: PlannedFiring },
): Promise<RuleOutcome & { start: boolean }> {
  const f = input.firing;
  const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: input.workspace } });
  const prior = await db.prisma.ruleFiring.findUnique({
    where: { workflowId_ruleId_campaignId: { workflowId: input.workflowId, ruleId: f.ruleId, campaignId: f.campaignId } },
  });
  const refOf = async (requestId: string) => {
    const cr = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: requestId } });
    const acc = await db.prisma.platformAccount.findUniqueOrThrow({ where: { id: cr.accountId } });
    const ref: StoredChangeRef = { requestId: cr.id, workspace: input.workspace, accountId: cr.accountId, platform: acc.platform, requestedBy: cr.requestedBy };
    return { ref, start: cr.status === 'EVALUATING' };
  };
  if (prior) {
    // A retried activity: the firing and what it opened already exist.
    const cr = prior.changeRequestId ? await refOf(prior.changeRequestId) : undefined;
    return { ...f, changeRequest: cr?.ref, alertId: prior.alertId ?? undefined, start: cr?.start ?? false };
  }
  const reason = `rule "${f.rule}": ${f.explanation}`;
  const out: RuleOutcome & { start: boolean } = { ...f, start: false };
  if (f.action.type === 'alert') {
    out.alertId = await storeRuleAlert(db, ws.id, {
      dedupKey: `rule:${f.ruleId}:${f.campaignId}:${input.asOf}`,
      severity: 'warning',
      entityType: 'campaign',
      entityId: f.campaignId,
      message: `${f.campaignName}: ${reason}`,
    });
  } else {
    const requestedBy = `rule:${f.rule}`;
    const open = await identicalOpenRequest(db, ws.id, f);
    if (open && !(open.status === 'EVALUATING' && open.requested_by === requestedBy)) {
      // Another request already makes this change: not duplicated, no firing recorded (no cooldown).
      return { ...out, skipped: 'pending-request', note: alreadyAsked(open) };
    }
    if (open) {
      // This rule opened it on an earlier attempt that did not get to record the firing: finish that attempt.
      const cr = await refOf(open.id);
      out.changeRequest = cr.ref;
      out.start = cr.start;
    } else {
      out.changeRequest = await createChangeRequest(db, {
        workspace: input.workspace,
        requestedBy,
        source: 'rule',
        reason,
        forceApproval: f.requiresApproval,
        items: [
          f.newBid
            ? { campaign: f.campaignId, kind: 'bid', bid: { kind: f.newBid.kind, to: f.newBid.value } }
            : { campaign: f.campaignId, kind: changeKind(f), toBudget: f.newBudget },
        ],
      });
      out.start = true;
    }
  }
  await db.prisma.ruleFiring.create({
    data: {
      ruleId: f.ruleId,
      campaignId: f.campaignId,
      explanation: f.explanation,
      changeRequestId: out.changeRequest?.requestId,
      alertId: out.alertId,
      workflowId: input.workflowId,
    },
  });
  return out;
}

/** A rule, or one of its firings, that could not act: stored as an alert (once per rule, campaign and day). */
export async function recordRuleFailure(
  db: Db,
  input: { workspace: string; ruleId: string; rule: string; campaignId?: string; campaignName?: string; error: string; asOf: string | null },
): Promise<string> {
  const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: input.workspace } });
  const dedupKey = `rule-error:${input.ruleId}:${input.campaignId ?? '-'}:${input.asOf ?? '-'}`;
  const what = input.campaignName ? `could not act on ${safeText(input.campaignName)}` : 'could not be evaluated';
  return storeRuleAlert(db, ws.id, {
    dedupKey,
    severity: 'critical',
    entityType: input.campaignId ? 'campaign' : 'rule',
    entityId: input.campaignId ?? input.ruleId,
    message: `rule "${safeText(input.rule)}" ${what}: ${safeText(input.error)}`,
    details: { rule: safeText(input.rule), error: safeText(input.error, { keepNewlines: true }) },
  });
}

/** A rule alert, stored once per de-duplication key (a second call returns the first one's id). */
async function storeRuleAlert(
  db: Db,
  workspaceId: string,
  a: { dedupKey: string; severity: 'warning' | 'critical'; entityType: string; entityId: string; message: string; details?: Prisma.InputJsonObject },
): Promise<string> {
  const alert = await db.prisma.alert.upsert({
    where: { workspaceId_dedupKey: { workspaceId, dedupKey: a.dedupKey } },
    create: { workspaceId, kind: 'rule', ...a },
    update: {},
  });
  return alert.id;
}

/**
 * What the rules would do now (dry run: nothing is written), as one list of outcomes: firings with their
 * explanations and skips, and rules that could not be evaluated (as skipped outcomes with a note).
 */
export async function evaluateWorkspaceRules(
  db: Db,
  input: { workspace: string; dryRun: boolean; workflowId: string; now: string; rule?: string },
): Promise<RuleOutcome[]> {
  const plan = await planRules(db, input);
  const out: RuleOutcome[] = [...plan.firings];
  if (!input.dryRun && plan.asOf)
    for (const [i, f] of plan.firings.entries())
      if (!f.skipped) out[i] = await actOnFiring(db, { workspace: input.workspace, workflowId: input.workflowId, asOf: plan.asOf, firing: f });
  return out;
}
