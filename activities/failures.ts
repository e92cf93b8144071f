// The one place connector errors become Temporal failures: permanent ones are non-retryable (fail fast with
// the reason), rate limits are retried after the platform's retry-after, everything else with backoff.
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorError, RateLimitError } from '../connectors/errors.js';
import { isAppError } from '../core/errors.js';

export function toFailure(e: unknown): unknown {
  if (e instanceof RateLimitError) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nextRetryDelay: e.retryAfterMs });
  }
  if (e instanceof ConnectorError) {
    return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: !e.retryable });
  }
  if (isAppError(e) && (e.code === 'VALIDATION' || e.code === 'NOT_FOUND' || e.code === 'CONFIG_INVALID')) {
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
