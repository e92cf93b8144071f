// The one place errors thrown by activities become Temporal failures: permanent connector errors and the
// non-retryable application errors (workflows/errors.ts, the one list) fail fast with the reason, rate limits are
// retried after the platform's retry-after, everything else with backoff.
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorError, RateLimitError } from '../connectors/errors.js';
import { isAppError } from '../core/errors.js';
import { INTEGRITY_ERRORS, NON_RETRYABLE_APP_ERRORS } from '../workflows/errors.js';

export function toFailure(e: unknown): unknown {
  if (e instanceof RateLimitError) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nextRetryDelay: e.retryAfterMs });
  }
  if (e instanceof ConnectorError) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: !e.retryable });
  }
  if (isAppError(e) && (NON_RETRYABLE_APP_ERRORS as readonly string[]).includes(e.code)) {
    return ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true });
  }
  return e;
}

export async function mapFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toFailure(e);
  }
}

/** A refusal that protects an approved change (see workflows/errors.ts): never retried, its message says why. */
export function integrityFailure(type: (typeof INTEGRITY_ERRORS)[number], message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}
