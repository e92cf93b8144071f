// Client connections to Temporal: the local dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key or
// mTLS). Processes that only start and query workflows (API, CLI) load this, never the worker's native module.
import { Client, Connection } from '@temporalio/client';
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

export async function connectClient(t: TemporalConfig, opts: { timeoutMs?: number } = {}): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...connectionOptions(t), connectTimeout: opts.timeoutMs ?? 5000 });
    return new Client({ connection, namespace: t.namespace });
  } catch (e) {
    throw new AppError(
      'STACK_NOT_RUNNING',
      `cannot reach Temporal at ${t.address} (${(e as Error).message.split('\n')[0]}); start the stack with \`npm run up\` or check TEMPORAL_ADDRESS`,
    );
  }
}

export function workflowUrl(t: TemporalConfig, workflowId: string, runId?: string): string {
  const base = `${t.uiUrl}/namespaces/${encodeURIComponent(t.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${runId}/history` : base;
}
