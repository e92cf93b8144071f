import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError } from '../connectors/errors.js';
import { toFailure } from './failures.js';

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
