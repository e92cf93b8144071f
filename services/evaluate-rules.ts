// Evaluates a workspace's enabled rules against its campaigns' recent metrics (pure core/rules.ts), and —
// unless it is a dry run — records each firing (its cooldown starts), opens a change request for budget and
// status actions (through the same guardrails and approval path as any change) and stores alerts.
// Used by the RulesWorkflow's activity and by `mbo rules test` (dry run).
import type pg from 'pg';
import { addDays } from '../core/dates.js';
import { AppError } from '../core/errors.js';
import { evaluateRule, type Firing, type RuleCampaign, type RuleDefinition } from '../core/rules.js';
import type { PrismaClient } from '../db/prisma.js';
import { createChangeRequest } from './request-budget-change.js';

export interface RuleOutcome extends Firing {
  rule: string;
  changeRequest?: { requestId: string; workspace: string; accountId: string; platform: string; requestedBy: string };
  alertId?: string;
}

const maxWindow = (c: RuleDefinition['condition']): number =>
  'all' in c ? Math.max(...c.all.map(maxWindow)) : 'any' in c ? Math.max(...c.any.map(maxWindow)) : c.days;

export async function evaluateWorkspaceRules(
  db: { prisma: PrismaClient; pool: pg.Pool },
  input: { workspace: string; dryRun: boolean; workflowId: string; now: string; rule?: string },
): Promise<RuleOutcome[]> {
  const ws = await db.prisma.workspace.findUnique({ where: { slug: input.workspace } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${input.workspace}"`);
  const rules = await db.prisma.rule.findMany({
    where: { workspaceId: ws.id, enabled: true, ...(input.rule ? { name: input.rule } : {}) },
    orderBy: { name: 'asc' },
  });
  if (input.rule && !rules.length) throw new AppError('NOT_FOUND', `no enabled rule "${input.rule}"`);
  if (!rules.length) return [];
  const window = Math.max(...rules.map((r) => maxWindow((r.definition as unknown as RuleDefinition).condition)));
  const { rows: last } = await db.pool.query<{ d: string | null }>(
    'select max(m.date)::text as d from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id where a.workspace_id = $1',
    [ws.id],
  );
  if (!last[0]?.d) return [];
  const asOf = addDays(last[0].d, 1);
  const { rows } = await db.pool.query<{
    id: string;
    name: string;
    platform: string;
    account_id: string;
    status: 'ACTIVE' | 'PAUSED';
    daily_budget: string | null;
    date: string | null;
    spend: string;
    revenue: string;
    conversions: string;
    clicks: string;
    impressions: string;
  }>(
    `select c.id::text, c.name, a.platform::text, a.id::text as account_id, c.status::text, c.daily_budget::text, m.date::text,
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
  const out: RuleOutcome[] = [];
  for (const rule of rules) {
    const def = rule.definition as unknown as RuleDefinition;
    const firings = await db.prisma.ruleFiring.findMany({ where: { ruleId: rule.id }, orderBy: { firedAt: 'asc' } });
    const lastFired = Object.fromEntries(firings.map((f) => [f.campaignId, f.firedAt.toISOString()]));
    for (const f of evaluateRule(def, campaigns, asOf, input.now, lastFired)) {
      const o: RuleOutcome = { ...f, rule: rule.name };
      out.push(o);
      if (input.dryRun || f.skipped) continue;
      const prior = await db.prisma.ruleFiring.findUnique({
        where: { workflowId_ruleId_campaignId: { workflowId: input.workflowId, ruleId: rule.id, campaignId: f.campaignId } },
      });
      if (prior) {
        // A retried activity: the firing and what it opened already exist.
        if (prior.changeRequestId) {
          const cr = await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: prior.changeRequestId } });
          const acc = await db.prisma.platformAccount.findUniqueOrThrow({ where: { id: cr.accountId } });
          o.changeRequest = { requestId: cr.id, workspace: input.workspace, accountId: cr.accountId, platform: acc.platform, requestedBy: cr.requestedBy };
        }
        o.alertId = prior.alertId ?? undefined;
        continue;
      }
      const reason = `rule "${rule.name}": ${f.explanation}`;
      if (f.action.type === 'alert') {
        const alert = await db.prisma.alert.upsert({
          where: { workspaceId_dedupKey: { workspaceId: ws.id, dedupKey: `rule:${rule.id}:${f.campaignId}:${asOf}` } },
          create: {
            workspaceId: ws.id,
            kind: 'rule',
            severity: 'warning',
            dedupKey: `rule:${rule.id}:${f.campaignId}:${asOf}`,
            entityType: 'campaign',
            entityId: f.campaignId,
            message: `${f.campaignName}: ${reason}`,
          },
          update: {},
        });
        o.alertId = alert.id;
      } else {
        o.changeRequest = await createChangeRequest(
          { prisma: db.prisma, pool: db.pool, config: { workspace: input.workspace } },
          {
            workspace: input.workspace,
            requestedBy: `rule:${rule.name}`,
            source: 'rule',
            reason,
            forceApproval: def.requiresApproval,
            items: [
              { campaign: f.campaignId, kind: f.action.type === 'pause' ? 'pause' : f.action.type === 'resume' ? 'resume' : 'budget', toBudget: f.newBudget },
            ],
          },
        );
      }
      await db.prisma.ruleFiring.create({
        data: {
          ruleId: rule.id,
          campaignId: f.campaignId,
          explanation: f.explanation,
          changeRequestId: o.changeRequest?.requestId,
          alertId: o.alertId,
          workflowId: input.workflowId,
        },
      });
    }
  }
  return out;
}
