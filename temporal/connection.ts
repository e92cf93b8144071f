// Client connections to Temporal: the local dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key or
// mTLS). Processes that only start and query workflows (API, CLI) load this, never the worker's native module.
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { AppError } from '../core/errors.js';
import type { Config } from '../lib/config.js';
import { readTlsFiles } from '../lib/config.js';

type TemporalConfig = Config['temporal'];

export function connectionOptions(t: TemporalConfig) {
  return {
    address: t.address,
    ...(t.tls ? { tls: { clientCertPair: readTlsFiles(t.tls) } } : t.apiKey ? { tls: true as const } : {}),
    ...(t.apiKey ? { apiKey: t.apiKey } : {}),
  };
}

const closers = new WeakMap<Client, () => Promise<void>>();

/**
 * The SDK's gRPC retry, made closable: a call that failed transiently retries from a timer, and a timer that fires
 * after the connection closed throws "Channel has been shut down" from nowhere (an uncaught exception in the
 * process). Closing therefore stops new retries and lets the ones already scheduled run first.
 */
function closableRetry() {
  const base = defaultGrpcRetryOptions();
  let closing = false;
  let scheduledUntil = 0;
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && base.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      const ms = base.delayFunction(attempt, status);
      scheduledUntil = Math.max(scheduledUntil, Date.now() + ms);
      return ms;
    },
  });
  const close = async (connection: Connection) => {
    closing = true;
    const wait = scheduledUntil - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 50));
    await connection.close();
  };
  return { interceptor, close };
}

export async function connectClient(t: TemporalConfig, opts: { timeoutMs?: number } = {}): Promise<Client> {
  try {
    const retry = closableRetry();
    const connection = await Connection.connect({ ...connectionOptions(t), connectTimeout: opts.timeoutMs ?? 5000, interceptors: [retry.interceptor] });
    const client = new Client({ connection, namespace: t.namespace });
    closers.set(client, () => retry.close(connection));
    return client;
  } catch (e) {
    throw new AppError(
      'STACK_NOT_RUNNING',
      `cannot reach Temporal at ${t.address} (${(e as Error).message.split('\n')[0]}); start the stack with \`npm run up\` or check TEMPORAL_ADDRESS`,
    );
  }
}

/** Closes a client from connectClient without stranding a scheduled retry (see closableRetry). */
export async function closeClient(client: Client): Promise<void> {
  await (closers.get(client)?.() ?? client.connection.close());
}

export function workflowUrl(t: TemporalConfig, workflowId: string, runId?: string): string {
  const base = `${t.uiUrl}/namespaces/${encodeURIComponent(t.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}
