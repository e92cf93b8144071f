// An MBO MCP server over Streamable HTTP (MCP SDK v2: createMcpHandler behind its Hono adapter). Every request to
// /mcp must carry `Authorization: Bearer <MBO API key>`; the key is resolved into the actor (services/auth,
// source 'mcp') BEFORE any MCP handling, and a fresh McpServer is built for that actor (stateless serving: nothing
// of one caller outlives its request). Host and Origin are always checked (DNS-rebinding protection): loopback
// names unless MBO_MCP_ALLOWED_HOSTS / MBO_MCP_ALLOWED_ORIGINS list others — a browser page on another origin is
// refused with 403 even when it holds a key. GET /healthz answers without a key (for `mbo up`).
import { serve, type ServerType } from '@hono/node-server';
import { createMcpHonoApp } from '@modelcontextprotocol/hono';
import { createMcpHandler, localhostAllowedHostnames, localhostAllowedOrigins } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Actor } from '../../services/actor.js';
import { authenticateApiKey } from '../../services/auth/authenticate.js';
import type { AppContext } from '../../services/context.js';
import { asAppError, toolErrorText } from '../errors.js';
import { buildServer, type McpServerDef } from './server.js';
import { actorSession } from './session.js';

export interface HttpOptions {
  /** The address to listen on (MBO_MCP_HOST). */
  host: string;
  /** Host header names accepted besides loopback ones (MBO_MCP_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  /** Origin hostnames accepted besides loopback ones (MBO_MCP_ALLOWED_ORIGINS). */
  allowedOrigins?: string[];
}

const bearer = (h: string | undefined) => /^Bearer\s+(\S+)\s*$/i.exec(h ?? '')?.[1];

/** The Hono app of one server: /healthz and /mcp. */
export function mcpHttpApp(def: McpServerDef, app: AppContext, opts: HttpOptions): Hono {
  const hono = createMcpHonoApp({
    host: opts.host,
    allowedHosts: [...localhostAllowedHostnames(), ...(opts.allowedHosts ?? [])],
    allowedOrigins: [...localhostAllowedOrigins(), ...(opts.allowedOrigins ?? [])],
  });
  const handler = createMcpHandler(({ authInfo }) => buildServer(def, actorSession(def.name, app, authInfo!.extra!.actor as Actor)), {
    onerror: () => {},
  });
  hono.get('/healthz', (c) => c.json({ ok: true, server: def.name }));
  hono.all('/mcp', async (c) => {
    const key = bearer(c.req.header('authorization'));
    let actor: Actor;
    try {
      actor = await authenticateApiKey(app, key, 'mcp');
    } catch (e) {
      const err = asAppError(e, def.name);
      const status = err.code === 'UNAUTHENTICATED' ? 401 : 503;
      return c.json({ jsonrpc: '2.0', error: { code: -32001, message: toolErrorText(err) }, id: null }, status, {
        ...(status === 401 ? { 'WWW-Authenticate': `Bearer realm="mbo", error="invalid_token"` } : {}),
      });
    }
    return handler.fetch(c.req.raw, {
      authInfo: { token: key!, clientId: actor.credential ?? actor.userId, scopes: actor.roles, extra: { actor } },
      parsedBody: c.get('parsedBody' as never),
    });
  });
  return hono;
}

export interface RunningHttpServer {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves one server definition on host:port (port 0: any free port). */
export function listenHttp(def: McpServerDef, app: AppContext, opts: HttpOptions & { port: number }): Promise<RunningHttpServer> {
  const hono = mcpHttpApp(def, app, opts);
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch: hono.fetch, hostname: opts.host, port: opts.port }, () => {
      const port = (server!.address() as AddressInfo).port;
      const host = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host === '::' ? '[::1]' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        name: def.name,
        port,
        url: `http://${host}:${port}/mcp`,
        close: () =>
          new Promise<void>((res) => {
            server!.close(() => res());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
