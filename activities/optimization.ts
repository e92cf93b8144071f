// The optimizer as activities: read campaigns and daily history from the store, answer them with the pure core
// optimizer (guardrail limits become its constraints), store the run, and open change requests for the
// recommended moves (the workflow then starts each request's BudgetChangeWorkflow). Per account (optimizeAccount)
// or workspace-wide (planWorkspace, then openPlanRequest once per account).
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { AppError, isAppError } from '../core/errors.js';
import { optimize } from '../core/optimizer/optimize.js';
import { parseScenario } from '../core/optimizer/scenario.js';
import { formatMoney, moneyFromNumber, parseMoney, sumMoney } from '../core/money.js';
import type { PrismaClient } from '../db/prisma.js';
import { createChangeRequest, type StoredChangeRef } from '../db/change-requests.js';
import { fxTableFor } from '../db/fx-rates.js';
import { policyFor } from '../db/guardrail-settings.js';
import { optimizeWorkspace, SAME_CURRENCY, type ShareBound, type WorkspaceAccount, type WorkspacePlan } from '../core/optimizer/workspace.js';
import { mapFailures } from './failures.js';

export interface OptimizeAccountInput {
  workspace: string;
  accountId: string;
  objective: 'revenue' | 'conversions' | 'profit';
  /** Total daily budget to plan (decimal string); default: today's total. */
  totalBudget?: string;
  /** Profit objective: the share of revenue that is gross profit. */
  margin?: number;
  requestedBy: string;
  dryRun: boolean;
  historyDays: number;
  workflowId: string;
}

export interface OptimizeAccountResult {
  runId: string;
  moves: number;
  expectedUplift: number;
  changeRequest?: { requestId: string; workspace: string; accountId: string; platform: string; requestedBy: string };
  warnings: string[];
}

export interface PlanWorkspaceInput {
  workspace: string;
  workspaceId: string;
  accountIds: string[];
  objective: 'revenue' | 'conversions' | 'profit';
  margin?: number;
  riskAversion?: number;
  /** Report currency, decimal string. */
  totalBudget?: string;
  reportCurrency: string;
  platformShare?: Record<string, ShareBound>;
  /** MBO campaign ids held at their budget. */
  locked?: string[];
  requestedBy: string;
  dryRun: boolean;
  historyDays: number;
  workflowId: string;
}

export interface PlanWorkspaceResult {
  planId: string;
  moves: number;
  expectedUplift: number;
  /** Accounts whose plan has moves (each gets one change request). */
  accountsWithMoves: string[];
  warnings: string[];
}

export type OpenPlanRequestResult =
  { changeRequest: StoredChangeRef; error?: undefined } | { changeRequest?: undefined; error: { code: string; message: string } };

type HistoryRow = { campaign_id: string; date: string; spend: string; conversions: string; conversion_value: string; impressions: string; clicks: string };

/** The campaigns' daily rows over the last `days` days of their data (exact amounts as decimal strings). */
async function loadHistory(pool: pg.Pool, campaignIds: string[], days: number): Promise<HistoryRow[]> {
  const { rows } = await pool.query<HistoryRow>(
    `select campaign_id::text, date, spend::text, conversions::text, conversion_value::text, impressions::text, clicks::text from metric_daily
      where campaign_id = any($1::uuid[]) and date >= (select max(date) from metric_daily where campaign_id = any($1::uuid[])) - $2::int
      order by date`,
    [campaignIds, days],
  );
  return rows;
}

const planSummary = (planId: string, plan: WorkspacePlan): PlanWorkspaceResult => ({
  planId,
  moves: plan.moves,
  expectedUplift: plan.expectedTotal.uplift,
  accountsWithMoves: plan.accounts.filter((a) => a.moves.length).map((a) => a.accountId),
  warnings: plan.warnings,
});

