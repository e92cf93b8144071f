// Shared pieces of the MCP end-to-end tests: one synced sandbox world (apiSuite: a member and key per role, an
// in-process worker), real MCP SDK clients over Streamable HTTP and over stdio (the real entry point spawned), a
// campaign of each platform, and what each server must offer.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import type { ApiWorld } from './api-harness.js';

/** The servers with a read over a period and (but analytics-mcp) a change-request write; whatsapp-business-mcp has its own cases. */
export const SERVERS = ['google-ads-mcp', 'meta-ads-mcp', 'tiktok-ads-mcp', 'linkedin-ads-mcp', 'analytics-mcp', 'mbo-mcp'] as const;
export const WHATSAPP_SERVER = 'whatsapp-business-mcp' as const;
export type ServerName = (typeof SERVERS)[number] | typeof WHATSAPP_SERVER;
export const PLATFORM_OF: Partial<Record<ServerName, string>> = {
  'google-ads-mcp': 'google_ads',
  'meta-ads-mcp': 'meta',
  'tiktok-ads-mcp': 'tiktok',
  'linkedin-ads-mcp': 'linkedin',
};

const PLATFORM_TOOLS = ['get_budget', 'get_campaign_performance', 'list_campaigns', 'pause_campaign', 'resume_campaign', 'update_campaign_budget'];
export const TOOLS: Record<ServerName, string[]> = {
  'google-ads-mcp': PLATFORM_TOOLS,
  'meta-ads-mcp': PLATFORM_TOOLS,
  'tiktok-ads-mcp': PLATFORM_TOOLS,
  'linkedin-ads-mcp': PLATFORM_TOOLS,
  'analytics-mcp': ['forecast', 'get_attribution', 'get_campaign_metrics', 'get_platform_metrics', 'list_anomalies', 'what_if'],
  'mbo-mcp': ['explain_recommendation', 'get_change_request', 'get_performance', 'list_approvals', 'request_budget_change', 'run_optimization'],
  'whatsapp-business-mcp': ['list_approval_notices', 'list_notification_channels', 'send_approval_notice'],
};
/** The write tool each server is tested with (analytics-mcp has none: all its tools are read-only). */
export const WRITE_TOOL: Partial<Record<ServerName, string>> = {
  'google-ads-mcp': 'update_campaign_budget',
  'meta-ads-mcp': 'update_campaign_budget',
  'tiktok-ads-mcp': 'update_campaign_budget',
  'linkedin-ads-mcp': 'update_campaign_budget',
  'mbo-mcp': 'request_budget_change',
};

export async function httpClient(url: string, key?: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'mbo-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } } }),
  );
  return client;
}

let prebuilt: Promise<string> | undefined;
/**
 * The stdio entry point (mcp-servers/stdio.ts) bundled once per test process with esbuild — the transform tsx uses —
 * MBO's own modules in one file, packages from node_modules as they are. A spawn then skips tsx's per-module
 * loader (about half of a server's start-up CPU). It sits directly in `.mbo/` so the bundled lib/config.ts finds
 * the project root one level up, as it does from lib/.
 */
