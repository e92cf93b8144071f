// The web door's authentication: the same session cookie as the API (POST /api/v1/auth/login sets it too), turned
// into an actor by services/auth. Unsafe requests (form posts) carry the CSRF token as a hidden field, checked
// against the session's stored hash exactly as the API checks its X-CSRF-Token header. The token itself lives in an
// httpOnly cookie beside the session so the server can render it into forms (another site can read neither).
import { data, redirect, type AppLoadContext } from 'react-router';
import { isAppError } from '../../../core/errors.ts';
import type { ServiceContext } from '../../../services/actor.ts';
import { authenticateSession } from '../../../services/auth/authenticate.ts';
import { sameHash, sha256 } from '../../../services/auth/tokens.ts';
import type { AppContext } from '../../../services/context.ts';

declare module 'react-router' {
  interface AppLoadContext {
    app: AppContext;
  }
}

export const SESSION_COOKIE = 'mbo_session';
export const CSRF_COOKIE = 'mbo_csrf';

export function readCookies(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export interface WebUser {
  ctx: ServiceContext;
  /** The CSRF token to render into this page's forms. */
  csrf: string;
  csrfHash: string;
  sessionId: string;
}

/** The session's actor, or a redirect to /login (with where to come back to). */
export async function requireUser(request: Request, context: AppLoadContext): Promise<WebUser> {
  const cookies = readCookies(request);
  try {
    const s = await authenticateSession(context.app, cookies[SESSION_COOKIE]);
    const { csrfHash, sessionId, ...actor } = s;
    return { ctx: { app: context.app, actor }, csrf: cookies[CSRF_COOKIE] ?? '', csrfHash, sessionId };
  } catch (e) {
    if (isAppError(e) && e.code === 'UNAUTHENTICATED') {
      const url = new URL(request.url);
      throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
    }
    throw e;
  }
}

/** Refuses a form post whose CSRF field does not match the session (403, nothing done). */
export function checkCsrf(user: WebUser, form: FormData): void {
  const t = form.get('csrf');
  if (typeof t !== 'string' || !t || !sameHash(user.csrfHash, sha256(t)))
    throw data({ message: 'missing or wrong CSRF token: reload the page and try again' }, { status: 403 });
}

export function sessionCookies(sessionToken: string, csrfToken: string, maxAgeSeconds: number, secure: boolean): string[] {
  const attrs = `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=${sessionToken}; ${attrs}`, `${CSRF_COOKIE}=${csrfToken}; ${attrs}`];
}

export function clearedCookies(): string[] {
  return [SESSION_COOKIE, CSRF_COOKIE].map((n) => `${n}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}
