// How a refused use case reaches a page: the AppError's message and code with the HTTP status the API would use
// (the mapping mirrors api/problem.ts), so an action can show it beside the form instead of an error page.
import { data } from 'react-router';
import { isAppError, type AppErrorCode } from '../../../core/errors.ts';

const STATUS: Partial<Record<AppErrorCode, number>> = {
  INVALID_INPUT: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  STACK_NOT_RUNNING: 503,
  TRANSIENT: 503,
};

export interface ActionError {
  ok: false;
  code: string;
  message: string;
}

/** Runs a use case; an AppError becomes `{ ok: false, code, message }` with its status, anything else rethrows. */
export async function attempt<T>(fn: () => Promise<T>): Promise<T | ReturnType<typeof data<ActionError>>> {
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e)) return data({ ok: false as const, code: e.code, message: e.message }, { status: STATUS[e.code] ?? 500 });
    throw e;
  }
}

export function failure(e: unknown) {
  if (isAppError(e)) return data({ ok: false as const, code: e.code, message: e.message }, { status: STATUS[e.code] ?? 500 });
  throw e;
}
