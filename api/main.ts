// The API process (what `mbo up` starts, and PM2 later): serves createApp on MBO_API_HOST:MBO_API_PORT and stops
// gracefully on SIGINT/SIGTERM (in-flight requests finish, connections close). It starts and queries workflows
// through the Temporal client only — it never loads the worker's native module.
import { serve } from '@hono/node-server';
import { loadConfig } from '../lib/config.js';
import { logger } from '../lib/logger.js';
import { createContext } from '../services/context.js';
import { createApp } from './app.js';

const log = logger();

async function main() {
  const config = loadConfig();
  const ctx = await createContext(config);
  const app = createApp(ctx);
  const server = serve({ fetch: app.fetch, hostname: config.api.host, port: config.api.port }, (info) =>
    log.info({ address: info.address, port: info.port }, `API listening on ${config.api.url} (docs: ${config.api.url}/api/v1/docs)`),
  );
  server.on('error', (e: NodeJS.ErrnoException) => {
    log.fatal({ code: e.code }, e.code === 'EADDRINUSE' ? `port ${config.api.port} is taken: stop what uses it or set MBO_API_PORT` : e.message);
    process.exit(1);
  });
  const stop = () => {
    log.info('API stopping');
    server.close(() => void ctx.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  log.fatal({ err: (e as Error).message }, 'API failed to start');
  process.exit(1);
});
