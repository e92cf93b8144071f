// The `mcp` process (`mbo up` starts it): every MBO MCP server over Streamable HTTP, each on its own port
// (MBO_MCP_HOST, MBO_MCP_PORT_BASE + its offset: google-ads-mcp 3001 … mbo-mcp 3007), one AppContext shared.
// Each request authenticates with its own bearer key; the process holds no key of its own. Stops gracefully on
// SIGINT/SIGTERM.
import { loadConfig } from '../lib/config.js';
import { logger } from '../lib/logger.js';
import { createContext } from '../services/context.js';
import { listenHttp, type RunningHttpServer } from './kit/http.js';
import { MCP_SERVERS } from './registry.js';

const log = logger();

async function main() {
  const config = loadConfig();
  const ctx = await createContext(config);
  const running: RunningHttpServer[] = [];
  for (const def of MCP_SERVERS) {
    const port = config.mcp.portBase + def.portOffset;
    try {
      running.push(await listenHttp(def, ctx, { ...config.mcp, port }));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      log.fatal({ code }, code === 'EADDRINUSE' ? `port ${port} (${def.name}) is taken: stop what uses it or set MBO_MCP_PORT_BASE` : (e as Error).message);
      process.exit(1);
    }
  }
  for (const r of running) log.info({ server: r.name, port: r.port }, `${r.name} listening on ${r.url}`);
  const stop = () => {
    log.info('MCP servers stopping');
    void Promise.all(running.map((r) => r.close())).then(() => ctx.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  log.fatal({ err: (e as Error).message }, 'MCP servers failed to start');
  process.exit(1);
});
