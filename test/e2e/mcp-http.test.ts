// Every MBO MCP server over Streamable HTTP with the real MCP client SDK (v2): the tool list with schemas and
// annotations, a read, a write that only opens a pending change request (the sandbox's mutation counter stays put),
// a bad input answered with a clear tool error, a missing key refused (401), a viewer's write refused (FORBIDDEN),
// a foreign Origin and Host refused (403); whatsapp-business-mcp's notice tools; plus the documents and prompts of
// mbo-mcp, and its explain_recommendation on a workspace-wide plan (planId).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttp, type RunningHttpServer } from '../../mcp-servers/kit/http.js';
import { MCP_SERVERS } from '../../mcp-servers/registry.js';
import { apiSuite, call, footprint, scaled, statusIs, userOf } from './api-harness.js';
import {
  campaignsByPlatform,
  expectToolList,
  httpClient,
  readCall,
  SERVERS,
  textOf,
  WHATSAPP_SERVER,
  writeCall,
  WRITE_TOOL,
  type ServerName,
} from './mcp-harness.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { memberContext } from './harness.js';

const s = apiSuite();
const running = new Map<string, RunningHttpServer>();
let campaigns: Awaited<ReturnType<typeof campaignsByPlatform>>;

beforeAll(async () => {
  for (const def of MCP_SERVERS) running.set(def.name, await listenHttp(def, s.ctx, { host: '127.0.0.1', port: 0 }));
  campaigns = await campaignsByPlatform(s.ctx, s.w);
});
afterAll(async () => {
  await Promise.all([...running.values()].map((r) => r.close()));
});

const url = (name: ServerName) => running.get(name)!.url;

describe.each(SERVERS)('%s over HTTP', (server) => {
  it('lists its tools with schemas and annotations, answers a read, refuses bad input clearly', async () => {
    const client = await httpClient(url(server), s.w.keys.analyst);
    try {
      await expectToolList(client, server);
      const read = await client.callTool(readCall(server, campaigns));
      expect(read.isError, textOf(read)).toBeFalsy();
      expect(read.structuredContent).toBeTruthy();
      const bad = await client.callTool({ ...readCall(server, campaigns), arguments: { from: '2026-13-45' } });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/from/);
      expect(textOf(bad)).toMatch(/date|YYYY-MM-DD/i);
    } finally {
      await client.close();
    }
  });

  it(WRITE_TOOL[server] ? 'a write opens a pending change request and changes nothing on the platform; a viewer is refused' : 'has no write tool', async () => {
    if (!WRITE_TOOL[server]) {
      const client = await httpClient(url(server), s.w.keys.viewer);
      const { tools } = await client.listTools();
      await client.close();
      return void expect(tools.filter((t) => !t.annotations?.readOnlyHint)).toEqual([]);
    }
    const before = await footprint(s.ctx, s.w);
    const client = await httpClient(url(server), s.w.keys.analyst);
    try {
      const r = await client.callTool(writeCall(server, campaigns, `mcp e2e ${server}`));
      expect(r.isError, textOf(r)).toBeFalsy();
      const out = r.structuredContent as {
        requestId: string;
        status: string;
        approvalUrl: string;
        guardrails: { allowed: boolean } | null;
        requestedBy: string;
      };
      expect(out.status).toBe('PENDING_APPROVAL');
      expect(out.guardrails?.allowed).toBe(true);
      expect(out.approvalUrl).toMatch(new RegExp(`/approvals/${out.requestId}$`));
      expect(out.requestedBy).toMatch(/^ana-/);
      const stored = await s.ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: out.requestId } });
      expect(stored.source).toBe('mcp');
      // Over-large budgets are refused by the shared schema before anything is stored.
      const huge = await client.callTool({
        ...writeCall(server, campaigns, 'too much'),
        arguments: { ...writeCall(server, campaigns, 'x').arguments, dailyBudget: '12.345' },
      });
      expect(huge.isError).toBe(true);
      expect(textOf(huge)).toMatch(/dailyBudget/);
    } finally {
      await client.close();
    }
    const viewer = await httpClient(url(server), s.w.keys.viewer);
    try {
      const r = await viewer.callTool(writeCall(server, campaigns, 'viewer try'));
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^FORBIDDEN: vic-\S+ is a viewer/);
    } finally {
      await viewer.close();
    }
    const after = await footprint(s.ctx, s.w);
    expect(Number(after.change_request)).toBe(Number(before.change_request) + 1);
    expect(after.sandbox_mutations).toBe(before.sandbox_mutations);
  });
});

