// The one createApp: the Hono API under /api/v1 (OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/v1/docs),
// health at /healthz and readiness at /readyz. Middleware order: request id → secure headers → body limit →
// content type → rate limit (per client before authentication, per key after) → authentication → idempotency.
// Routes are thin: validate with the use case's schema, call the use case as the actor, map errors once.
import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError } from '../core/errors.js';
import type { AppContext } from '../services/context.js';
import { observeRequest } from '../services/health/metrics.js';
import { authenticate } from './auth.js';
import type { ApiApp, ApiEnv } from './env.js';
import { idempotency } from './idempotency.js';
import { problemResponse } from './problem.js';
import { registerRoutes, PUBLIC_PATHS } from './routes/index.js';
import { mountWeb } from '../web/server/mount.js';

export const API_VERSION = '1.0.0';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface CreateAppOptions {
  /** Requests per minute per API key (per client address before authentication). */
  rateLimitPerMinute?: number;
}

function clientAddress(c: Parameters<Parameters<typeof rateLimiter<ApiEnv>>[0]['keyGenerator']>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function createApp(app: AppContext, opts: CreateAppOptions = {}): ApiApp {
  const limit = opts.rateLimitPerMinute ?? app.config.api.rateLimitPerMinute;
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
        return problemResponse(c, new AppError('INVALID_INPUT', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields }));
      }
    },
  });
  api.onError((e, c) => problemResponse(c, e));
  api.notFound((c) => problemResponse(c, new AppError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)));

  api.use('*', requestId({ headerName: 'X-Request-Id' }));
  api.use('*', async (c, next) => {
    const began = performance.now();
    await next();
    // The route's pattern (never the concrete path: ids would explode the label set); middleware paths end in '*'.
    const route =
      matchedRoutes(c)
        .filter((r) => !r.path.endsWith('*'))
        .at(-1)?.path ?? '(unmatched)';
    observeRequest(c.req.method, route, c.res.status, (performance.now() - began) / 1000);
  });
  api.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin', referrerPolicy: 'no-referrer' }));
  api.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => problemResponse(c, new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${MAX_BODY_BYTES / 1024} KB`)),
    }),
  );
  api.use('/api/*', async (c, next) => {
    // Only a body must be JSON: a POST without one (log out, acknowledge, rotate a secret) has no type to declare.
    const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && !c.req.path.startsWith('/api/v1/webhooks/decisions/')) {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got "${type || 'nothing'}")`);
    }
    await next();
  });
  const limited = (key: (c: Parameters<Parameters<typeof rateLimiter<ApiEnv>>[0]['keyGenerator']>[0]) => string) =>
    rateLimiter<ApiEnv>({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-6',
      keyGenerator: key,
      handler: (c) => problemResponse(c, new AppError('RATE_LIMITED', `more than ${limit} requests a minute; slow down`, { retryAfterSeconds: 60 })),
    });
  // Before authentication, per client address (so a flood of bad keys is limited too); after it, per key.
  api.use(
    '/api/*',
    limited((c) => `ip:${clientAddress(c)}`),
  );
  api.use('/api/v1/*', async (c, next) => {
    if (PUBLIC_PATHS.some((p) => (p.endsWith('/') ? c.req.path.startsWith(p) : c.req.path === p))) return next();
    return authenticate(app)(c, next);
  });
  api.use(
    '/api/v1/*',
    limited((c) => `actor:${c.get('actor')?.credential ?? clientAddress(c)}`),
  );
  api.use('/api/v1/*', idempotency(app));

  registerRoutes(api, app);

  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An MBO API key (mbo_…): `mbo keys create`, or the one `mbo up` wrote to MBO_HOME/keys/',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'mbo_session',
    description: 'A web session (POST /api/v1/auth/login); unsafe methods also need the X-CSRF-Token header',
  });
  api.doc31('/api/v1/openapi.json', openApiInfo(app));
  api.get('/api/v1/docs', Scalar({ url: '/api/v1/openapi.json', pageTitle: 'MBO API' }));
  mountWeb(api, app); // the web app (web/) for every other path
  return api;
}

export function openApiInfo(app: AppContext) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'MBO — Marketing Budget Optimizer API',
      version: API_VERSION,
      description:
        'Every capability of MBO as the actor of an API key or web session. Errors are application/problem+json with a stable `code`. POSTs that create accept an Idempotency-Key.',
    },
    servers: [{ url: app.config.api.url }],
  };
}
