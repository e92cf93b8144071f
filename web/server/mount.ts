// Serves the built web app from the API process: static files from web/build/client, every other non-API path
// through React Router's request handler with the process's AppContext as load context (so loaders call the use
// cases with the same database and Temporal clients as the API). The server bundle loads on the first page request.
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Hono } from 'hono';
import { createRequestHandler, type ServerBuild } from 'react-router';
import type { AppContext } from '../../services/context.js';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_BUILD = join(WEB_ROOT, 'build');
const CLIENT = join(WEB_BUILD, 'client');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

async function staticFile(path: string): Promise<Response | undefined> {
  const file = normalize(join(CLIENT, decodeURIComponent(path)));
  if (!file.startsWith(CLIENT + '/')) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const immutable = path.startsWith('/assets/');
  return new Response(await readFile(file), {
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    },
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Hono apps of any env
export function mountWeb(api: Hono<any>, app: AppContext): void {
  let handler: Promise<ReturnType<typeof createRequestHandler>> | undefined;
  const load = () =>
    (handler ??= import(pathToFileURL(join(WEB_BUILD, 'server', 'index.js')).href)
      .then((build: ServerBuild) => createRequestHandler(build, 'production'))
      .catch((e) => {
        handler = undefined;
        throw new Error(`the web app is not built (npm run web:build): ${(e as Error).message}`);
      }));
  api.all('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/api/') || path === '/api' || path === '/healthz' || path === '/readyz') return next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const file = path !== '/' ? await staticFile(path) : undefined;
      if (file) return file;
    }
    return (await load())(c.req.raw, { app });
  });
}
