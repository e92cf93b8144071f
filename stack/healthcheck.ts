// What scripts/healthcheck.sh runs: every component of a running MBO checked from the outside — the database,
// Temporal, a worker polling each task queue, the API (live and ready), the web app, each MCP server — one line
// each, and an exit code that is non-zero with the failing components named. Works on the embedded defaults and
// on a configured cluster alike (it reads the same config as every process).
// usage: node --import tsx stack/healthcheck.ts [--wait <seconds>] [--json]
import net from 'node:net';
import { loadConfig, type Config } from '../lib/config.js';
import { MCP_SERVERS } from '../mcp-servers/registry.js';
import { createContext } from '../services/context.js';
import { checkReadiness } from '../services/health/health.js';
import { localApiUrl } from './stack.js';

export interface ComponentCheck {
  component: string;
  ok: boolean;
  detail: string;
}

async function answers(url: string, ok: (status: number) => boolean): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'manual' });
  await res.arrayBuffer();
  if (!ok(res.status)) throw new Error(`${url} answered ${res.status}`);
  return `${url} answered ${res.status}`;
}

function listening(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(`listening on ${host}:${port}`);
    });
    s.once('timeout', () => {
      s.destroy();
      reject(new Error(`no answer on ${host}:${port}`));
    });
    s.once('error', (e) => reject(new Error(`${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
  });
}

async function check(component: string, fn: () => Promise<string>): Promise<ComponentCheck> {
  try {
    return { component, ok: true, detail: await fn() };
  } catch (e) {
    return { component, ok: false, detail: (e as Error).message.split('\n')[0]! };
  }
}

export async function checkComponents(config: Config): Promise<ComponentCheck[]> {
  const out: ComponentCheck[] = [];
  let ctx;
  try {
    ctx = await createContext(config);
  } catch (e) {
    out.push({ component: 'database', ok: false, detail: (e as Error).message.split('\n')[0]! });
  }
  if (ctx) {
    try {
      const r = await checkReadiness(ctx);
      for (const c of r.checks) out.push({ component: c.name, ok: c.ok, detail: c.detail });
    } finally {
      await ctx.close();
    }
  }
  const api = localApiUrl(config);
  out.push(await check('api', () => answers(`${api}/healthz`, (s) => s === 200)));
  out.push(await check('api readiness', () => answers(`${api}/readyz`, (s) => s === 200)));
  out.push(await check('web', () => answers(`${api}/`, (s) => s < 400)));
  const host = config.mcp.host === '0.0.0.0' ? '127.0.0.1' : config.mcp.host;
  for (const s of MCP_SERVERS) out.push(await check(s.name, () => listening(host, config.mcp.portBase + s.portOffset)));
  return out;
}

async function main() {
  const json = process.argv.includes('--json');
  const i = process.argv.indexOf('--wait');
  const waitMs = i > 0 ? Number(process.argv[i + 1]) * 1000 : 0;
  const config = loadConfig();
  const began = Date.now();
  let checks = await checkComponents(config);
  while (checks.some((c) => !c.ok) && Date.now() - began < waitMs) {
    await new Promise((r) => setTimeout(r, 2000));
    checks = await checkComponents(config);
  }
  const failing = checks.filter((c) => !c.ok).map((c) => c.component);
  if (json) console.log(JSON.stringify({ healthy: !failing.length, checks }, null, 2));
  else {
    const width = Math.max(...checks.map((c) => c.component.length));
    for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.component.padEnd(width)}  ${c.detail}`);
    console.log(failing.length ? `\nunhealthy: ${failing.join(', ')}` : '\nhealthy: every component answers');
  }
  process.exit(failing.length ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
