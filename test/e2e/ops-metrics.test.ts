// Operations from the outside: the API's Prometheus endpoint (token or loopback only; MBO's own figures and the
// request counters in the text format) and scripts/healthcheck.sh on a stack that is not running (exit 1, every
// failing component named). The healthy case runs in the quick-start test, on the stack `mbo up` brought up.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import { testContext } from './harness.js';

const TOKEN = 'metrics-token-0123456789';
let ctx: AppContext;
beforeAll(async () => {
  ctx = await testContext({ MBO_METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET /metrics', () => {
  it('needs the metrics token when one is set; answers Prometheus text with MBO figures and request counters', async () => {
    const app = createApp(ctx);
    await app.request('/healthz');
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'mbo_change_requests',
      'mbo_approval_to_applied_seconds',
      'mbo_sync_rows',
      'mbo_sync_lag_seconds',
      'mbo_http_request_duration_seconds_bucket',
    ])
      expect(text).toContain(`# TYPE ${name.replace(/_bucket$/, '')}`);
    expect(text).toMatch(/mbo_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/mbo_api_process_cpu_seconds_total \d/);
  });

  it('without a token it answers loopback clients only', async () => {
    const open = await testContext();
    try {
      const app = createApp(open);
      // app.request has no client address: refused, as a remote client would be.
      expect((await app.request('/metrics')).status).toBe(403);
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      try {
        const port = (server.address() as AddressInfo).port;
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('# TYPE mbo_change_requests gauge');
      } finally {
        server.close();
      }
    } finally {
      await open.close();
    }
  });
});

describe('scripts/healthcheck.sh', () => {
  it('on a stack that is not running: exit 1, each component a line, the failing ones named', async () => {
    const home = path.join(PROJECT_ROOT, '.mbo', `test-health-${process.pid}`);
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('TEMPORAL_'))),
      MBO_HOME: home,
      MBO_PG_PORT: '9', // nothing listens there (and it is outside the ephemeral range)
      TEMPORAL_ADDRESS: '127.0.0.1:9',
      MBO_API_PORT: '9',
      MBO_MCP_PORT_BASE: '60000',
      LOG_LEVEL: 'error',
    };
    const r = await promisify(execFile)('bash', [path.join(PROJECT_ROOT, 'scripts', 'healthcheck.sh')], { cwd: PROJECT_ROOT, env }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((r as { code?: number }).code).toBe(1);
    const out = (r as { stdout: string }).stdout;
    expect(out).toMatch(/^FAIL\s+database\s+.*npm run up/m);
    expect(out).toMatch(/^FAIL\s+api\s+/m);
    expect(out).toMatch(/^FAIL\s+mbo-mcp\s+/m);
    expect(out).toMatch(/unhealthy: database, api, api readiness, web, .*mbo-mcp/);
  });
});
