// Every MBO MCP server by name, with the design's port offset (MBO_MCP_PORT_BASE 3000 + offset). main.ts serves
// them all over HTTP in one process; stdio.ts runs one by name. A new server adds one line here.
import type { McpServerDef } from './kit/server.js';
import { analyticsServer } from './analytics/server.js';
import { mboServer } from './mbo/server.js';
import { platformServer } from './platform/server.js';
import { whatsappBusinessServer } from './whatsapp-business/server.js';

export const MCP_SERVERS: McpServerDef[] = [
  platformServer('google_ads', 1),
  platformServer('meta', 2),
  platformServer('tiktok', 3),
  platformServer('linkedin', 4),
  analyticsServer,
  whatsappBusinessServer,
  mboServer,
];

/** A server by its name with or without the -mcp suffix ('google-ads' or 'google-ads-mcp'). */
export function serverNamed(name: string): McpServerDef | undefined {
  const n = name.endsWith('-mcp') ? name : `${name}-mcp`;
  return MCP_SERVERS.find((s) => s.name === n);
}
