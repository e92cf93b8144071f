// Starts a sync of a workspace (all accounts, or some) through Temporal, after validating the request.
// The CLI, API and MCP doors call this; the hourly schedule starts the same workflow with the same options.
import { randomUUID } from 'node:crypto';
import { type DateRange, validateRange } from '../core/dates.js';
import { AppError } from '../core/errors.js';
import { workflowUrl } from '../temporal/connection.js';
import { Kind, Workspace } from '../workflows/search-attributes.js';
import { SyncAllWorkflow, type SyncOptions } from '../workflows/sync.js';
import type { AppContext } from './context.js';

export interface StartSyncInput {
  workspace?: string;
  accountIds?: string[];
  range?: Partial<DateRange>;
}

export function syncOptions(ctx: AppContext, input: StartSyncInput & { range?: DateRange }): SyncOptions {
  return {
    workspace: input.workspace ?? ctx.config.workspace,
    accountIds: input.accountIds,
    range: input.range,
    backfillDays: ctx.config.sync.backfillDays,
    lookbackDays: ctx.config.sync.lookbackDays,
  };
}

export async function startSync(ctx: AppContext, input: StartSyncInput = {}) {
  const workspace = input.workspace ?? ctx.config.workspace;
  let range: DateRange | undefined;
  if (input.range?.from || input.range?.to) {
    if (!input.range.from || !input.range.to) throw new AppError('VALIDATION', '--from and --to must be given together');
    range = validateRange({ from: input.range.from, to: input.range.to });
  }
  const ws = await ctx.prisma.workspace.findUnique({ where: { slug: workspace } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${workspace}" (run \`npm run up\` to create the default one)`);
  let accountIds: string[] | undefined;
  if (input.accountIds?.length) {
    // An account may be named by MBO's id or by its platform id (e.g. "sbx-meta").
    const { rows } = await ctx.pool.query<{ id: string; external_id: string }>(
      'select id::text, external_id from platform_account where workspace_id = $1 and (id::text = any($2) or external_id = any($2))',
      [ws.id, input.accountIds],
    );
    const missing = input.accountIds.filter((ref) => !rows.some((r) => r.id === ref || r.external_id === ref));
    if (missing.length)
      throw new AppError('NOT_FOUND', `unknown account ${missing.join(', ')} in workspace "${workspace}" (see \`mbo status --json\` for account ids)`);
    accountIds = rows.map((r) => r.id);
  }
  const client = await ctx.temporal();
  const workflowId = `sync-${workspace}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  const handle = await client.workflow.start(SyncAllWorkflow, {
    taskQueue: ctx.config.temporal.taskQueue,
    workflowId,
    args: [syncOptions(ctx, { workspace, accountIds, range })],
    typedSearchAttributes: [
      { key: Kind, value: 'sync' },
      { key: Workspace, value: workspace },
    ],
  });
  return { workflowId, runId: handle.firstExecutionRunId, url: workflowUrl(ctx.config.temporal, workflowId), handle };
}
