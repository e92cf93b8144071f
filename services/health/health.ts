// Liveness and readiness of the process that serves the doors: the database answers, Temporal answers, and a
// worker is polling the task queue (else nothing would ever apply an approved change).
import type { AppContext } from '../context.js';

export interface Readiness {
  ready: boolean;
  checks: { name: 'database' | 'temporal' | 'worker'; ok: boolean; detail: string; ms: number }[];
}

async function timed(name: Readiness['checks'][number]['name'], fn: () => Promise<string>): Promise<Readiness['checks'][number]> {
  const t = performance.now();
  try {
    const detail = await Promise.race([fn(), new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no answer within 3 s')), 3000).unref())]);
    return { name, ok: true, detail, ms: Math.round(performance.now() - t) };
  } catch (e) {
    return { name, ok: false, detail: (e as Error).message.split('\n')[0]!, ms: Math.round(performance.now() - t) };
  }
}

export async function checkReadiness(app: AppContext): Promise<Readiness> {
  const checks = await Promise.all([
    timed('database', async () => {
      await app.pool.query('select 1');
      return 'answers';
    }),
    timed('temporal', async () => {
      const c = await app.temporal();
      await c.workflowService.getSystemInfo({});
      return `answers at ${app.config.temporal.address}`;
    }),
    timed('worker', async () => {
      const c = await app.temporal();
      const r = await c.workflowService.describeTaskQueue({
        namespace: app.config.temporal.namespace,
        taskQueue: { name: app.config.temporal.taskQueue },
        taskQueueType: 1, // workflow task queue
      });
      const recent = (r.pollers ?? []).filter((p) => {
        const s = Number(p.lastAccessTime?.seconds ?? 0);
        return Date.now() / 1000 - s < 120;
      });
      if (!recent.length) throw new Error(`no worker is polling task queue "${app.config.temporal.taskQueue}"`);
      return `${recent.length} poller(s) on "${app.config.temporal.taskQueue}"`;
    }),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}
