// How a failed Graph API call becomes one of MBO's typed connector errors. Graph errors arrive as
//   { "error": { "message", "type", "code", "error_subcode", "error_user_title", "error_user_msg",
//                "fbtrace_id", "is_transient" } }
// (developers.facebook.com/docs/graph-api/guides/error-handling), mostly with HTTP 400 — throttling included —
// so the code decides, not the status. Messages name the account, the code and Meta's fbtrace_id; they never
// carry the token, the app secret or the request URL (which holds both).
import { backoffMs } from '../http.js';
import { AuthError, type ConnectorError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { ForeignUrlError, GraphTimeoutError } from './graph-api.js';

const PLATFORM = 'meta';

export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
  is_transient?: boolean;
}

/** The SDK's FacebookRequestError, as far as we read it (status null: no answer at all). */
interface SdkRequestError {
  name: 'FacebookRequestError';
  status: number | null;
  response: GraphErrorBody | null;
  headers?: Record<string, unknown> | null;
}

/**
 * Throttling codes (Marketing API "Rate Limiting" and Graph "Handling Errors"): 4 app-level, 17 user/ad-account
 * level, 32 page-level, 341 application limit, 613 calls within a time window, 80000–80014 Business Use Case
 * limits (80004 ads_management, 80000 ads_insights, …).
 */
export function isRateLimitCode(code: number | undefined): boolean {
  if (code === undefined) return false;
  return code === 4 || code === 17 || code === 32 || code === 341 || code === 613 || (code >= 80000 && code <= 80014);
}

/** Without a server estimate, Meta's documented block for the standard tier (60 s), doubling per attempt to 15 min. */
export const RATE_LIMIT_BASE_MS = 60_000;
export const RATE_LIMIT_CAP_MS = 15 * 60_000;

/**
 * The wait Meta announces, in ms, or null. `x-business-use-case-usage` is
 *   {"<business-object-id>": [{"type": "ads_management", "call_count": 95, "total_cputime": 20, "total_time": 20,
 *                              "estimated_time_to_regain_access": 19}]}
 * with the estimate in minutes (entries for this ad account preferred); `x-ad-account-usage` is
 *   {"acc_id_util_pct": 9.67, "reset_time_duration": 100, "ads_api_access_tier": "standard_access"} in seconds.
 */
export function announcedDelayMs(headers: Record<string, unknown> | null | undefined, accountNumericId: string): number | null {
  const header = (name: string): string | undefined => {
    if (!headers) return undefined;
    const v = headers[name] ?? headers[name.toLowerCase()];
    return typeof v === 'string' ? v : undefined;
  };
  let best: number | null = null;
  const buc = parseJsonObject(header('x-business-use-case-usage'));
  if (buc) {
    const own = Array.isArray(buc[accountNumericId]) ? [buc[accountNumericId]] : Object.values(buc);
    for (const list of own) {
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        const minutes = Number((entry as { estimated_time_to_regain_access?: unknown }).estimated_time_to_regain_access);
        if (Number.isFinite(minutes) && minutes > 0) best = Math.max(best ?? 0, minutes * 60_000);
      }
    }
  }
  if (best !== null) return best;
  const acc = parseJsonObject(header('x-ad-account-usage'));
  const seconds = Number(acc?.reset_time_duration);
  return acc && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface ErrorContext {
  /** act_… of the account the call was for. */
  actId: string;
  /** Strings that must never appear in a message (token, app secret). */
  secrets: string[];
  /** Consecutive rate-limited calls on this connector, counting this one (for the backoff). */
  rateLimitAttempt: number;
}

export function isSdkRequestError(e: unknown): e is SdkRequestError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'FacebookRequestError';
}

/** Maps anything a Graph call threw to a typed connector error. */
export function toConnectorError(e: unknown, what: string, ctx: ErrorContext): ConnectorError {
  const scrub = (s: string) => ctx.secrets.reduce((acc, secret) => (secret ? acc.split(secret).join('[redacted]') : acc), s);
  const where = `meta ${ctx.actId}: ${what}`;
  if (e instanceof GraphTimeoutError) return new TransientError(`${where}: ${e.message}`, PLATFORM);
  if (e instanceof ForeignUrlError) return new ValidationError(`${where}: ${e.message}`, PLATFORM);
  if (!isSdkRequestError(e)) {
    // The SDK's own failures: e.g. a proxy's HTML error page makes its error constructor throw a SyntaxError.
    return new TransientError(`${where}: unreadable answer (${scrub((e as Error)?.name ?? 'error')})`, PLATFORM);
  }
  if (e.status === null || e.status === undefined) return new TransientError(`${where}: no answer from the Graph API (network error)`, PLATFORM);
  const body: GraphErrorBody = e.response && typeof e.response === 'object' ? e.response : {};
  const code = typeof body.code === 'number' ? body.code : undefined;
  const sub = body.error_subcode;
  const detail = `code ${code ?? '?'}${sub ? `/${sub}` : ''}${body.fbtrace_id ? `, fbtrace_id ${body.fbtrace_id}` : ''}`;
  const said = scrub(body.error_user_msg ?? body.message ?? `HTTP ${e.status}`);

  if (isRateLimitCode(code)) {
    const numericId = ctx.actId.replace(/^act_/, '');
    const delay = announcedDelayMs(e.headers, numericId) ?? backoffMs(ctx.rateLimitAttempt, RATE_LIMIT_BASE_MS, RATE_LIMIT_CAP_MS);
    return new RateLimitError(`${where}: rate limited (${detail}): ${said}; retry in ${Math.round(delay / 1000)} s`, delay, PLATFORM);
  }
  // 190 invalid/expired token, 102 session, 104 no token, 2500 no active token. Meta issues no refresh token:
  // a long-lived user token or a system-user token must be replaced by a person, so this is final.
  if (code === 190 || code === 102 || code === 104 || code === 2500) {
    return new AuthError(
      `${where}: Meta rejected the access token (${detail}): ${said}. Meta tokens cannot be refreshed by MBO: reconnect the account with a new system-user or long-lived token.`,
      PLATFORM,
    );
  }
  // 10 and 200–299: the token lacks a permission (ads_read / ads_management) or access to this ad account.
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return new AuthError(`${where}: permission denied (${detail}): ${said}. Grant ads_read and ads_management on this ad account, then reconnect.`, PLATFORM);
  }
  if (/appsecret_proof/i.test(body.message ?? '')) {
    return new AuthError(`${where}: the app secret does not match the token's app (${detail}): ${said}`, PLATFORM);
  }
  if (body.is_transient === true || e.status >= 500 || code === 1 || code === 2) {
    return new TransientError(`${where}: temporary Graph API failure (${detail}, HTTP ${e.status}): ${said}`, PLATFORM);
  }
  // 100/33: "Object with ID … does not exist, cannot be loaded due to missing permissions, or does not support this operation".
  if ((code === 100 && sub === 33) || code === 803 || e.status === 404) return new NotFoundError(`${where}: not found (${detail}): ${said}`, PLATFORM);
  return new ValidationError(`${where}: rejected (${detail}): ${said}`, PLATFORM);
}
