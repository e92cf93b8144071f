// Every MBO MCP server over stdio, as Claude Desktop / Claude Code run it: the stdio entry point
// (mcp-servers/stdio.ts) spawned by the real MCP client SDK with MBO_API_KEY in its environment — the tool list
// with schemas and annotations, a read, a write that only opens a pending change request (no sandbox mutation), a
// bad input answered with a clear tool error; whatsapp-business-mcp's notice tools; then a viewer's key refused for
// writes and a missing or unknown key refused at start.
// Speed: each server is spawned once and serves all its cases, all of them at once (the spawns start in parallel);
// mbo-mcp runs the real command (`node --import tsx mcp-servers/stdio.ts mbo`), the others the same entry point
// prebuilt once with esbuild (tsx's per-module loader was about half of each start's CPU).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChange } from '../../services/change-requests/request-change.js';
import { apiSuite, footprint, scaled, statusIs, userOf } from './api-harness.js';
import { memberContext, testEnv } from './harness.js';
import {
  campaignsByPlatform,
  expectToolList,
  prebuiltStdioEntry,
  readCall,
  removePrebuiltStdioEntry,
  SERVERS,
  stdioClient,
  stdioTransport,
  textOf,
  WHATSAPP_SERVER,
  writeCall,
  WRITE_TOOL,
  type ServerName,
} from './mcp-harness.js';

const s = apiSuite();
const home = mkdtempSync(path.join(tmpdir(), 'mbo-mcp-stdio-'));
let campaigns: Awaited<ReturnType<typeof campaignsByPlatform>>;
let env: Record<string, string>;
/** A spawned server compiles its TypeScript on start (tsx): on a loaded machine its first answers take a while. */
const SLOW = { timeout: 180_000 };

let entry: string;
/** One spawned server per name (analyst's key), and google-ads-mcp with a viewer's key: started together. */
const clients = new Map<string, Client>();
/** The real command for the orchestrator; the prebuilt entry for the others. */
const entryOf = (server: ServerName) => (server === 'mbo-mcp' ? undefined : entry);

beforeAll(async () => {
  campaigns = await campaignsByPlatform(s.ctx, s.w);
  // The same database, Temporal and task queue as the in-process worker; an empty MBO_HOME (no key file).
  env = { ...testEnv(), MBO_TASK_QUEUE: s.ctx.config.temporal.taskQueue, MBO_HOME: home, MBO_USER: 'nobody-here' };
  entry = await prebuiltStdioEntry();
  const spawns: [string, ServerName, string][] = [
    ...[...SERVERS, WHATSAPP_SERVER].map((n): [string, ServerName, string] => [n, n, s.w.keys.analyst]),
    ['viewer', 'google-ads-mcp', s.w.keys.viewer],
  ];
  await Promise.all(spawns.map(async ([id, n, key]) => clients.set(id, await stdioClient(n, { ...env, MBO_API_KEY: key }, entryOf(n)))));
}, 240_000);
afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
  rmSync(home, { recursive: true, force: true });
  await removePrebuiltStdioEntry();
});

describe.each(SERVERS)('%s over stdio', (server) => {
  it('lists its tools, answers a read, opens only a pending change request, refuses bad input clearly', async () => {
    const before = await footprint(s.ctx, s.w);
    const client = clients.get(server)!;
    await expectToolList(client, server, SLOW.timeout);
    const read = await client.callTool(readCall(server, campaigns), SLOW);
    expect(read.isError, textOf(read)).toBeFalsy();
    expect(read.structuredContent).toBeTruthy();
    const bad = await client.callTool({ ...readCall(server, campaigns), arguments: { to: 'yesterday' } }, SLOW);
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/to/);
    if (WRITE_TOOL[server]) {
      const w = await client.callTool(writeCall(server, campaigns, `mcp stdio e2e ${server}`), SLOW);
      expect(w.isError, textOf(w)).toBeFalsy();
      const out = w.structuredContent as { requestId: string; status: string; approvalUrl: string };
      expect(out.status).toBe('PENDING_APPROVAL');
      expect(textOf(w)).toMatch(/waits for a human approval/);
      expect((await s.ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: out.requestId } })).source).toBe('mcp');
    }
    const after = await footprint(s.ctx, s.w);
    expect(Number(after.change_request)).toBe(Number(before.change_request) + (WRITE_TOOL[server] ? 1 : 0));
    expect(after.sandbox_mutations).toBe(before.sandbox_mutations);
  });
});

describe('whatsapp-business-mcp over stdio', () => {
  it('lists its tools, reads channels and notices, sends a pending request’s notice (nothing else changes), refuses bad input clearly', async () => {
    const client = clients.get(WHATSAPP_SERVER)!;
    await expectToolList(client, WHATSAPP_SERVER, SLOW.timeout);
    const channels = await client.callTool({ name: 'list_notification_channels', arguments: {} }, SLOW);
    expect(channels.isError, textOf(channels)).toBeFalsy();
    expect(channels.structuredContent).toMatchObject({ items: [] });
    const bad = await client.callTool({ name: 'send_approval_notice', arguments: { requestId: 'not-a-request' } }, SLOW);
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/requestId: must be an id/);
    const c = s.w.campaigns[2]!;
    const analyst = await memberContext(s.ctx, s.w.workspace, userOf(s.w, 'analyst'), 'analyst');
    const pending = await requestChange(analyst, {
      reason: 'stdio notice',
      items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.05) }],
    });
    await statusIs(s.ctx, pending.id, 'PENDING_APPROVAL');
    const before = await footprint(s.ctx, s.w);
    const sent = await client.callTool({ name: 'send_approval_notice', arguments: { requestId: pending.id } }, SLOW);
    expect(sent.isError, textOf(sent)).toBeFalsy();
    expect(sent.structuredContent).toMatchObject({ requestId: pending.id, outcome: 'request sent' });
    expect(await footprint(s.ctx, s.w)).toEqual(before); // no request, no decision, no platform change
    const notices = await client.callTool({ name: 'list_approval_notices', arguments: { requestId: pending.id } }, SLOW);
    expect(notices.structuredContent).toMatchObject({ items: [] }); // nobody here chose a channel
  });
});

describe('stdio credentials', () => {
  it("a viewer's key reads but is refused for writes", async () => {
    const client = clients.get('viewer')!;
    expect((await client.callTool(readCall('google-ads-mcp', campaigns), SLOW)).isError).toBeFalsy();
    const r = await client.callTool({ name: 'pause_campaign', arguments: { campaign: campaigns.google_ads!.externalId, reason: 'viewer try' } }, SLOW);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^FORBIDDEN: vic-\S+ is a viewer .* only analysts may request changes/);
  });

  it('without a key, or with one that is not MBO’s, the server does not start and says why', async () => {
    /** Starts a server that must refuse to start; its stderr. */
    const refusedStart = async (key?: string) => {
      const transport = stdioTransport('mbo-mcp', key ? { ...env, MBO_API_KEY: key } : env, entry);
      let stderr = '';
      transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      await expect(new Client({ name: 'mbo-e2e', version: '1.0.0' }).connect(transport)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      return stderr;
    };
    const [none, bogus] = await Promise.all([refusedStart(), refusedStart('mbo_abc_def')]);
    expect(none).toMatch(/mbo-mcp: UNAUTHENTICATED: no API key: run `npm run up`.*set MBO_API_KEY/);
    expect(bogus).toMatch(/mbo-mcp: UNAUTHENTICATED/);
  });
});
