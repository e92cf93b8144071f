import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError } from '../connectors/errors.js';
import { toFailure, waitOutRateLimits } from './failures.js';

describe('toFailure', () => {
  it('makes auth errors non-retryable', () => {
    const f = toFailure(new AuthError('token expired')) as ApplicationFailure;
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe('AuthError');
    expect(f.nonRetryable).toBe(true);
  });
  it('carries the retry-after of a rate limit', () => {
    const f = toFailure(new RateLimitError('slow down', 2500)) as ApplicationFailure;
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBe(2500);
  });
  it('keeps transient errors retryable', () => {
    expect((toFailure(new TransientError('503')) as ApplicationFailure).nonRetryable).toBe(false);
  });
});

describe('non-retryable application errors', () => {
  it('fails conflicts and permission errors at once, with their code as the type (one list: workflows/errors.ts)', async () => {
    const { AppError } = await import('../core/errors.js');
    const f = toFailure(new AppError('CONFLICT', 'request is applied')) as ApplicationFailure;
    expect(f.type).toBe('CONFLICT');
    expect(f.nonRetryable).toBe(true);
    expect(toFailure(new AppError('TRANSIENT', 'db restarting'))).toBeInstanceOf(AppError);
  });
});

describe('waitOutRateLimits (a 429 storm does not use up attempts)', () => {
  /** A fake clock: sleeping moves it forward. */
  function clock(start = 1_000_000) {
    let t = start;
    const beats: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
      heartbeat: () => beats.push(t),
      beats,
    };
  }

  it('waits each retry-after out inside the attempt and returns the answer once the storm ends', async () => {
    const c = clock();
    let calls = 0;
    // Two minutes of 429s with retry-after 2 s, then an answer.
    const call = async () => {
      calls++;
      if (c.now() < 1_000_000 + 120_000) throw new RateLimitError('429', 2_000, 'google_ads');
      return 'page';
    };
    const r = await waitOutRateLimits(call, { scheduledAtMs: c.now(), budgetMs: 20 * 60_000, attemptDeadlineMs: c.now() + 29 * 60_000, ...c });
    expect(r).toBe('page');
    expect(calls).toBe(61);
    // heartbeats at least every 5 s while waiting
    const gaps = c.beats.slice(1).map((b, i) => b - c.beats[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5_000);
  });

  it('gives up for good once the time budget (from the first scheduling, across attempts) is spent', async () => {
    const c = clock();
    const scheduledAtMs = c.now() - 19 * 60_000; // an earlier attempt already spent 19 min
    const call = async () => {
      throw new RateLimitError('429', 30_000, 'meta');
    };
    const e = (await waitOutRateLimits(call, { scheduledAtMs, budgetMs: 20 * 60_000, attemptDeadlineMs: c.now() + 29 * 60_000, ...c }).catch(
      (x) => x,
    )) as ApplicationFailure;
    expect(e).toBeInstanceOf(ApplicationFailure);
    expect(e.nonRetryable).toBe(true);
    expect(e.type).toBe('RateLimitError');
    expect(e.message).toMatch(/budget of 20 min/);
    expect(c.now() - scheduledAtMs).toBeLessThanOrEqual(20 * 60_000);
  });

  it("hands a wait that would outlast this attempt's deadline to Temporal (retry after the platform's delay)", async () => {
    const c = clock();
    const call = async () => {
      throw new RateLimitError('429', 90_000, 'meta');
    };
    const e = await waitOutRateLimits(call, { scheduledAtMs: c.now(), budgetMs: 20 * 60_000, attemptDeadlineMs: c.now() + 60_000, ...c }).catch((x) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((toFailure(e) as ApplicationFailure).nextRetryDelay).toBe(90_000);
  });

  it('throws other errors unchanged: real failures stay bounded by the retry policy', async () => {
    const c = clock();
    let calls = 0;
    const call = async () => {
      calls++;
      throw new TransientError('503');
    };
    await expect(waitOutRateLimits(call, { scheduledAtMs: c.now(), budgetMs: 60_000, attemptDeadlineMs: c.now() + 60_000, ...c })).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(calls).toBe(1);
  });
});
