// Google Ads failures → MBO's typed connector errors. Google answers with google.rpc.Status (`{error:{code,
// message,status,details}}`, inside an array for searchStream) whose details carry a GoogleAdsFailure: errors with
// a oneof `errorCode` (e.g. {quotaError:"RESOURCE_EXHAUSTED"}), a message, a location and, for quota errors,
// `details.quotaErrorDetails.retryDelay` (a protobuf Duration such as "3s"). We classify by error code first and
// HTTP status second, so a status Google changes does not change what MBO does. Messages carry Google's codes,
// message and request id — never a header or token.
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError, type ConnectorError } from '../errors.js';
import type { GoogleAdsError, GoogleAdsFailure, MutateResponse, RpcStatus } from './wire.js';

const PLATFORM = 'google_ads';
/** When Google gives no retryDelay with a quota error, wait this long (daily quotas give none). */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 30_000;

/** OAuth problems a fresh access token can cure; other 401s (e.g. DEVELOPER_TOKEN_INVALID) cannot. */
const TOKEN_CODES = new Set(['OAUTH_TOKEN_INVALID', 'OAUTH_TOKEN_EXPIRED', 'OAUTH_TOKEN_HEADER_INVALID', 'AUTHENTICATION_ERROR']);
/** Request errors that mean the credentials/headers are wrong, not the request. */
const CREDENTIAL_REQUEST_CODES = new Set(['DEVELOPER_TOKEN_PARAMETER_MISSING', 'LOGIN_CUSTOMER_ID_PARAMETER_MISSING']);

export interface ParsedFailure {
  httpStatus: number;
  status?: string;
  message: string;
  errors: GoogleAdsError[];
  requestId?: string;
}

/** Reads an error body (object or searchStream array); tolerates non-JSON bodies (proxies, HTML 404s). */
export function parseFailure(httpStatus: number, bodyText: string): ParsedFailure {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return { httpStatus, message: `HTTP ${httpStatus}`, errors: [] };
  }
  const first = Array.isArray(body) ? body.find((b) => b && typeof b === 'object' && 'error' in b) : body;
  const rpc = (first as { error?: RpcStatus } | undefined)?.error;
  if (!rpc) return { httpStatus, message: `HTTP ${httpStatus}`, errors: [] };
  const failure = adsFailure(rpc);
  return { httpStatus, status: rpc.status, message: rpc.message ?? `HTTP ${httpStatus}`, errors: failure?.errors ?? [], requestId: failure?.requestId };
}

function adsFailure(rpc: RpcStatus): GoogleAdsFailure | undefined {
  return rpc.details?.find((d): d is GoogleAdsFailure => String(d['@type'] ?? '').endsWith('errors.GoogleAdsFailure') || Array.isArray(d.errors));
}

/** "quotaError=RESOURCE_EXHAUSTED" for the first error's oneof code. */
export function codeOf(e: GoogleAdsError | undefined): { group?: string; value?: string } {
  const [group, value] = Object.entries(e?.errorCode ?? {})[0] ?? [];
  return { group, value };
}

/** True when a 401 is an access-token problem one OAuth refresh can fix. */
export function isTokenProblem(f: ParsedFailure): boolean {
  if (f.httpStatus !== 401) return false;
  if (f.errors.length === 0) return true; // Google's front end: "Request had invalid authentication credentials…"
  return f.errors.some((e) => {
    const { group, value } = codeOf(e);
    return group === 'authenticationError' && TOKEN_CODES.has(value ?? '');
  });
}

/** Protobuf Duration JSON ("3s", "1.500s") → milliseconds, rounded up; undefined when absent or malformed. */
export function parseRetryDelay(d: string | undefined): number | undefined {
  const m = d === undefined ? null : /^(\d+)(?:\.(\d{1,9}))?s$/.exec(d.trim());
  if (!m) return undefined;
  const nanos = Number((m[2] ?? '').padEnd(9, '0'));
  return Number(m[1]) * 1000 + Math.ceil(nanos / 1e6);
}

function describe(f: ParsedFailure, context: string): string {
  const e = f.errors[0];
  const { group, value } = codeOf(e);
  const code = group ? `${group}=${value}` : (f.status ?? `HTTP ${f.httpStatus}`);
  const more = f.errors.length > 1 ? ` (+${f.errors.length - 1} more)` : '';
  const req = f.requestId ? ` [request ${f.requestId}]` : '';
  return `google_ads ${context}: ${code}: ${e?.message ?? f.message}${more}${req}`;
}

/** The typed error a failed call becomes. */
export function toConnectorError(f: ParsedFailure, context: string): ConnectorError {
  const msg = describe(f, context);
  const codes = f.errors.map(codeOf);
  const quota = f.errors.find((e) => codeOf(e).group === 'quotaError');
  if (quota || f.httpStatus === 429 || f.status === 'RESOURCE_EXHAUSTED') {
    const delay = parseRetryDelay(quota?.details?.quotaErrorDetails?.retryDelay) ?? DEFAULT_RATE_LIMIT_DELAY_MS;
    return new RateLimitError(msg, delay, PLATFORM);
  }
  if (codes.some((c) => c.group === 'authenticationError' && c.value === 'CUSTOMER_NOT_FOUND')) return new NotFoundError(msg, PLATFORM);
  if (codes.some((c) => c.group === 'authenticationError' || c.group === 'authorizationError' || c.group === 'headerError'))
    return new AuthError(msg, PLATFORM);
  if (codes.some((c) => c.group === 'requestError' && CREDENTIAL_REQUEST_CODES.has(c.value ?? ''))) return new AuthError(msg, PLATFORM);
  if (codes.some((c) => c.group === 'internalError')) return new TransientError(msg, PLATFORM);
  if (codes.some((c) => (c.group === 'mutateError' || c.group === 'requestError') && c.value === 'RESOURCE_NOT_FOUND')) return new NotFoundError(msg, PLATFORM);
  const s = f.httpStatus;
  if (s === 401 || s === 403) return new AuthError(msg, PLATFORM);
  if (s === 404) return new NotFoundError(msg, PLATFORM);
  if (s >= 400 && s < 500 && s !== 408 && s !== 499) return new ValidationError(msg, PLATFORM);
  return new TransientError(msg, PLATFORM); // 5xx, 408 and 499 (CANCELLED), anything unexpected
}

/**
 * Partial failure: which operations failed and why. Google locates each error at
 * `location.fieldPathElements[0] = {fieldName: "operations", index: i}`.
 */
export function partialFailures(res: MutateResponse): Map<number, string> {
  const out = new Map<number, string>();
  const failure = res.partialFailureError ? adsFailure(res.partialFailureError) : undefined;
  for (const e of failure?.errors ?? []) {
    const op = e.location?.fieldPathElements?.find((p) => p.fieldName === 'operations');
    const index = op?.index ?? 0;
    const { group, value } = codeOf(e);
    const text = `${group ? `${group}=${value}: ` : ''}${e.message ?? res.partialFailureError?.message ?? 'operation failed'}`;
    out.set(index, out.has(index) ? `${out.get(index)}; ${text}` : text);
  }
  if (res.partialFailureError && out.size === 0) out.set(0, res.partialFailureError.message ?? 'operation failed');
  return out;
}
