// Durable sync: SyncAllWorkflow fans out one child SyncAccountWorkflow per account; each child lists and
// upserts campaigns, plans its date range (pure core), walks the metrics report with a resumable cursor and
// records a SyncRun. Permanent errors (auth, validation) fail the account fast with the reason; the others
// are retried per their type (rate limits after the platform's retry-after).
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SyncActivities } from '../activities/sync.js';
import { planSyncRange } from '../core/sync-range.js';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';
import { AccountId, Kind, Platform, Workspace } from './search-attributes.js';
import {
  syncProgressQuery,
  type AccountSyncProgress,
  type SyncAccountInput,
  type SyncAccountResult,
  type SyncAllResult,
  type SyncOptions,
} from './sync.contract.js';

// Until the services import the contract module, its names stay available here.
export * from './sync.contract.js';

const nonRetryableErrorTypes = NON_RETRYABLE_ERROR_TYPES;

const db = proxyActivities<SyncActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes },
});

const platformCalls = proxyActivities<SyncActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s', maximumAttempts: 12, nonRetryableErrorTypes },
});

export async function SyncAllWorkflow(options: SyncOptions): Promise<SyncAllResult> {
  const targets = await db.listSyncTargets({ workspace: options.workspace, accountIds: options.accountIds });
  const progress: AccountSyncProgress[] = targets.map((t) => ({ accountId: t.accountId, platform: t.platform, name: t.name, state: 'pending' }));
  setHandler(syncProgressQuery, () => progress);

  await Promise.all(
    targets.map(async (t, i) => {
      const p = progress[i]!;
      try {
        const child = await startChild(SyncAccountWorkflow, {
          workflowId: `${workflowInfo().workflowId}/${t.accountId}`,
          args: [{ accountId: t.accountId, range: options.range, backfillDays: options.backfillDays, lookbackDays: options.lookbackDays }],
          parentClosePolicy: ParentClosePolicy.TERMINATE,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: Platform, value: t.platform },
            { key: AccountId, value: t.accountId },
            { key: Kind, value: 'sync' },
            { key: Workspace, value: options.workspace },
          ],
        });
        p.state = 'running';
        const r = await child.result();
        Object.assign(p, { state: 'succeeded', rows: r.rows, range: r.range });
      } catch (e) {
        p.state = 'failed';
        p.error = e instanceof ChildWorkflowFailure && e.cause ? e.cause.message : (e as Error).message;
      }
    }),
  );
  if (progress.some((p) => p.state === 'succeeded')) {
    // Rules and anomaly alerts run on the fresh data, on their own (this sync does not wait for them), once.
    await startChild('RulesWorkflow', {
      workflowId: `${workflowInfo().workflowId}/rules`,
      args: [{ workspace: options.workspace }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: Kind, value: 'rules' },
        { key: Workspace, value: options.workspace },
      ],
    }).catch((e) => {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    });
  }
  return { accounts: progress, succeeded: progress.filter((p) => p.state === 'succeeded').length, failed: progress.filter((p) => p.state === 'failed').length };
}

export async function SyncAccountWorkflow(input: SyncAccountInput): Promise<SyncAccountResult> {
  const { workflowId, runId } = workflowInfo();
  const syncRunId = await db.openSyncRun({ accountId: input.accountId, workflowId, runId, range: input.range });
  try {
    const c = await platformCalls.syncCampaigns({ accountId: input.accountId, syncRunId });
    const range =
      input.range ?? planSyncRange({ today: c.today, lastStoredDate: c.lastStoredDate, backfillDays: input.backfillDays, lookbackDays: input.lookbackDays });
    const m = await platformCalls.syncMetrics({ accountId: input.accountId, syncRunId, range });
    await db.closeSyncRun({ syncRunId, status: 'SUCCEEDED' });
    return { syncRunId, range, campaigns: c.campaigns, rows: m.rows, pages: m.pages };
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    const reason = cause?.message ?? (e as Error).message;
    await db.closeSyncRun({ syncRunId, status: 'FAILED', error: reason });
    throw ApplicationFailure.create({ type: (cause as ApplicationFailure | undefined)?.type ?? 'SyncFailed', message: reason, nonRetryable: true });
  }
}
