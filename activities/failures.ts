// The one place errors thrown by activities become Temporal failures: permanent connector errors and the
// non-retryable application errors (workflows/errors.ts, the one list) fail fast with the reason, rate limits are
// retried after the platform's retry-after, everything else with backoff. Long-running platform walks (sync) wait
// rate limits out inside the activity under a time budget (waitOutRateLimits), so a storm of 429s does not use up
// the attempts meant for real failures.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorError, RateLimitError } from '../connectors/errors.js';
import { isAppError } from '../core/errors.js';
import { INTEGRITY_ERRORS, NON_RETRYABLE_APP_ERRORS } from '../workflows/errors.js';

/**
 * Counts a platform's error on the worker's metrics endpoint (the Temporal SDK's meter: exported with its own
 * metrics, tagged with the activity and task queue) as `mbo_platform_call_errors{platform, kind}`.
 */
export function countPlatformError(e: ConnectorError): void {
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

export interface RateLimitBudget {
  /** When the activity was first scheduled (Info.scheduledTimestampMs): the budget spans every attempt. */
  scheduledAtMs: number;
  /** How long rate limits may be waited out in all, from the first scheduling. */
  budgetMs: number;
  /** The latest moment this attempt may still be sleeping (its start-to-close deadline less a margin). */
  attemptDeadlineMs: number;
  /** Keeps the activity alive while it waits (called at least every `heartbeatEveryMs`). */
  heartbeat: () => void;
  heartbeatEveryMs?: number;
  now?: () => number;
  /** Sleeps, or rejects when the activity is cancelled (Context.sleep). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * Runs one platform call; when it answers with a rate limit, waits the platform's retry-after (heartbeating) and
 * calls again — without failing the attempt — as long as the wait ends within the time budget (counted from the
 * activity's first scheduling, across attempts) and before this attempt's deadline. Past the budget the rate limit
 * fails the activity for good (non-retryable, with how long it was waited). Other errors are thrown unchanged, so
 * real failures stay bounded by the retry policy's attempts. Each 429 is still counted in the metrics.
 */
export async function waitOutRateLimits<T>(call: () => Promise<T>, b: RateLimitBudget): Promise<T> {
  const now = b.now ?? Date.now;
  const every = b.heartbeatEveryMs ?? 5_000;
  for (;;) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof RateLimitError)) throw e;
      const wait = Math.max(0, e.retryAfterMs);
      const t = now();
      const budgetEnds = b.scheduledAtMs + b.budgetMs;
      if (t + wait > budgetEnds) {
        countPlatformError(e);
        throw ApplicationFailure.create({
          type: e.name,
          nonRetryable: true,
          message: `${e.message}; rate limited past the sync's budget of ${Math.round(b.budgetMs / 60_000)} min (since ${new Date(b.scheduledAtMs).toISOString()}): giving up`,
        });
      }
      // This attempt would time out while sleeping: let Temporal schedule the next attempt after the retry-after
      // (it uses one attempt, which only happens once per start-to-close period).
      if (t + wait > b.attemptDeadlineMs) throw e;
      countPlatformError(e);
      for (let left = wait; left > 0; left -= every) {
        b.heartbeat();
        await b.sleep(Math.min(every, left));
      }
      b.heartbeat();
    }
  }
}
