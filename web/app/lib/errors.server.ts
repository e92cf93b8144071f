// How a refused use case reaches a page: the AppError's message and code with the HTTP status the API would use
// (core/errors.ts HTTP_STATUS, the API's own table), so an action can show it beside the form instead of an error page.
import { data } from 'react-router';
import { HTTP_STATUS, isAppError } from '../../../core/errors.ts';

const STATUS = HTTP_STATUS; // the API's table (core/errors.ts)

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
