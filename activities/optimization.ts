// The optimizer as an activity: read an account's campaigns and daily history from the store, answer it as a
// scenario with the pure core optimizer (guardrail limits become its constraints), store the run, and open a
// change request for the recommended moves (the workflow then starts its BudgetChangeWorkflow).
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import { optimize } from '../core/optimizer/optimize.js';
import { parseScenario } from '../core/optimizer/scenario.js';
import { formatMoney, moneyFromNumber, parseMoney, sumMoney } from '../core/money.js';
import type { PrismaClient } from '../db/prisma.js';
import { createChangeRequest } from '../db/change-requests.js';
import { policyFor } from '../db/guardrail-settings.js';
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

export function createOptimizationActivities({ pool, prisma }: { pool: pg.Pool; prisma: PrismaClient }) {
  return {
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
        const { rows } = await pool.query<{
          campaign_id: string;
          date: string;
          spend: string;
          conversions: string;
          conversion_value: string;
          impressions: string;
          clicks: string;
        }>(
          `select campaign_id::text, date, spend::text, conversions::text, conversion_value::text, impressions::text, clicks::text from metric_daily
            where campaign_id = any($1::uuid[]) and date >= (select max(date) from metric_daily where campaign_id = any($1::uuid[])) - $2::int
            order by date`,
          [campaigns.map((c) => c.id), input.historyDays],
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
