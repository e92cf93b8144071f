// GA4 Data API failures → MBO's typed connector errors, by google.rpc.Status first and HTTP status second.
// 401 UNAUTHENTICATED is an expired/invalid access token (one refresh may cure it); 403 PERMISSION_DENIED means
// the signed-in user cannot read the property (reconnect with another user); 429 RESOURCE_EXHAUSTED is a
// property or project quota (tokens per hour/day, concurrent requests): GA4 sends no retry delay, so we back off.
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError, type ConnectorError } from '../errors.js';
import { parseJson } from '../http.js';
import type { RpcStatus } from './wire.js';

const PLATFORM = 'ga4';

export interface Ga4Failure {
  httpStatus: number;
  status?: string;
  message: string;
}

export function parseGa4Failure(httpStatus: number, text: string): Ga4Failure {
  const body = parseJson(text) as RpcStatus | undefined;
  const e = body && typeof body === 'object' ? body.error : undefined;
  return { httpStatus, status: e?.status, message: e?.message ?? `HTTP ${httpStatus}` };
}

/** A 401 an access-token refresh can fix. */
export const isTokenProblem = (f: Ga4Failure) => f.httpStatus === 401 || f.status === 'UNAUTHENTICATED';

export function ga4Error(f: Ga4Failure, context: string, rateLimitDelayMs: number): ConnectorError {
  const text = `ga4 ${context}: ${f.status ?? `HTTP ${f.httpStatus}`}: ${f.message}`;
  if (f.status === 'RESOURCE_EXHAUSTED' || f.httpStatus === 429) return new RateLimitError(text, rateLimitDelayMs, PLATFORM);
  if (f.status === 'UNAUTHENTICATED' || f.status === 'PERMISSION_DENIED' || f.httpStatus === 401 || f.httpStatus === 403) return new AuthError(text, PLATFORM);
  if (f.status === 'NOT_FOUND' || f.httpStatus === 404) return new NotFoundError(text, PLATFORM);
  if (f.status === 'INVALID_ARGUMENT' || f.status === 'FAILED_PRECONDITION' || f.httpStatus === 400) return new ValidationError(text, PLATFORM);
  return new TransientError(text, PLATFORM);
}