describe('whatsapp-business-mcp over HTTP', () => {
  it('lists its tools, reads, sends a pending request’s notice (nothing else changes); bad input, a viewer and no key are refused', async () => {
    const client = await httpClient(url(WHATSAPP_SERVER), s.w.keys.analyst);
    const viewer = await httpClient(url(WHATSAPP_SERVER), s.w.keys.viewer);
    try {
      await expectToolList(client, WHATSAPP_SERVER);
      const channels = await client.callTool({ name: 'list_notification_channels', arguments: {} });
      expect(channels.isError, textOf(channels)).toBeFalsy();
      expect(channels.structuredContent).toMatchObject({ items: [] });
      const bad = await client.callTool({ name: 'send_approval_notice', arguments: { requestId: 'not-a-request' } });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/requestId: must be an id/);
      const c = s.w.campaigns[3]!;
      const analyst = await memberContext(s.ctx, s.w.workspace, userOf(s.w, 'analyst'), 'analyst');
      const pending = await requestChange(analyst, {
        reason: 'http notice',
        items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.05) }],
      });
      await statusIs(s.ctx, pending.id, 'PENDING_APPROVAL');
      const before = await footprint(s.ctx, s.w);
      const sent = await client.callTool({ name: 'send_approval_notice', arguments: { requestId: pending.id } });
      expect(sent.isError, textOf(sent)).toBeFalsy();
      expect(sent.structuredContent).toMatchObject({ requestId: pending.id, outcome: 'request sent' });
      const refused = await viewer.callTool({ name: 'send_approval_notice', arguments: { requestId: pending.id } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/^FORBIDDEN: vic-\S+ is a viewer/);
      expect(await footprint(s.ctx, s.w)).toEqual(before); // no request, no decision, no platform change
      await expect(httpClient(url(WHATSAPP_SERVER))).rejects.toThrow(); // no key: 401
    } finally {
      await client.close();
      await viewer.close();
    }
  });
});

