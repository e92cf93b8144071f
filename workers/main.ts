// The worker process: polls the MBO task queues (changes and syncs, workers/task-queues.ts), runs workflows and
// activities, and shuts down gracefully on SIGINT/SIGTERM (in-flight activities get the grace period; Temporal
// retries whatever did not finish).
import net from 'node:net';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { databaseUrl } from '../db/database.js';
import { closePools, getPool } from '../db/pool.js';
import { closePrisma, getPrisma } from '../db/prisma.js';
import { loadConfig } from '../lib/config.js';
import { logger, redactUrl } from '../lib/logger.js';
import { connectWorker } from '../temporal/worker-connection.js';
import { createWorker } from './create-worker.js';
import { useKeyring } from '../connectors/credentials.js';
import { loadKeyring } from '../lib/secrets.js';

const log = logger();

/** The metrics address when its port is free (a second worker on the same host must not fail for want of it). */
async function metricsAddress(host: string, port: number): Promise<string | undefined> {
  if (!port) return undefined;
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  if (free) return `${host}:${port}`;
  log.warn({ port }, `metrics port ${port} is taken: this worker serves no metrics (set MBO_WORKER_METRICS_PORT)`);
  return undefined;
}

async function main() {
  const config = loadConfig();
  // The Temporal SDK's metrics (and MBO's own, through the activities' meter) in Prometheus format.
  const bindAddress = await metricsAddress(config.metrics.workerHost, config.metrics.workerPort);
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(bindAddress ? { metrics: { prometheus: { bindAddress } } } : {}),
    },
  });
  if (bindAddress) log.info({ metrics: `http://${bindAddress}/metrics` }, 'worker metrics');
  // Live accounts' credentials are opened in the worker only, with this key (MBO_SECRET_KEY or the local key file).
  try {
    useKeyring(loadKeyring(config));
  } catch (e) {
    log.warn({ reason: (e as Error).message }, 'no secret key: live (non-sandbox) accounts will fail until one is configured');
  }
  const url = databaseUrl(config);
  const connection = await connectWorker(config.temporal);
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    pool: getPool(url),
    prisma: getPrisma(url),
    pageSize: config.sync.pageSize,
    alertWebhookUrl: config.alerts.webhookUrl,
  });
  log.info(
    {
      taskQueue: config.temporal.taskQueue,
      syncTaskQueue: config.temporal.syncTaskQueue,
      namespace: config.temporal.namespace,
      temporal: config.temporal.address,
      database: redactUrl(url),
    },
    'worker started',
  );
  await worker.run();
  await connection.close();
  await Promise.all([closePools(), closePrisma()]);
  log.info('worker stopped');
}

main().catch((e) => {
  log.fatal({ err: e }, 'worker failed');
  process.exit(1);
});