export function prebuiltStdioEntry(): Promise<string> {
  prebuilt ??= (async () => {
    const { build } = await import('esbuild');
    const outfile = path.join(PROJECT_ROOT, '.mbo', `mcp-stdio-e2e-${process.pid}.mjs`);
    await build({
      entryPoints: [path.join(PROJECT_ROOT, 'mcp-servers', 'stdio.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return prebuilt;
}

export async function removePrebuiltStdioEntry(): Promise<void> {
  if (prebuilt) rmSync(await prebuilt.catch(() => ''), { force: true });
}

/**
 * A stdio server as a child process, with `env` on top of the test's: the real entry point as `npm run mcp:<name>`
 * runs it (`node --import tsx mcp-servers/stdio.ts <name>`), or with `entry` the prebuilt bundle of that same file.
 */
export function stdioTransport(server: ServerName, env: Record<string, string>, entry?: string): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: entry ? [entry, server] : ['--import', 'tsx', path.join(PROJECT_ROOT, 'mcp-servers', 'stdio.ts'), server],
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stderr: 'pipe',
  });
}

export async function stdioClient(server: ServerName, env: Record<string, string>, entry?: string): Promise<Client> {
  const client = new Client({ name: 'mbo-e2e', version: '1.0.0' });
  await client.connect(stdioTransport(server, env, entry), { timeout: 180_000 });
  return client;
}

/** One ACTIVE campaign with a budget per platform of the world (platform id as the tools accept it), and `other`. */
export async function campaignsByPlatform(ctx: AppContext, w: ApiWorld): Promise<Record<string, { id: string; externalId: string; dailyBudget: string }>> {
  const out: Record<string, { id: string; externalId: string; dailyBudget: string }> = {};
  for (const a of w.accounts) {
    const c = await ctx.prisma.campaign.findFirst({ where: { accountId: a.id, status: 'ACTIVE', dailyBudget: { not: null } }, orderBy: { externalId: 'asc' } });
    if (c) out[a.platform] = { id: c.id, externalId: c.externalId, dailyBudget: c.dailyBudget!.toString() };
  }
  // Another campaign (for mbo-mcp's cross-platform write), so no two writes of one file ask about the same one.
  const google = w.accounts.find((a) => a.platform === 'google_ads')!;
  const other = await ctx.prisma.campaign.findFirst({
    where: { accountId: google.id, status: 'ACTIVE', dailyBudget: { not: null }, id: { not: out.google_ads?.id } },
    orderBy: { externalId: 'desc' },
  });
  if (other) out.other = { id: other.id, externalId: other.externalId, dailyBudget: other.dailyBudget!.toString() };
  return out;
}

/** The text of a tool result (all its text blocks). */
export const textOf = (r: { content?: unknown }) =>
  ((r.content ?? []) as { type: string; text?: string }[])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');

/** tools/list: the expected names, each with input and output schemas, a description and all four annotations. */
export async function expectToolList(client: Client, server: ServerName, timeout = 60_000) {
  const { tools } = await client.listTools(undefined, { timeout });
  expect(tools.map((t) => t.name).sort()).toEqual(TOOLS[server]);
  for (const t of tools) {
    expect(t.inputSchema.type, t.name).toBe('object');
    expect(t.outputSchema?.type, t.name).toBe('object');
    expect(t.description?.length ?? 0, t.name).toBeGreaterThan(80);
    const a = t.annotations ?? {};
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
      expect(typeof a[hint], `${t.name} ${hint}`).toBe('boolean');
    expect(a.readOnlyHint, t.name).toBe(
      !['update_campaign_budget', 'pause_campaign', 'resume_campaign', 'request_budget_change', 'run_optimization', 'send_approval_notice'].includes(t.name),
    );
    expect(a.destructiveHint, t.name).toBe(false);
  }
  return tools;
}

/** A read each server answers (its first read tool with real arguments). */
export function readCall(server: ServerName, campaigns: Record<string, { externalId: string }>): { name: string; arguments: Record<string, unknown> } {
  const platform = PLATFORM_OF[server];
  if (platform) return { name: 'get_campaign_performance', arguments: { campaign: campaigns[platform]!.externalId, from: '2026-05-25', to: '2026-05-31' } };
  if (server === 'analytics-mcp') return { name: 'get_platform_metrics', arguments: { from: '2026-05-25', to: '2026-05-31' } };
  return { name: 'get_performance', arguments: { from: '2026-05-25', to: '2026-05-31' } };
}

/** A write each server with writes offers: ask for 10% more budget on a campaign of its platform. */
export function writeCall(server: ServerName, campaigns: Record<string, { externalId: string; dailyBudget: string }>, reason: string) {
  const c = campaigns[PLATFORM_OF[server] ?? 'other']!;
  return { name: WRITE_TOOL[server]!, arguments: { campaign: c.externalId, dailyBudget: (Math.round(Number(c.dailyBudget) * 110) / 100).toFixed(2), reason } };
}