describe('HTTP transport security', () => {
  it('refuses a missing or unknown key with 401 before any MCP handling', async () => {
    await expect(httpClient(url('mbo-mcp'))).rejects.toThrow();
    const res = await fetch(url('google-ads-mcp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/UNAUTHENTICATED: an API key is required/);
    const bogus = await fetch(url('google-ads-mcp'), {
      method: 'POST',
      headers: { authorization: 'Bearer mbo_nope_nope', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bogus.status).toBe(401);
  });

  it('refuses a foreign Origin or Host (DNS rebinding) even with a valid key', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = { authorization: `Bearer ${s.w.keys.admin}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const origin = await fetch(url('mbo-mcp'), { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body });
    expect(origin.status).toBe(403);
    await expect(httpClient(url('mbo-mcp'), s.w.keys.admin, { origin: 'http://attacker.test' })).rejects.toThrow();
    // A rebinding page reaches the loopback port under its own name: the Host header is refused.
    const { request } = await import('node:http');
    const port = running.get('mbo-mcp')!.port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...headers, host: `rebind.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(403);
    // A local page (localhost origin) is fine.
    const local = await fetch(url('mbo-mcp'), { method: 'POST', headers: { ...headers, origin: 'http://localhost:5173' }, body });
    expect(local.status).toBe(200);
  });
});

describe('mbo-mcp documents and prompts', () => {
  it('lists and reads campaign and account documents, scoped to a platform on a platform server; serves the prompts', async () => {
    const google = await httpClient(url('google-ads-mcp'), s.w.keys.viewer);
    const mbo = await httpClient(url('mbo-mcp'), s.w.keys.viewer);
    try {
      const templates = await mbo.listResourceTemplates();
      expect(templates.resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['mbo://accounts/{account}', 'mbo://campaigns/{campaign}']);
      const listed = await google.listResources();
      expect(listed.resources.length).toBeGreaterThan(0);
      expect(listed.resources.every((r) => r.name.startsWith('google_ads/'))).toBe(true);
      const doc = await google.readResource({ uri: listed.resources.find((r) => r.uri.startsWith('mbo://campaigns/'))!.uri });
      const parsed = JSON.parse((doc.contents[0] as { text: string }).text);
      expect(parsed.campaign.platform).toBe('google_ads');
      expect(parsed.performance.weeks.length).toBeGreaterThan(0);
      // A meta campaign is not a document of google-ads-mcp.
      await expect(google.readResource({ uri: `mbo://campaigns/${campaigns.meta!.id}` })).rejects.toThrow(/meta campaign/);
      const prompts = await mbo.listPrompts();
      expect(prompts.prompts.map((p) => p.name).sort()).toEqual(['explain-recommendation', 'weekly-review']);
      const weekly = await mbo.getPrompt({ name: 'weekly-review', arguments: { platform: 'meta' } });
      expect((weekly.messages[0]!.content as { text: string }).text).toMatch(/weekly review of our ad spend on meta/);
    } finally {
      await google.close();
      await mbo.close();
    }
  });
});

describe('mbo-mcp explain_recommendation on a workspace plan', () => {
  it('explains a plan by planId (per campaign from → to, platform shares; a viewer may read it); exactly one of runId and planId', async () => {
    const started = await call(s.app, 'POST', '/api/v1/optimization-plans', { key: s.w.keys.analyst, body: { sync: false, dryRun: true } });
    expect(started.status, started.text).toBe(202);
    const { planId } = await (await s.ctx.temporal()).workflow.getHandle(started.body.workflowId).result();
    const plan = (await call(s.app, 'GET', `/api/v1/optimization-plans/${planId}`, { key: s.w.keys.viewer })).body;
    const client = await httpClient(url('mbo-mcp'), s.w.keys.viewer);
    try {
      const r = await client.callTool({ name: 'explain_recommendation', arguments: { planId } });
      expect(r.isError, textOf(r)).toBeFalsy();
      const out = r.structuredContent as {
        kind: string;
        planId: string;
        runId: string | null;
        platforms: { platform: string }[];
        changeRequests: { accountId: string }[];
        recommendations: { campaignId: string; currentDailyBudget: string; recommendedDailyBudget: string; explanation: string }[];
        summary: string;
      };
      expect(out).toMatchObject({ kind: 'plan', planId, runId: null });
      expect(out.platforms.map((p) => p.platform)).toEqual(plan.platforms.map((p: { platform: string }) => p.platform));
      expect(out.changeRequests).toHaveLength(plan.accounts.length);
      expect(out.recommendations).toHaveLength(plan.campaigns.length);
      const first = plan.campaigns[0] as { campaignId: string; name: string; from: string; to: string };
      expect(out.recommendations.find((x) => x.campaignId === first.campaignId)).toMatchObject({
        currentDailyBudget: first.from,
        recommendedDailyBudget: first.to,
      });
      expect(out.summary).toMatch(/^The workspace plan \(revenue, /);
      expect(textOf(r)).toContain(out.summary);
      const one = await client.callTool({ name: 'explain_recommendation', arguments: { planId, campaign: first.name } });
      expect((one.structuredContent as { recommendations: unknown[] }).recommendations).toHaveLength(1);
      for (const args of [{ planId, runId: planId }, {}]) {
        const bad = await client.callTool({ name: 'explain_recommendation', arguments: args });
        expect(bad.isError).toBe(true);
        expect(textOf(bad)).toMatch(/exactly one of runId .* or planId/);
      }
      const unknown = await client.callTool({ name: 'explain_recommendation', arguments: { planId: '00000000-0000-4000-8000-000000000000' } });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toMatch(/^NOT_FOUND: no optimization plan/);
      // The prompt takes the plan too, its output attached as delimited data.
      const prompt = await client.getPrompt({ name: 'explain-recommendation', arguments: { planId } });
      const text = (prompt.messages[0]!.content as { text: string }).text;
      expect(text).toMatch(new RegExp(`^Explain workspace plan ${planId}`));
      expect(text).toContain('<<<MBO_DATA');
      expect(text).toContain('"kind": "plan"');
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe('analytics-mcp predictions', () => {
  it('answers what-if, forecast and attribution for the workspace', async () => {
    const client = await httpClient(url('analytics-mcp'), s.w.keys.viewer);
    try {
      const c = campaigns.google_ads!;
      const w = await client.callTool({ name: 'what_if', arguments: { campaign: c.externalId, budget: (Number(c.dailyBudget) * 1.2).toFixed(2) } });
      expect(w.isError, textOf(w)).toBeFalsy();
      expect((w.structuredContent as { scope: { kind: string } }).scope.kind).toBe('campaign');
      const both = await client.callTool({ name: 'what_if', arguments: { campaign: c.externalId, totalBudget: '100' } });
      expect(both.isError).toBe(true);
      expect(textOf(both)).toMatch(/totalBudget/);
      const f = await client.callTool({ name: 'forecast', arguments: { days: 7 } });
      expect(f.isError, textOf(f)).toBeFalsy();
      expect((f.structuredContent as { days: unknown[] }).days).toHaveLength(7);
      const a = await client.callTool({ name: 'get_attribution', arguments: {} });
      expect(a.isError, textOf(a)).toBeFalsy();
    } finally {
      await client.close();
    }
  });
});
