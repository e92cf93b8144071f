// What an MBO MCP server is: a definition (name, the design's port as an offset from MBO_MCP_PORT_BASE, the
// instructions a client shows the model, its tools, and optionally resources and prompts), and `buildServer`,
// which makes a fresh McpServer of it for one session. The same definition serves stdio (./stdio.ts) and
// Streamable HTTP (./http.ts); a new server (e.g. whatsapp-business-mcp) is one more McpServerDef listed in
// ../registry.ts.
import { McpServer } from '@modelcontextprotocol/server';
import type { McpSession } from './session.js';
import { registerTools, type ToolDef } from './tool.js';

export const MCP_SERVER_VERSION = '0.1.0';

export interface McpServerDef {
  /** As clients list it, e.g. 'google-ads-mcp'. */
  name: string;
  title: string;
  /** The design's port is MBO_MCP_PORT_BASE (3000) + this: google-ads 1 … mbo 7. */
  portOffset: number;
  instructions: string;
  tools: ToolDef[];
  /** Resources and prompts, registered with the same session. */
  extras?(server: McpServer, session: McpSession): void;
}

export function buildServer(def: McpServerDef, session: McpSession): McpServer {
  const server = new McpServer({ name: def.name, title: def.title, version: MCP_SERVER_VERSION }, { instructions: def.instructions });
  registerTools(server, session, def.tools);
  def.extras?.(server, session);
  return server;
}
