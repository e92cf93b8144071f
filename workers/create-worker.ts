// Builds the MBO worker: workflow bundle + activities wired to their dependencies. Used by the worker
// process (workers/main.ts), the workflow benchmark and end-to-end tests, so all run exactly the same code.
// One worker process polls two task queues (workers/task-queues.ts): the changes queue (MBO_TASK_QUEUE: budget
// changes, optimizations, rules) and `<queue>-sync` (syncs), each with its own slots — a large sync cannot take the
// slots an approval needs. createWorker returns the changes queue's Worker; its run() and shutdown() also run and
// stop the sync queue's Worker, so callers handle one worker as before.
import { createRequire } from 'node:module';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type pg from 'pg';
import { createBudgetChangeActivities } from '../activities/budget-change.js';
import { createNotificationActivities } from '../activities/notifications.js';
import { createOptimizationActivities } from '../activities/optimization.js';
import { createRulesActivities } from '../activities/rules.js';
import { createReportActivities } from '../activities/reports.js';
import { createSyncActivities } from '../activities/sync.js';
import type { PrismaClient } from '../db/prisma.js';
import { syncQueueFor } from './task-queues.js';

const require = createRequire(import.meta.url);

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  /** The changes queue; the sync queue is derived from it. */
  taskQueue: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  pageSize: number;
  alertWebhookUrl?: string;
  shutdownGraceTime?: string;
}

/**
 * Slots and pollers (measured with bench:workflows; the SDK defaults are 40 workflow tasks, 100 activities,
 * 10 + 10 pollers and a workflow cache sized from the heap). Budget-change steps are short database and platform
 * calls that mostly wait: many may run at once. Workflows waiting for approval stay cached (replaying a short
 * history is cheap, but not free for hundreds at a time).
 */
export const CHANGES_QUEUE_TUNING = {
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentActivityTaskExecutions: 200,
  maxConcurrentLocalActivityExecutions: 200,
  workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 },
  activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 },
  maxCachedWorkflows: 2000,
} satisfies Partial<WorkerOptions>;

/** Syncs page through platforms for minutes and write in bulk: a few at a time per worker. */
export const SYNC_QUEUE_TUNING = {
  maxConcurrentWorkflowTaskExecutions: 20,
  maxConcurrentActivityTaskExecutions: 8,
  workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
  activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
  maxCachedWorkflows: 200,
} satisfies Partial<WorkerOptions>;

/** The bundler's settings (the replay test bundles the same way). */
export const WORKFLOWS_PATH = require.resolve('../workflows/index.ts');
export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  // Sources import './x.js' (NodeNext style) while the files are .ts.
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
};

// One bundle per process: the two queues' workers (and every worker a test process creates) share it.
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...bundlerOptions }).catch((e) => {
    bundle = undefined;
    throw e;
  });
  return bundle;
}

export async function createWorker(d: WorkerDeps): Promise<Worker> {
  const common = {
    connection: d.connection,
    namespace: d.namespace,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createSyncActivities({ pool: d.pool, prisma: d.prisma, pageSize: d.pageSize }),
      ...createBudgetChangeActivities({ pool: d.pool, prisma: d.prisma }),
      ...createNotificationActivities({ pool: d.pool, prisma: d.prisma }),
      ...createOptimizationActivities({ pool: d.pool, prisma: d.prisma }),
      ...createReportActivities({ pool: d.pool, prisma: d.prisma }),
      ...createRulesActivities({ pool: d.pool, prisma: d.prisma, webhookUrl: d.alertWebhookUrl }),
    },
    shutdownGraceTime: d.shutdownGraceTime ?? '10s',
  } satisfies Partial<WorkerOptions>;
  const changes = await Worker.create({ ...common, taskQueue: d.taskQueue, ...CHANGES_QUEUE_TUNING });
  const sync = await Worker.create({ ...common, taskQueue: syncQueueFor(d.taskQueue), ...SYNC_QUEUE_TUNING });
  return tied(changes, sync);
}

/** `main` runs and stops with `companion`: one handle for the caller, both queues polled. */
function tied(main: Worker, companion: Worker): Worker {
  const run = main.run.bind(main);
  const shutdown = main.shutdown.bind(main);
  const stopCompanion = () => {
    if (companion.getState() === 'RUNNING') companion.shutdown();
  };
  main.run = async () => {
    const other = companion.run().catch((e: unknown) => {
      if (main.getState() === 'RUNNING') shutdown();
      throw e;
    });
    try {
      await run();
    } finally {
      stopCompanion();
      await other;
    }
  };
  main.shutdown = () => {
    stopCompanion();
    shutdown();
  };
  return main;
}
