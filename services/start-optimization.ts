// Use case: optimize an account's budgets through Temporal (OptimizationWorkflow): optional fresh sync, plan,
// stored run, and a change request for the moves (approved like any other). Also the daily schedule.
import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { AppError } from '../core/errors.js';
import { parseMoney } from '../core/money.js';
import { workflowUrl } from '../temporal/connection.js';
import { OptimizationWorkflow, type OptimizationInput } from '../workflows/optimization.js';
import { AccountId, Kind, Workspace } from '../workflows/search-attributes.js';
import type { AppContext } from './context.js';

export interface StartOptimizationInput {
  workspace?: string;
  account: string;
  objective?: 'revenue' | 'conversions' | 'profit';
  totalBudget?: string;
  margin?: number;
  requestedBy: string;
  dryRun?: boolean;
  sync?: boolean;
}

async function prepare(ctx: AppContext, input: StartOptimizationInput): Promise<OptimizationInput & { timeZone: string }> {
  const workspace = input.workspace ?? ctx.config.workspace;
  const { rows } = await ctx.pool.query<{ id: string; time_zone: string }>(
    `select a.id::text, a.time_zone from platform_account a join workspace w on w.id = a.workspace_id where w.slug = $1 and (a.id::text = $2 or a.external_id = $2)`,
    [workspace, input.account],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', `no account "${input.account}" in workspace "${workspace}" (see \`mbo status --json\`)`);
  const objective = input.objective ?? 'revenue';
  if (!['revenue', 'conversions', 'profit'].includes(objective))
    throw new AppError('VALIDATION', `--objective must be revenue, conversions or profit, got "${objective}"`);
  if (input.totalBudget !== undefined) {
    try {
      if (parseMoney(input.totalBudget) <= 0n) throw new Error();
    } catch {
      throw new AppError('VALIDATION', `--budget must be a positive amount, got "${input.totalBudget}"`);
    }
  }
  if (input.margin !== undefined && !(input.margin > 0 && input.margin <= 1)) throw new AppError('VALIDATION', '--margin must be a share between 0 and 1');
  return {
    workspace,
    accountId: rows[0].id,
    timeZone: rows[0].time_zone,
    objective,
    totalBudget: input.totalBudget,
    margin: input.margin,
    requestedBy: input.requestedBy,
    dryRun: !!input.dryRun,
    sync: input.sync ?? true,
    historyDays: 120,
    backfillDays: ctx.config.sync.backfillDays,
    lookbackDays: ctx.config.sync.lookbackDays,
  };
}

export async function startOptimization(ctx: AppContext, input: StartOptimizationInput) {
  const { timeZone: _tz, ...args } = await prepare(ctx, input);
  const workflowId = `optimize-${args.accountId}-${randomUUID().slice(0, 8)}`;
  const handle = await (
    await ctx.temporal()
  ).workflow.start(OptimizationWorkflow, {
    workflowId,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [args],
    typedSearchAttributes: [
      { key: Kind, value: 'optimization' },
      { key: AccountId, value: args.accountId },
      { key: Workspace, value: args.workspace },
    ],
  });
  return { workflowId, url: workflowUrl(ctx.config.temporal, workflowId), handle };
}

/** Daily optimization at `hour`:00 in the account's own time zone (a Temporal Schedule; updated in place). */
export async function scheduleOptimization(ctx: AppContext, input: StartOptimizationInput & { hour?: number }) {
  const { timeZone, ...args } = await prepare(ctx, input);
  const hour = input.hour ?? 6;
  const client = await ctx.temporal();
  const scheduleId = `optimize-${args.accountId}-daily`;
  const spec = { calendars: [{ hour, minute: 0 }], timezone: timeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: OptimizationWorkflow,
    workflowId: `optimize-${args.accountId}-scheduled`,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [args] as [OptimizationInput],
    typedSearchAttributes: [
      { key: Kind, value: 'optimization' },
      { key: AccountId, value: args.accountId },
      { key: Workspace, value: args.workspace },
    ],
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  }
  return { scheduleId, hour, timeZone };
}