export function createOptimizationActivities({ pool, prisma }: { pool: pg.Pool; prisma: PrismaClient }) {
  return {
    /** Fit and allocate over every active campaign of the chosen accounts in the report currency; store the plan. */
    async planWorkspace(input: PlanWorkspaceInput): Promise<PlanWorkspaceResult> {
      return mapFailures(async () => {
        const existing = await prisma.optimizationPlan.findUnique({ where: { workflowId: input.workflowId } });
        if (existing) return planSummary(existing.id, existing.result as unknown as WorkspacePlan);
        const accounts = await prisma.platformAccount.findMany({
          where: { id: { in: input.accountIds }, workspaceId: input.workspaceId },
          orderBy: [{ platform: 'asc' }, { name: 'asc' }],
        });
        const campaigns = await prisma.campaign.findMany({
          where: { accountId: { in: accounts.map((a) => a.id) }, status: 'ACTIVE', dailyBudget: { not: null } },
          orderBy: { externalId: 'asc' },
        });
        const ids = campaigns.map((c) => c.id);
        const rows = await loadHistory(pool, ids, input.historyDays);
        Context.current().heartbeat();
        const byCampaign = new Map<string, HistoryRow[]>();
        for (const r of rows) byCampaign.set(r.campaign_id, [...(byCampaign.get(r.campaign_id) ?? []), r]);
        const dates = rows.map((r) => r.date).sort();
        const asOf = dates.at(-1) ?? new Date().toISOString().slice(0, 10);
        const currencies = [...new Set(accounts.map((a) => a.currency.trim()))];
        const fx = currencies.some((c) => c !== input.reportCurrency)
          ? await fxTableFor(pool, { currencies, target: input.reportCurrency, from: dates[0] ?? asOf, to: asOf })
          : SAME_CURRENCY;
        const wsAccounts: WorkspaceAccount[] = [];
        for (const a of accounts) {
          const policy = await policyFor(prisma, input.workspaceId, a.id);
          wsAccounts.push({
            id: a.id,
            name: a.name,
            platform: a.platform,
            currency: a.currency.trim(),
            maxChangePct: policy.maxChangePct,
            minBudget: policy.minBudget,
            campaigns: campaigns
              .filter((c) => c.accountId === a.id)
              .map((c) => ({
                id: c.id,
                name: c.name,
                dailyBudget: c.dailyBudget!.toString(),
                history: (byCampaign.get(c.id) ?? []).map((r) => ({
                  date: r.date,
                  spend: r.spend,
                  revenue: r.conversion_value,
                  conversions: Number(r.conversions),
                  impressions: Number(r.impressions),
                  clicks: Number(r.clicks),
                })),
              })),
          });
        }
        const plan = optimizeWorkspace(
          {
            name: `${input.workspace} ${input.workflowId}`,
            reportCurrency: input.reportCurrency,
            asOf,
            objective: input.objective,
            margin: input.objective === 'profit' ? (input.margin ?? 0.3) : undefined,
            riskAversion: input.riskAversion,
            totalBudget: input.totalBudget,
            platformShare: input.platformShare,
            locked: input.locked,
            accounts: wsAccounts,
          },
          fx,
        );
        Context.current().heartbeat();
        const stored = await prisma.optimizationPlan.create({
          data: {
            id: randomUUID(),
            workspaceId: input.workspaceId,
            workflowId: input.workflowId,
            objective: input.objective,
            reportCurrency: input.reportCurrency,
            totalBudget: plan.totalDailyBudget,
            requestedBy: input.requestedBy,
            dryRun: input.dryRun,
            expectedUplift: plan.expectedTotal.uplift,
            options: JSON.parse(
              JSON.stringify({
                accountIds: input.accountIds,
                platformShare: input.platformShare ?? null,
                locked: input.locked ?? [],
                margin: plan.margin,
                riskAversion: input.riskAversion ?? null,
                totalBudget: input.totalBudget ?? null,
              }),
            ),
            result: JSON.parse(JSON.stringify(plan)),
          },
        });
        return planSummary(stored.id, plan);
      });
    },

    /**
     * The change request of one account of a stored plan (its moves, carrying the plan id), once: a retry finds the
     * request it opened. A request the store refuses (e.g. a budget changed since) is reported, not thrown, so the
     * other accounts still get theirs.
     */
    async openPlanRequest(input: { planId: string; accountId: string }): Promise<OpenPlanRequestResult> {
      return mapFailures(async () => {
        const plan = await prisma.optimizationPlan.findUniqueOrThrow({ where: { id: input.planId }, include: { workspace: true } });
        const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: input.accountId } });
        const ref = (requestId: string, requestedBy: string): OpenPlanRequestResult => ({
          changeRequest: { requestId, workspace: plan.workspace.slug, accountId: account.id, platform: account.platform, requestedBy },
        });
        const linked = await prisma.optimizationPlanRequest.findUnique({ where: { planId_accountId: { planId: plan.id, accountId: account.id } } });
        if (linked) return ref(linked.changeRequestId, plan.requestedBy);
        const tag = `plan ${plan.id}`;
        const orphan = await prisma.changeRequest.findFirst({
          where: { workspaceId: plan.workspaceId, accountId: account.id, source: 'optimizer', reason: { contains: tag } },
        });
        const result = plan.result as unknown as WorkspacePlan;
        const mine = result.accounts.find((a) => a.accountId === account.id);
        if (!mine?.moves.length) return { error: { code: 'VALIDATION', message: `the plan moves no budget of account ${account.name}` } };
        let requestId = orphan?.id;
        if (!requestId) {
          try {
            const moved = mine.plannedTotal !== mine.currentTotal ? `, ${mine.currentTotal} → ${mine.plannedTotal} ${mine.currency}/day` : '';
            requestId = (
              await createChangeRequest(
                { prisma, pool },
                {
                  workspace: plan.workspace.slug,
                  requestedBy: plan.requestedBy,
                  source: 'optimizer',
                  reason: `workspace optimization ${tag} (${plan.objective}, ${plan.reportCurrency}): ${mine.moves.length} budget move(s) on ${account.name}${moved}; whole plan expected ${((plan.expectedUplift ?? 0) * 100).toFixed(1)}% more ${plan.objective} per day`,
                  items: mine.moves.map((m) => ({ campaign: m.campaignId, kind: 'budget' as const, toBudget: m.to })),
                },
              )
            ).requestId;
          } catch (e) {
            if (isAppError(e) && (e.code === 'VALIDATION' || e.code === 'NOT_FOUND')) return { error: { code: e.code, message: e.message } };
            throw e;
          }
        }
        await prisma.optimizationPlanRequest.create({ data: { planId: plan.id, accountId: account.id, changeRequestId: requestId } });
        return ref(requestId, plan.requestedBy);
      });
    },

    async optimizeAccount(input: OptimizeAccountInput): Promise<OptimizeAccountResult> {
      return mapFailures(async () => {
        const existing = await prisma.optimizationRun.findUnique({ where: { workflowId: input.workflowId } });
        if (existing) {
          const r = existing.result as { moves?: number; warnings?: string[] };
          const cr = existing.changeRequestId ? await prisma.changeRequest.findUnique({ where: { id: existing.changeRequestId } }) : null;
          const acc = await prisma.platformAccount.findUniqueOrThrow({ where: { id: existing.accountId } });
          return {
            runId: existing.id,
            moves: r.moves ?? 0,
            expectedUplift: existing.expectedUplift ?? 0,
            changeRequest: cr
              ? { requestId: cr.id, workspace: input.workspace, accountId: cr.accountId, platform: acc.platform, requestedBy: cr.requestedBy }
              : undefined,
            warnings: r.warnings ?? [],
          };
        }
        const account = await prisma.platformAccount.findUnique({ where: { id: input.accountId } });
        if (!account) throw new AppError('NOT_FOUND', `no platform account ${input.accountId}`);
        const campaigns = await prisma.campaign.findMany({
          where: { accountId: account.id, status: 'ACTIVE', dailyBudget: { not: null } },
          orderBy: { externalId: 'asc' },
        });
        if (!campaigns.length) throw new AppError('VALIDATION', `account ${account.name} has no active campaign with a daily budget`);
        const rows = await loadHistory(
          pool,
          campaigns.map((c) => c.id),
          input.historyDays,
        );
        Context.current().heartbeat();
        const policy = await policyFor(prisma, account.workspaceId, account.id);
        const current = sumMoney(campaigns.map((c) => parseMoney(c.dailyBudget!.toString())));
        const total = input.totalBudget ? parseMoney(input.totalBudget) : current;
        const scenario = parseScenario({
          name: `${account.name} ${input.workflowId}`,
          currency: account.currency,
          objective: input.objective,
          constraints: { totalDailyBudget: Number(formatMoney(total)), maxChangePct: policy.maxChangePct },
          campaigns: campaigns.map((c) => ({
            id: c.id,
            platform: account.platform,
            name: c.name,
            currentDailyBudget: Number(c.dailyBudget),
            minDailyBudget: policy.minBudget ? Number(policy.minBudget) : undefined,
            margin: input.objective === 'profit' ? (input.margin ?? 0.3) : undefined,
            history: rows
              .filter((r) => r.campaign_id === c.id)
              .map((r) => ({
                date: r.date,
                spend: Number(r.spend),
                conversions: Number(r.conversions),
                revenue: Number(r.conversion_value),
                impressions: Number(r.impressions),
                clicks: Number(r.clicks),
              })),
          })),
        });
        const plan = optimize(scenario);
        const moves = plan.allocations.filter((a) => {
          const cur = moneyFromNumber(a.currentDailyBudget);
          const next = moneyFromNumber(a.dailyBudget);
          const delta = next > cur ? next - cur : cur - next;
          return delta >= 1_000_000n && delta * 100n >= cur; // ≥ 1.00 and ≥ 1%
        });
        let changeRequest: OptimizeAccountResult['changeRequest'];
        if (!input.dryRun && moves.length) {
          const ws = await prisma.workspace.findUniqueOrThrow({ where: { id: account.workspaceId } });
          changeRequest = await createChangeRequest(
            { prisma, pool },
            {
              workspace: ws.slug,
              requestedBy: input.requestedBy,
              source: 'optimizer',
              reason: `optimizer (${input.objective}): expected ${(plan.expectedTotal.uplift * 100).toFixed(1)}% more ${input.objective} per day`,
              items: moves.map((a) => ({ campaign: a.campaignId, kind: 'budget' as const, toBudget: a.dailyBudget.toFixed(2) })),
            },
          );
        }
        const run = await prisma.optimizationRun.create({
          data: {
            workspaceId: account.workspaceId,
            accountId: account.id,
            objective: input.objective,
            totalBudget: formatMoney(total, 6),
            requestedBy: input.requestedBy,
            dryRun: input.dryRun,
            expectedUplift: plan.expectedTotal.uplift,
            result: JSON.parse(JSON.stringify({ ...plan, moves: moves.length })),
            changeRequestId: changeRequest?.requestId,
            workflowId: input.workflowId,
          },
        });
        return { runId: run.id, moves: moves.length, expectedUplift: plan.expectedTotal.uplift, changeRequest, warnings: plan.warnings };
      });
    },
  };
}

export type OptimizationActivities = ReturnType<typeof createOptimizationActivities>;
