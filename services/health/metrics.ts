// Prometheus metrics of the API process (GET /metrics): MBO's own figures read from the store at scrape time —
// change requests by status, approval → applied latency, sync rows and lag per platform — plus the API's request
// counts and latencies and Node's process metrics. The worker exports the Temporal SDK's metrics and the platform
// call errors on its own endpoint (workers/, MBO_WORKER_METRICS_PORT). A scrape needs MBO_METRICS_TOKEN when one is
// set, else it is answered to loopback clients only: the figures span every workspace.
import { timingSafeEqual, createHash } from 'node:crypto';
import client from 'prom-client';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../context.js';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'mbo_api_' });

const httpRequests = new client.Counter({
  name: 'mbo_http_requests_total',
  help: 'API requests by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});
const httpDuration = new client.Histogram({
  name: 'mbo_http_request_duration_seconds',
  help: 'API request duration by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Records one API request (the route pattern, never the concrete path: ids would explode the label set). */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  httpRequests.inc({ method, route, status: String(status) });
  httpDuration.observe({ method, route }, seconds);
}

let store: AppContext | undefined;

new client.Gauge({
  name: 'mbo_change_requests',
  help: 'Change requests by workspace and status',
  labelNames: ['workspace', 'status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!store) return;
    const { rows } = await store.pool.query<{ slug: string; status: string; n: string }>(
      `select w.slug, r.status::text as status, count(*)::text as n from change_request r join workspace w on w.id = r.workspace_id group by 1, 2`,
    );
    for (const r of rows) this.set({ workspace: r.slug, status: r.status }, Number(r.n));
  },
});

new client.Gauge({
  name: 'mbo_approval_to_applied_seconds',
  help: 'Approval → applied latency of the change requests applied in the last 24 hours (quantiles)',
  labelNames: ['quantile'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!store) return;
    const { rows } = await store.pool.query<{ p50: number | null; p95: number | null; n: string }>(
      `select percentile_cont(0.5) within group (order by s)::float8 as p50, percentile_cont(0.95) within group (order by s)::float8 as p95, count(*)::text as n
         from (select extract(epoch from max(i.applied_at) - r.decided_at)::float8 as s
                 from change_request r join change_item i on i.request_id = r.id
                where r.status = 'APPLIED' and r.decided_at is not null and i.applied_at > now() - interval '24 hours'
                group by r.id, r.decided_at) x`,
    );
    const r = rows[0];
    if (r?.p50 != null) this.set({ quantile: '0.5' }, Number(r.p50));
    if (r?.p95 != null) this.set({ quantile: '0.95' }, Number(r.p95));
  },
});

new client.Gauge({
  name: 'mbo_sync_rows',
  help: 'Metric rows stored by the syncs of the last 24 hours, by platform',
  labelNames: ['platform'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!store) return;
    const { rows } = await store.pool.query<{ platform: string; n: string }>(
      `select a.platform::text as platform, coalesce(sum(s.metric_rows_upserted), 0)::text as n
         from sync_run s join platform_account a on a.id = s.account_id where s.started_at > now() - interval '24 hours' group by 1`,
    );
    for (const r of rows) this.set({ platform: r.platform }, Number(r.n));
  },
});

new client.Gauge({
  name: 'mbo_sync_lag_seconds',
  help: 'Seconds since the last successful sync of the stalest account, by platform',
  labelNames: ['platform'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!store) return;
    const { rows } = await store.pool.query<{ platform: string; lag: number | null }>(
      `select a.platform::text as platform, max(extract(epoch from now() - coalesce(s.last_ok, a.created_at)))::float8 as lag
         from platform_account a
         left join lateral (select max(finished_at) as last_ok from sync_run where account_id = a.id and status = 'SUCCEEDED') s on true
        group by 1`,
    );
    for (const r of rows) if (r.lag != null) this.set({ platform: r.platform }, Number(r.lag)); // pg may answer numerics as text
  },
});

/** The Prometheus text exposition of this process. */
export async function renderMetrics(app: AppContext): Promise<{ contentType: string; body: string }> {
  store = app;
  return { contentType: registry.contentType, body: await registry.metrics() };
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** A scrape is allowed with the metrics token (when set), else from a loopback address only. */
export function authorizeScrape(app: AppContext, bearer: string | undefined, remoteAddress: string | undefined): void {
  const token = app.config.metrics.token;
  if (token) {
    const digest = (s: string) => createHash('sha256').update(s).digest();
    if (!bearer || !timingSafeEqual(digest(bearer), digest(token)))
      throw new AppError('UNAUTHENTICATED', 'metrics: send Authorization: Bearer <MBO_METRICS_TOKEN>');
    return;
  }
  if (!remoteAddress || !LOOPBACK.test(remoteAddress))
    throw new AppError('FORBIDDEN', 'metrics are served to loopback clients only; set MBO_METRICS_TOKEN to scrape from elsewhere');
}
