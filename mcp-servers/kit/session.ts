// Who a server's tools act as. Over HTTP each request carries a bearer key, resolved into an Actor (source 'mcp')
// before the MCP server is built for that request; over stdio the process holds one key (MBO_API_KEY or the CLI's
// key file) and resolves it again on every call, so a revoked key or a demotion takes effect at once — as in the API.
// Roles are never checked here: the use cases check them (requireRole), the same as for every door.
import type { Actor, ServiceContext } from '../../services/actor.js';
import { authenticateApiKey } from '../../services/auth/authenticate.js';
import type { AppContext } from '../../services/context.js';

export interface Links {
  /** Where a person approves or rejects a change request (the web inbox; MBO_WEB_URL, else the API's public URL). */
  approval(requestId: string): string;
}

export interface ToolEnv {
  ctx: ServiceContext;
  links: Links;
}

export interface McpSession {
  serverName: string;
  app: AppContext;
  /** The actor's context for one call (throws UNAUTHENTICATED when the key no longer resolves). */
  env(): Promise<ToolEnv>;
}

export function linksFor(app: AppContext): Links {
  const base = (app.config.webUrl ?? app.config.api.publicUrl).replace(/\/$/, '');
  return { approval: (id) => `${base}/approvals/${id}` };
}

/** HTTP: the actor was resolved from this request's bearer key. */
export function actorSession(serverName: string, app: AppContext, actor: Actor): McpSession {
  const env = { ctx: { app, actor }, links: linksFor(app) };
  return { serverName, app, env: async () => env };
}

/** stdio: the process's key, resolved on every call. */
export function keySession(serverName: string, app: AppContext, key: string): McpSession {
  const links = linksFor(app);
  return { serverName, app, env: async () => ({ ctx: { app, actor: await authenticateApiKey(app, key, 'mcp') }, links }) };
}
