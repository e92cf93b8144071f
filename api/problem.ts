// The one mapping from AppError codes to HTTP: every error leaves the API as application/problem+json (RFC 9457)
// with a stable `code`, the request id, and — for input errors — the fields at fault. Nothing else (no stack,
// no SQL, no secret) reaches a client.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AppError, APP_ERROR_CODES, isAppError, type AppErrorCode, CODE_FOR_HTTP_STATUS, HTTP_STATUS } from '../core/errors.js';

export { HTTP_STATUS };
import { childLogger } from '../lib/logger.js';

const TITLE: Record<AppErrorCode, string> = {
  INVALID_INPUT: 'The input does not match its schema',
  VALIDATION: 'The input was refused',
  UNAUTHENTICATED: 'Not authenticated',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict with the current state',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Too many requests',
  STACK_NOT_RUNNING: 'A service MBO needs is not reachable',
  TRANSIENT: 'Temporarily unavailable',
  CONFIG_INVALID: 'Server misconfigured',
  INTERNAL: 'Internal error',
};

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(APP_ERROR_CODES),
  detail: z.string(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Postgres, Prisma and connection errors that mean "a service is down", not "a bug". */
function fromInfrastructure(e: unknown): AppError | undefined {
  const msg = (e as Error)?.message ?? '';
  const code = (e as { code?: string })?.code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|Can't reach database|Connection terminated/.test(msg))
    return new AppError('STACK_NOT_RUNNING', 'the database is not reachable');
  if (code === '22003' || /numeric field overflow/.test(msg)) return new AppError('VALIDATION', 'a number is larger than MBO can store');
  // Postgres text cannot hold NUL (U+0000): a value with one is refused as input, not failed on as a bug.
  if (code === '22021' || code === '22P05' || /invalid byte sequence for encoding "UTF8": 0x00|unsupported Unicode escape sequence/.test(msg))
    return new AppError('INVALID_INPUT', 'text may not contain NUL (\\u0000) characters');
  return undefined;
}

/** Hono's own refusals (a malformed JSON body, …) keep their status, as the matching code. */
const FROM_HTTP = CODE_FOR_HTTP_STATUS;

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  if (e instanceof HTTPException && FROM_HTTP[e.status]) return new AppError(FROM_HTTP[e.status]!, e.message || TITLE[FROM_HTTP[e.status]!]);
  return fromInfrastructure(e) ?? new AppError('INTERNAL', 'something went wrong on our side; the request id identifies it in the logs');
}

export function problemResponse(c: Context, e: unknown): Response {
  const err = toAppError(e);
  const status = HTTP_STATUS[err.code];
  const requestId = c.get('requestId' as never) as string | undefined;
  if (status >= 500) childLogger({ requestId }).error({ err: isAppError(e) ? err.message : (e as Error)?.message, code: err.code }, 'request failed');
  const body: z.infer<typeof problemSchema> = {
    type: `https://mbo.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLE[err.code],
    status,
    code: err.code,
    detail: err.message,
    requestId,
    ...(Array.isArray(err.details?.fields) ? { errors: err.details.fields as { path: string; message: string }[] } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (err.code === 'RATE_LIMITED' && typeof err.details?.retryAfterSeconds === 'number') headers['retry-after'] = String(err.details.retryAfterSeconds);
  return c.body(JSON.stringify(body), status, headers);
}
