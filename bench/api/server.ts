// The API benchmark's server process: the real API (createApp, every middleware, auth by API key) and a bare Hono
// route (the baseline: no middleware at all), each on its own @hono/node-server on 127.0.0.1, port 0. Run as a
// child of bench/api/run.ts so the load generator does not share its event loop; it reports the ports over IPC.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createApp } from '../../api/app.js';
import { loadConfig } from '../../lib/config.js';
import { createContext } from '../../services/context.js';

const config = loadConfig({
  DATABASE_URL: process.argv[2]!,
  TEMPORAL_ADDRESS: '127.0.0.1:1', // never dialled: the benchmarked routes read the database only
  MBO_TEMPORAL_DEV: 'false',
  LOG_LEVEL: 'error',
});
const ctx = await createContext(config);
const api = createApp(ctx, { rateLimitPerMinute: 1_000_000 });
const bare = new Hono();
bare.get('/bare', (c) => c.json({ ok: true }));

const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
    process.on('disconnect', () => s.close());
  });
const [apiPort, barePort] = await Promise.all([listen(api.fetch), listen(bare.fetch)]);
process.send!({ apiPort, barePort });
// CPU used by this process (user + system, µs) on request: the load generator asks before and after each route,
// so each route's CPU per request is known even when the machine is shared and wall-clock latencies are noisy.
process.on('message', (m) => {
  if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
});
process.on('disconnect', () => void ctx.close().finally(() => process.exit(0)));
