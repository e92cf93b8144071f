// Use cases for optimization: start a run on an account through Temporal (analysts and above; it may open a change
// request, approved like any other), schedule it daily, read stored runs (anyone), and answer a scenario offline.
import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { AppError } from '../../core/errors.js';
import { optimize, type OptimizeOptions, type OptimizeResult } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import { workflowUrl } from '../../temporal/connection.js';
import { OPTIMIZATION_WORKFLOW, type OptimizationInput, type OptimizationWorkflowType } from '../../workflows/optimization.contract.js';
import { AccountId, Kind, Workspace } from '../../workflows/search-attributes.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { auditAs } from '../audit-trail.js';
import {
  listRunsSchema,
  riskSchema,
  runIdSchema,
  scheduleOptimizationSchema,
  startOptimizationSchema,
  unscheduleOptimizationSchema,
} from './optimization.schema.js';

async function prepare(
  ctx: ServiceContext,
  input: { account: string; objective: OptimizationInput['objective']; totalBudget?: string; margin?: number; dryRun: boolean; sync: boolean },
) {
  const account = await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, input.account);
  const args: OptimizationInput = {
    workspace: ctx.actor.workspace,
    accountId: account.id,
    objective: input.objective,
    totalBudget: input.totalBudget,
    margin: input.objective === 'profit' ? (input.margin ?? 0.3) : undefined,
    requestedBy: ctx.actor.userId,
    dryRun: input.dryRun,
    sync: input.sync,
    historyDays: 120,
    backfillDays: ctx.app.config.sync.backfillDays,
    lookbackDays: ctx.app.config.sync.lookbackDays,
  };
  return { account, args };
}

const attributes = (args: OptimizationInput) => [
  { key: Kind, value: 'optimization' },
  { key: AccountId, value: args.accountId },
  { key: Workspace, value: args.workspace },
];

export async function startOptimization(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const { args } = await prepare(ctx, parseInput(startOptimizationSchema, raw));
  const workflowId = `optimize-${args.accountId}-${randomUUID().slice(0, 8)}`;
  const handle = await (
    await ctx.app.temporal()
  ).workflow.start<OptimizationWorkflowType>(OPTIMIZATION_WORKFLOW, {
    workflowId,
    taskQueue: ctx.app.config.temporal.taskQueue,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [args],
    typedSearchAttributes: attributes(args),
  });
  return { workflowId, url: workflowUrl(ctx.app.config.temporal, workflowId), margin: args.margin ?? null, handle };
}

/** Daily optimization at `hour`:00 in the account's own time zone (a Temporal Schedule; updated in place). */
export async function scheduleOptimization(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const input = parseInput(scheduleOptimizationSchema, raw);
  const { account, args } = await prepare(ctx, input);
  const client = await ctx.app.temporal();
  const scheduleId = `optimize-${args.accountId}-daily`;
  const spec = { calendars: [{ hour: input.hour, minute: 0 }], timezone: account.time_zone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: OPTIMIZATION_WORKFLOW,
    workflowId: `optimize-${args.accountId}-scheduled`,
    taskQueue: ctx.app.config.temporal.taskQueue,
    args: [args],
    typedSearchAttributes: attributes(args),
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  }
  await auditAs(ctx, ctx.app.prisma, {
    action: 'optimization.scheduled',
    entityType: 'optimization_schedule',
    entityId: scheduleId,
    details: { hour: input.hour, timeZone: account.time_zone, objective: args.objective, dryRun: args.dryRun },
  });
  return { scheduleId, account: account.id, hour: input.hour, timeZone: account.time_zone, objective: args.objective, dryRun: args.dryRun };
}

/** Stops an account's daily optimization; `removed: false` when it had none. */
export async function unscheduleOptimization(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const input = parseInput(unscheduleOptimizationSchema, raw);
  const account = await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, input.account);
  const scheduleId = `optimize-${account.id}-daily`;
  try {
    await (await ctx.app.temporal()).schedule.getHandle(scheduleId).delete();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return { removed: false };
    throw e;
  }
  await auditAs(ctx, ctx.app.prisma, { action: 'optimization.unscheduled', entityType: 'optimization_schedule', entityId: scheduleId });
  return { removed: true };
}

const runView = (r: {
  id: string;
  accountId: string;
  objective: string;
  totalBudget: { toString(): string };
  requestedBy: string;
  dryRun: boolean;
  expectedUplift: number | null;
  changeRequestId: string | null;
  workflowId: string;
  createdAt: Date;
}) => ({
  id: r.id,
  accountId: r.accountId,
  objective: r.objective,
  totalBudget: r.totalBudget.toString(),
  requestedBy: r.requestedBy,
  dryRun: r.dryRun,
  expectedUplift: r.expectedUplift,
  changeRequestId: r.changeRequestId,
  workflowId: r.workflowId,
  createdAt: r.createdAt.toISOString(),
});

export async function listOptimizationRuns(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(listRunsSchema, raw);
  const account = q.account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, q.account) : undefined;
  const rows = await ctx.app.prisma.optimizationRun.findMany({
    where: {
      workspaceId: ctx.actor.workspaceId,
      ...(account ? { accountId: account.id } : {}),
      ...after('createdAt', q.cursor),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.createdAt);
  return { items: page.map(runView), nextCursor };
}

export async function getOptimizationRun(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'viewer');
  const { runId } = parseInput(runIdSchema, raw);
  const r = await ctx.app.prisma.optimizationRun.findFirst({ where: { id: runId, workspaceId: ctx.actor.workspaceId } });
  if (!r) throw new AppError('NOT_FOUND', `no optimization run ${runId} in "${ctx.actor.workspace}"`);
  return { ...runView(r), result: r.result };
}

/** Offline: answer a scenario in the shared format (no data of any workspace is read, so no role is needed). */
export function optimizeScenario(input: unknown, opts: OptimizeOptions = {}): OptimizeResult {
  if (opts.riskAversion !== undefined) {
    const r = riskSchema.safeParse(opts.riskAversion);
    if (!r.success) throw new AppError('INVALID_INPUT', `--risk: ${r.error.issues[0]!.message}`);
  }
  return optimize(parseScenario(input), opts);
}
