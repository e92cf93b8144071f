// Sync activities: thin I/O steps between a connector and the store. Each is safe to retry: the run row is
// keyed by workflow run, upserts are idempotent, and the metrics walk resumes from its heartbeat cursor. A platform's
// rate limits are waited out inside the step under a time budget, so a 429 storm does not use up its attempts.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { connectorFor } from '../connectors/index.js';
import type { PlatformKind } from '../connectors/types.js';
import type { DateRange, IsoDate } from '../core/dates.js';
import { AppError } from '../core/errors.js';
import { lastStoredDate, upsertCampaigns, upsertMetricRows } from '../db/metric-store.js';
import type { PrismaClient } from '../db/prisma.js';
import { mapFailures, waitOutRateLimits } from './failures.js';

export interface SyncTarget {
  accountId: string;
  platform: PlatformKind;
  externalId: string;
  name: string;
}

export interface CampaignSyncResult {
  today: IsoDate;
  lastStoredDate: IsoDate | null;
  campaigns: number;
}

export interface MetricsCursor {
  pageToken?: string;
  pages: number;
  rows: number;
  done?: boolean;
}

export interface SyncDeps {
  pool: pg.Pool;
  prisma: PrismaClient;
  pageSize: number;
  /** How long one sync step may wait out a platform's rate limits, across its attempts (default 20 min). */
  rateLimitBudgetMs?: number;
}

/** Rate limits are waited out for this long per sync step (campaigns, metrics) before the account fails. */
export const SYNC_RATE_LIMIT_BUDGET_MS = 20 * 60_000;

/**
 * A platform call inside a sync activity: a rate limit is waited out here (heartbeating, `heartbeat` gives the
 * details to keep) within the time budget instead of failing the attempt (activities/failures.ts).
 */
function rateLimited(budgetMs: number, heartbeat: () => void) {
  const ctx = Context.current();
  const startedAt = Date.now();
  const startToClose = ctx.info.startToCloseTimeoutMs || Number.POSITIVE_INFINITY;
  return <T>(call: () => Promise<T>) =>
    waitOutRateLimits(call, {
      scheduledAtMs: ctx.info.scheduledTimestampMs || startedAt,
      budgetMs,
      attemptDeadlineMs: startedAt + startToClose - 60_000,
      heartbeat,
      sleep: (ms) => ctx.sleep(ms),
    });
}

export function createSyncActivities({ pool, prisma, pageSize, rateLimitBudgetMs = SYNC_RATE_LIMIT_BUDGET_MS }: SyncDeps) {
  async function account(accountId: string) {
    const a = await prisma.platformAccount.findUnique({ where: { id: accountId } });
    if (!a) throw new AppError('NOT_FOUND', `no platform account ${accountId}`);
    return a;
  }

  return {
    async listSyncTargets(input: { workspace: string; accountIds?: string[] }): Promise<SyncTarget[]> {
      return mapFailures(async () => {
        const accounts = await prisma.platformAccount.findMany({
          where: { workspace: { slug: input.workspace }, ...(input.accountIds?.length ? { id: { in: input.accountIds } } : {}) },
          orderBy: [{ platform: 'asc' }, { name: 'asc' }],
        });
        return accounts.map((a) => ({ accountId: a.id, platform: a.platform, externalId: a.externalId, name: a.name }));
      });
    },

    async openSyncRun(input: { accountId: string; workflowId: string; runId: string; range?: DateRange }): Promise<string> {
      return mapFailures(async () => {
        const run = await prisma.syncRun.upsert({
          where: { workflowId_runId: { workflowId: input.workflowId, runId: input.runId } },
          create: {
            accountId: input.accountId,
            workflowId: input.workflowId,
            runId: input.runId,
            status: 'RUNNING',
            fromDate: input.range ? new Date(`${input.range.from}T00:00:00Z`) : null,
            toDate: input.range ? new Date(`${input.range.to}T00:00:00Z`) : null,
          },
          update: {},
        });
        return run.id;
      });
    },

    /** Authenticates, lists campaigns and upserts them. Auth failures surface here, before any data moves. */
    async syncCampaigns(input: { accountId: string; syncRunId: string }): Promise<CampaignSyncResult> {
      return mapFailures(async () => {
        const a = await account(input.accountId);
        const connector = connectorFor(a, { pool });
        const ctx = Context.current();
        const call = rateLimited(rateLimitBudgetMs, () => ctx.heartbeat());
        const info = await call(() => connector.authenticate());
        const campaigns = await call(() => connector.listCampaigns());
        const n = await upsertCampaigns(pool, a.id, info.currency, campaigns);
        await prisma.syncRun.update({ where: { id: input.syncRunId }, data: { campaignsUpserted: n } });
        return { today: info.today, lastStoredDate: await lastStoredDate(pool, a.id), campaigns: campaigns.length };
      });
    },

    /**
     * Walks the report page by page, upserting each page before asking for the next. The heartbeat carries
     * the cursor, so a retry (worker crash, timeout) resumes after the last stored page instead of restarting.
     */
    async syncMetrics(input: { accountId: string; syncRunId: string; range: DateRange }): Promise<MetricsCursor> {
      return mapFailures(async () => {
        const ctx = Context.current();
        const a = await account(input.accountId);
        const connector = connectorFor(a, { pool });
        // Resume from the furthest checkpoint: the heartbeat (throttled by the SDK, may lag a few pages) or the
        // cursor stored with the last page. Re-reading a page is harmless (idempotent upsert), skipping one is not.
        const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: input.syncRunId } });
        const fromHeartbeat = ctx.info.heartbeatDetails as MetricsCursor | undefined;
        const fromDb = run.cursor as MetricsCursor | null;
        let cursor: MetricsCursor = [fromHeartbeat, fromDb].reduce<MetricsCursor>((best, c) => (c && c.pages > best.pages ? c : best), { pages: 0, rows: 0 });
        if (cursor.done) return cursor;
        if (cursor.pages > 0) ctx.log.info('resuming metrics sync from checkpoint', { pages: cursor.pages, rows: cursor.rows });
        await prisma.syncRun.update({
          where: { id: input.syncRunId },
          data: { fromDate: new Date(`${input.range.from}T00:00:00Z`), toDate: new Date(`${input.range.to}T00:00:00Z`) },
        });
        const call = rateLimited(rateLimitBudgetMs, () => ctx.heartbeat(cursor));
        for (;;) {
          const page = await call(() => connector.getMetrics('all', input.range, { pageToken: cursor.pageToken, pageSize }));
          const changed = await upsertMetricRows(pool, a.id, a.currency, input.syncRunId, page.rows);
          cursor = { pageToken: page.nextPageToken, pages: cursor.pages + 1, rows: cursor.rows + changed, done: !page.nextPageToken };
          ctx.heartbeat(cursor);
          await prisma.syncRun.update({ where: { id: input.syncRunId }, data: { metricRowsUpserted: cursor.rows, cursor: { ...cursor } } });
          if (cursor.done) return cursor;
        }
      });
    },

    async closeSyncRun(input: { syncRunId: string; status: 'SUCCEEDED' | 'FAILED'; error?: string }): Promise<void> {
      return mapFailures(async () => {
        await prisma.syncRun.update({
          where: { id: input.syncRunId },
          data: { status: input.status, error: input.error ?? null, finishedAt: new Date() },
        });
      });
    },
  };
}

export type SyncActivities = ReturnType<typeof createSyncActivities>;
