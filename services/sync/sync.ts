// Use cases for syncs: start one over the workspace's accounts (analysts and above) and list the stored runs
// (anyone). The hourly schedule starts the same workflow with the same options.
import { randomUUID } from 'node:crypto';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { AppError } from '../../core/errors.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import { workflowUrl } from '../../temporal/connection.js';
import { Kind, Workspace } from '../../workflows/search-attributes.js';
import { SYNC_ALL_WORKFLOW, syncProgressQuery, type AccountSyncProgress, type SyncAllResult, type SyncOptions } from '../../workflows/sync.contract.js';
import type { Config } from '../../lib/config.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { listSyncRunsSchema, startSyncSchema, syncIdSchema } from './sync.schema.js';

export function syncOptions(config: Config, input: Omit<SyncOptions, 'backfillDays' | 'lookbackDays'>): SyncOptions {
  return { ...input, backfillDays: config.sync.backfillDays, lookbackDays: config.sync.lookbackDays };
}

export async function startSync(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'analyst');
  const input = parseInput(startSyncSchema, raw);
  const accountIds = input.accounts?.length
    ? await Promise.all(input.accounts.map(async (a) => (await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, a)).id))
    : undefined;
  const today = new Date().toISOString().slice(0, 10);
  if (input.from && input.from > today) throw new AppError('VALIDATION', `the range starts in the future (${input.from}); platforms have no data for it yet`);
  const range = input.from && input.to ? { from: input.from, to: input.to > today ? today : input.to } : undefined;
  const client = await ctx.app.temporal();
  const workflowId = `sync-${ctx.actor.workspace}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const handle = await client.workflow.start<(o: SyncOptions) => Promise<SyncAllResult>>(SYNC_ALL_WORKFLOW, {
    taskQueue: ctx.app.config.temporal.syncTaskQueue,
    workflowId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [syncOptions(ctx.app.config, { workspace: ctx.actor.workspace, accountIds: [...new Set(accountIds ?? [])].length ? accountIds : undefined, range })],
    typedSearchAttributes: [
      { key: Kind, value: 'sync' },
      { key: Workspace, value: ctx.actor.workspace },
    ],
  });
  return {
    workflowId,
    runId: handle.firstExecutionRunId,
    url: workflowUrl(ctx.app.config.temporal, workflowId),
    range: range ?? null,
    clipped: !!(input.to && input.to > today),
    handle,
  };
}

export async function listSyncRuns(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(listSyncRunsSchema, raw);
  const account = q.account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, q.account) : undefined;
  const rows = await ctx.app.prisma.syncRun.findMany({
    where: {
      account: { workspaceId: ctx.actor.workspaceId },
      ...(account ? { accountId: account.id } : {}),
      ...after('startedAt', q.cursor),
    },
    include: { account: true },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.startedAt);
  return {
    items: page.map((r) => ({
      id: r.id,
      account: { id: r.accountId, externalId: r.account.externalId, name: r.account.name, platform: r.account.platform },
      status: r.status,
      from: r.fromDate?.toISOString().slice(0, 10) ?? null,
      to: r.toDate?.toISOString().slice(0, 10) ?? null,
      campaigns: r.campaignsUpserted,
      rows: r.metricRowsUpserted,
      error: r.error,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      workflowId: r.workflowId,
    })),
    nextCursor,
  };
}

const LIVE_QUERY_MS = 2000;

/**
 * One sync of the workspace as its workflow reports it (anyone): running with each account's progress, or done
 * with the result. Doors follow a sync through this instead of holding a Temporal client (the CLI's `sync --wait`
 * once crashed closing one: "Channel has been shut down").
 */
export async function getSync(
  ctx: ServiceContext,
  raw: unknown,
): Promise<{
  workflowId: string;
  state: 'running' | 'completed' | 'failed';
  accounts: AccountSyncProgress[];
  succeeded: number;
  failed: number;
  error?: string;
}> {
  requireRole(ctx, 'viewer');
  const { workflowId } = parseInput(syncIdSchema, raw);
  const notFound = () => new AppError('NOT_FOUND', `no sync ${workflowId} in "${ctx.actor.workspace}"`);
  if (!workflowId.startsWith(`sync-${ctx.actor.workspace}-`)) throw notFound();
  const client = await ctx.app.temporal();
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch((e: Error) => {
    if (e.name === 'WorkflowNotFoundError') throw notFound();
    throw e;
  });
  const status = description.status.name;
  if (status === 'COMPLETED') {
    const r = (await handle.result()) as SyncAllResult;
    return { workflowId, state: 'completed', ...r };
  }
  if (status !== 'RUNNING')
    return { workflowId, state: 'failed', accounts: [], succeeded: 0, failed: 0, error: `the sync workflow ended ${status.toLowerCase()}` };
  const accounts = await client
    .withAbortSignal(AbortSignal.timeout(LIVE_QUERY_MS), () => handle.query(syncProgressQuery))
    .catch(() => [] as AccountSyncProgress[]);
  return {
    workflowId,
    state: 'running',
    accounts,
    succeeded: accounts.filter((a) => a.state === 'succeeded').length,
    failed: accounts.filter((a) => a.state === 'failed').length,
  };
}
