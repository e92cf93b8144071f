// /healthz (the process answers) and /readyz (the database and Temporal answer, and a worker polls the task
// queue): for load balancers, PM2 and scripts/healthcheck.sh. No credentials; no details beyond pass/fail and why.
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { getConnInfo } from '@hono/node-server/conninfo';
import { checkReadiness } from '../../services/health/health.js';
import { authorizeScrape, renderMetrics } from '../../services/health/metrics.js';
import type { ApiApp } from '../env.js';
import { json, route } from '../openapi.js';

const readiness = z.object({ ready: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string(), ms: z.number() })) });

export const healthz = route({
  method: 'get',
  path: '/healthz',
  tags: ['Health'],
  public: true,
  summary: 'Liveness',
  responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
});
export const readyz = route({
  method: 'get',
  path: '/readyz',
  tags: ['Health'],
  public: true,
  summary: 'Readiness: database, Temporal, a polling worker',
  responses: { 200: json(readiness, 'Ready'), 503: json(readiness, 'Not ready (the failing checks say why)') },
});

export function registerHealth(api: ApiApp, app: AppContext) {
  api.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  api.openapi(readyz, async (c) => {
    const r = await checkReadiness(app);
    return c.json(r, r.ready ? 200 : 503);
  });
  // Prometheus text, outside the OpenAPI document (not JSON; for the scraper, not for clients).
  api.get('/metrics', async (c) => {
    let remote: string | undefined;
    try {
      remote = getConnInfo(c).remote.address;
    } catch {
      remote = undefined; // not served by @hono/node-server (app.request in tests): no address, so only a token will do
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    authorizeScrape(app, bearer, remote);
    const m = await renderMetrics(app);
    return c.body(m.body, 200, { 'content-type': m.contentType });
  });
}
