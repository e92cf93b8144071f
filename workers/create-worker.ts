// Builds the MBO worker: workflow bundle + activities wired to their dependencies. Used by the worker
// process (workers/main.ts) and by end-to-end tests, so both run exactly the same code.
import { createRequire } from 'node:module';
import { NativeConnection, Worker } from '@temporalio/worker';
import type pg from 'pg';
import { createBudgetChangeActivities } from '../activities/budget-change.js';
import { createNotificationActivities } from '../activities/notifications.js';
import { createOptimizationActivities } from '../activities/optimization.js';
import { createRulesActivities } from '../activities/rules.js';
import { createSyncActivities } from '../activities/sync.js';
import type { PrismaClient } from '../db/prisma.js';

const require = createRequire(import.meta.url);

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  pageSize: number;
  alertWebhookUrl?: string;
  shutdownGraceTime?: string;
}

export async function createWorker(d: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: d.connection,
    namespace: d.namespace,
    taskQueue: d.taskQueue,
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: {
      ...createSyncActivities({ pool: d.pool, prisma: d.prisma, pageSize: d.pageSize }),
      ...createBudgetChangeActivities({ pool: d.pool, prisma: d.prisma }),
      ...createNotificationActivities({ pool: d.pool, prisma: d.prisma }),
      ...createOptimizationActivities({ pool: d.pool, prisma: d.prisma }),
      ...createRulesActivities({ pool: d.pool, prisma: d.prisma, webhookUrl: d.alertWebhookUrl }),
    },
    shutdownGraceTime: d.shutdownGraceTime ?? '10s',
    bundlerOptions: {
      // Sources import './x.js' (NodeNext style) while the files are .ts.
      webpackConfigHook: (config) => {
        config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
        return config;
      },
    },
  });
}
