// Use case: optimize the whole workspace (or chosen platforms/accounts) in one plan, through Temporal (analysts and
// above). The WorkspaceOptimizationWorkflow fits, allocates in the report currency, stores the plan and opens one
// change request per account, each approved like any other.
import { randomUUID } from 'node:crypto';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { AppError } from '../../core/errors.js';
import { accountInWorkspace, isUuid } from '../../db/workspaces.js';
import { workflowUrl } from '../../temporal/connection.js';
import {
  WORKSPACE_OPTIMIZATION_WORKFLOW,
  type WorkspaceOptimizationInput,
  type WorkspaceOptimizationWorkflowType,
} from '../../workflows/optimization-workspace.contract.js';
import { Kind, Workspace } from '../../workflows/search-attributes.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { startWorkspaceOptimizationSchema } from './workspace-optimization.schema.js';

export async function startWorkspaceOptimization(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const input = parseInput(startWorkspaceOptimizationSchema, raw);
  const workspaceId = ctx.actor.workspaceId;
  let accounts = await ctx.app.prisma.platformAccount.findMany({ where: { workspaceId }, orderBy: [{ platform: 'asc' }, { name: 'asc' }] });
  if (input.accounts) {
    const chosen = new Set<string>();
    for (const ref of input.accounts) chosen.add((await accountInWorkspace(ctx.app.pool, workspaceId, ref)).id);
    accounts = accounts.filter((a) => chosen.has(a.id));
  }
  if (input.platforms) accounts = accounts.filter((a) => input.platforms!.includes(a.platform));
  if (!accounts.length) throw new AppError('VALIDATION', `no ad account in "${ctx.actor.workspace}" matches the chosen platforms/accounts`);
  const platforms = new Set<string>(accounts.map((a) => a.platform));
  const stray = Object.keys(input.bounds ?? {}).filter((p) => !platforms.has(p));
  if (stray.length) throw new AppError('VALIDATION', `share bounds for ${stray.join(', ')}: not among the plan's platforms (${[...platforms].join(', ')})`);

  let locked: string[] | undefined;
  if (input.locked?.length) {
    const refs = [...new Set(input.locked)];
    const rows = await ctx.app.prisma.campaign.findMany({
      where: { accountId: { in: accounts.map((a) => a.id) }, OR: [{ externalId: { in: refs } }, { id: { in: refs.filter(isUuid) } }] },
      select: { id: true, externalId: true },
    });
    const missing = refs.filter((r) => !rows.some((c) => c.id === r || c.externalId === r));
    if (missing.length) throw new AppError('NOT_FOUND', `locked campaign(s) not in the plan's accounts: ${missing.join(', ')}`);
    locked = rows.map((c) => c.id);
  }

  const currencies = [...new Set(accounts.map((a) => a.currency.trim()))].sort();
  const reportCurrency = input.reportCurrency ?? (currencies.length === 1 ? currencies[0]! : undefined);
  if (!reportCurrency)
    throw new AppError('VALIDATION', `the accounts are in ${currencies.join(', ')}: choose the report currency to plan in (reportCurrency)`, {
      fields: [{ path: 'reportCurrency', message: 'required when accounts use different currencies' }],
    });

  const args: WorkspaceOptimizationInput = {
    workspace: ctx.actor.workspace,
    workspaceId,
    accountIds: accounts.map((a) => a.id),
    objective: input.objective,
    margin: input.objective === 'profit' ? (input.margin ?? 0.3) : undefined,
    riskAversion: input.risk,
    totalBudget: input.totalBudget,
    reportCurrency,
    platformShare: input.bounds as WorkspaceOptimizationInput['platformShare'],
    locked,
    requestedBy: ctx.actor.userId,
    dryRun: input.dryRun,
    historyDays: 120,
    sync: input.sync,
    backfillDays: ctx.app.config.sync.backfillDays,
    lookbackDays: ctx.app.config.sync.lookbackDays,
  };
  const workflowId = `optimize-workspace-${ctx.actor.workspace}-${randomUUID().slice(0, 8)}`;
  const handle = await (
    await ctx.app.temporal()
  ).workflow.start<WorkspaceOptimizationWorkflowType>(WORKSPACE_OPTIMIZATION_WORKFLOW, {
    workflowId,
    taskQueue: ctx.app.config.temporal.taskQueue,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [args],
    typedSearchAttributes: [
      { key: Kind, value: 'optimization' },
      { key: Workspace, value: ctx.actor.workspace },
    ],
  });
  return {
    workflowId,
    url: workflowUrl(ctx.app.config.temporal, workflowId),
    reportCurrency,
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, platform: a.platform, currency: a.currency.trim() })),
    objective: input.objective,
    margin: args.margin ?? null,
    handle,
  };
}
