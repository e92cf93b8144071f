// Authentication at the door: an API key (Authorization: Bearer mbo_…) or a web session cookie (with its CSRF
// token on every unsafe method). The door only turns the credential into an actor; what the actor may do is
// decided inside each use case.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../core/errors.js';
import { authenticateApiKey, authenticateSession } from '../services/auth/authenticate.js';
import { sameHash, sha256 } from '../services/auth/tokens.js';
import type { ServiceContext } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import type { ApiEnv } from './env.js';

export const SESSION_COOKIE = 'mbo_session';
export const CSRF_HEADER = 'x-csrf-token';

export function authenticate(app: AppContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('UNAUTHENTICATED', 'use Authorization: Bearer <API key>');
      c.set('actor', await authenticateApiKey(app, m[1], 'api'));
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (!token) throw new AppError('UNAUTHENTICATED', 'an API key (Authorization: Bearer mbo_…) or a session is required');
      const s = await authenticateSession(app, token);
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
        const csrf = c.req.header(CSRF_HEADER);
        if (!csrf || !sameHash(s.csrfHash, sha256(csrf))) throw new AppError('FORBIDDEN', `missing or wrong ${CSRF_HEADER} header for a session request`);
      }
      const { csrfHash: _c, sessionId, ...actor } = s;
      c.set('actor', actor);
      c.set('sessionId', sessionId);
    }
    await next();
  };
}

/** The use-case context of an authenticated request. */
export function serviceContext(app: AppContext, c: Context<ApiEnv>): ServiceContext {
  const actor = c.get('actor');
  if (!actor) throw new AppError('UNAUTHENTICATED', 'not authenticated');
  return { app, actor };
}
