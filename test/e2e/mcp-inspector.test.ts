// An independent client: the official MCP Inspector's CLI mode (0.21.2, the SDK v1 line; it declares Node ≥ 22.7.5
// but its CLI runs on Node 20) lists the tools of an MBO server and calls one, over stdio and over Streamable HTTP
// with a bearer header. Opt-in — MBO_MCP_INSPECTOR=1 — because npx downloads the Inspector (≈ 2 min, the npm registry).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import { listenHttp, type RunningHttpServer } from '../../mcp-servers/kit/http.js';
import { serverNamed } from '../../mcp-servers/registry.js';
import { apiSuite } from './api-harness.js';
import { testEnv } from './harness.js';

const run = promisify(execFile);
const INSPECTOR = '@modelcontextprotocol/inspector@0.21.2';

describe.skipIf(!process.env.MBO_MCP_INSPECTOR)('the MCP Inspector CLI (opt-in: MBO_MCP_INSPECTOR=1, downloads it with npx)', () => {
  const s = apiSuite();
  let http: RunningHttpServer;
  beforeAll(async () => {
    http = await listenHttp(serverNamed('mbo')!, s.ctx, { host: '127.0.0.1', port: 0 });
  });
  afterAll(() => http?.close());

  const inspector = (args: string[], env: Record<string, string> = {}) =>
    run('npx', ['-y', INSPECTOR, '--cli', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 16 << 20 });

  it('lists and calls tools over stdio', async () => {
    const env = { ...testEnv(), MBO_TASK_QUEUE: s.ctx.config.temporal.taskQueue, MBO_API_KEY: s.w.keys.viewer };
    const e = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const entry = ['node', '--import', 'tsx', path.join(PROJECT_ROOT, 'mcp-servers', 'stdio.ts'), 'google-ads'];
    const list = await inspector([...e, ...entry, '--method', 'tools/list']);
    const tools = JSON.parse(list.stdout).tools as { name: string; annotations: Record<string, boolean> }[];
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_budget',
      'get_campaign_performance',
      'list_campaigns',
      'pause_campaign',
      'resume_campaign',
      'update_campaign_budget',
    ]);
    const call = await inspector([...e, ...entry, '--method', 'tools/call', '--tool-name', 'list_campaigns', '--tool-arg', 'limit=2']);
    expect(JSON.parse(call.stdout).structuredContent.items).toHaveLength(2);
  });

  it('lists tools over Streamable HTTP with a bearer header, and is refused without it', async () => {
    const list = await inspector([http.url, '--transport', 'http', '--header', `Authorization: Bearer ${s.w.keys.viewer}`, '--method', 'tools/list']);
    expect((JSON.parse(list.stdout).tools as { name: string }[]).map((t) => t.name)).toContain('run_optimization');
    await expect(inspector([http.url, '--transport', 'http', '--method', 'tools/list'])).rejects.toThrow();
  });
});
