// The one place errors thrown by activities become Temporal failures: permanent connector errors and the
// non-retryable application errors (workflows/errors.ts, the one list) fail fast with the reason, rate limits are
// retried after the platform's retry-after, everything else with backoff.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorError, RateLimitError } from '../connectors/errors.js';
import { isAppError } from '../core/errors.js';
import { INTEGRITY_ERRORS, NON_RETRYABLE_APP_ERRORS } from '../workflows/errors.js';

/**
 * Counts a platform's error on the worker's metrics endpoint (the Temporal SDK's meter: exported with its own
 * metrics, tagged with the activity and task queue) as `mbo_platform_call_errors{platform, kind}`.
 */
function countPlatformError(e: ConnectorError): void {
  try {
    Context.current()
      .metricMeter.createCounter('mbo_platform_call_errors', '1', 'Platform call errors by platform and kind (rate_limited, auth, …)')
      .add(1, { platform: e.platform ?? 'unknown', kind: e instanceof RateLimitError ? 'rate_limited' : e.name.replace(/Error$/, '').toLowerCase() });
  } catch {
    /* outside an activity (unit tests): nothing to count on */
  }
}

export function toFailure(e: unknown): unknown {
  if (e instanceof ConnectorError) countPlatformError(e);
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
