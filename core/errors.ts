// One application error with a stable code. Every door maps codes once — HTTP problem+json (api/problem.ts),
// CLI exit code (cli/output.ts), MCP tool error — and nothing else is thrown across a module boundary for
// expected failures.
export const APP_ERROR_CODES = [
  'INVALID_INPUT', // the input does not match its schema (HTTP 400)
  'VALIDATION', // well-formed, but the domain refuses it: a budget equal to today's, a campaign with no budget (422)
  'UNAUTHENTICATED', // no credential, or a bad, expired or revoked one (401)
  'FORBIDDEN', // the actor's role does not allow it (403)
  'NOT_FOUND', // unknown, or in another workspace (404)
  'CONFLICT', // the state does not allow it: already decided, four-eyes, a duplicate (409)
  'PAYLOAD_TOO_LARGE', // (413)
  'UNSUPPORTED_MEDIA_TYPE', // (415)
  'RATE_LIMITED', // (429)
  'STACK_NOT_RUNNING', // the database or Temporal is not reachable (503)
  'TRANSIENT', // try again (503)
  'CONFIG_INVALID', // (500: the operator's to fix)
  'INTERNAL', // (500)
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The HTTP status of each code: the API's problem+json, and the web app's form answers, use this one table. */
export const HTTP_STATUS: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503> = {
  INVALID_INPUT: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  STACK_NOT_RUNNING: 503,
  TRANSIENT: 503,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};

/** The code of an HTTP status another layer answered with (Hono's own refusals; the API's answers as the CLI reads them). */
export const CODE_FOR_HTTP_STATUS: Partial<Record<number, AppErrorCode>> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION',
  429: 'RATE_LIMITED',
};
