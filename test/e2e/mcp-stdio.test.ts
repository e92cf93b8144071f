// Every MBO MCP server over stdio, as Claude Desktop / Claude Code run it: the real entry point
// (mcp-servers/stdio.ts) spawned by the real MCP client SDK with MBO_API_KEY in its environment — the tool list
// with schemas and annotations, a read, a write that only opens a pending change request (no sandbox mutation), a
// bad input answered with a clear tool error; then a viewer's key refused for writes and a missing key refused at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSuite, footprint } from './api-harness.js';
import { testEnv } from './harness.js';
import { campaignsByPlatform, expectToolList, readCall, SERVERS, stdioClient, stdioTransport, textOf, writeCall, WRITE_TOOL } from './mcp-harness.js';

const s = apiSuite();
const home = mkdtempSync(path.join(tmpdir(), 'mbo-mcp-stdio-'));
let campaigns: Awaited<ReturnType<typeof campaignsByPlatform>>;
let env: Record<string, string>;
/** A spawned server compiles its TypeScript on start (tsx): on a loaded machine its first answers take a while. */
const SLOW = { timeout: 180_000 };

beforeAll(async () => {
  campaigns = await campaignsByPlatform(s.ctx, s.w);
  // The same database, Temporal and task queue as the in-process worker; an empty MBO_HOME (no key file).
  env = { ...testEnv(), MBO_TASK_QUEUE: s.ctx.config.temporal.taskQueue, MBO_HOME: home, MBO_USER: 'nobody-here' };
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.each(SERVERS)('%s over stdio', (server) => {
  it('lists its tools, answers a read, opens only a pending change request, refuses bad input clearly', async () => {
    const before = await footprint(s.ctx, s.w);
    const client = await stdioClient(server, { ...env, MBO_API_KEY: s.w.keys.analyst });
    try {
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
    } finally {
      await client.close();
    }
    const after = await footprint(s.ctx, s.w);
    expect(Number(after.change_request)).toBe(Number(before.change_request) + (WRITE_TOOL[server] ? 1 : 0));
    expect(after.sandbox_mutations).toBe(before.sandbox_mutations);
  });
});

describe('stdio credentials', () => {
  it("a viewer's key reads but is refused for writes", async () => {
    const client = await stdioClient('google-ads-mcp', { ...env, MBO_API_KEY: s.w.keys.viewer });
    try {
      expect((await client.callTool(readCall('google-ads-mcp', campaigns), SLOW)).isError).toBeFalsy();
      const r = await client.callTool({ name: 'pause_campaign', arguments: { campaign: campaigns.google_ads!.externalId, reason: 'viewer try' } }, SLOW);
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^FORBIDDEN: vic-\S+ is a viewer .* only analysts may request changes/);
    } finally {
      await client.close();
    }
  });

  it('without a key the server does not start and says why', async () => {
    const transport = stdioTransport('mbo-mcp', env);
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'mbo-e2e', version: '1.0.0' });
    await expect(client.connect(transport)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 200));
    expect(stderr).toMatch(/mbo-mcp: UNAUTHENTICATED: no API key: run `npm run up`.*set MBO_API_KEY/);
    const bad = stdioTransport('mbo-mcp', { ...env, MBO_API_KEY: 'mbo_abc_def' });
    let err2 = '';
    bad.stderr?.on('data', (d: Buffer) => (err2 += d.toString()));
    await expect(new Client({ name: 'mbo-e2e', version: '1.0.0' }).connect(bad)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 200));
    expect(err2).toMatch(/UNAUTHENTICATED/);
  });
});
