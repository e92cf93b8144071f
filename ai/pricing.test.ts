import { describe, expect, it } from 'vitest';
import { costUsd } from './pricing.js';

describe('costUsd', () => {
  it('prices tokens exactly, with cache writes at 1.25× and reads at 0.1× input', () => {
    // Sonnet: $3 in, $15 out per million. 1,000 in + 200 out = 0.003 + 0.003 = 0.006.
    expect(costUsd('claude-sonnet-4-5', { inputTokens: 1000, outputTokens: 200, cacheCreationTokens: 0, cacheReadTokens: 0 })).toBe('0.006000000');
    // 1 cached-write token (3.75 µ$) + 1 cached-read token (0.3 µ$) + 1 in (3 µ$) = 7.05 µ$.
    expect(costUsd('claude-sonnet-4-5-20250929', { inputTokens: 1, outputTokens: 0, cacheCreationTokens: 1, cacheReadTokens: 1 })).toBe('0.000007050');
    expect(costUsd('claude-opus-4-1', { inputTokens: 1_000_000, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 })).toBe('15.000000000');
    expect(costUsd('claude-opus-4-5', { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheCreationTokens: 0, cacheReadTokens: 0 })).toBe('30.000000000');
    expect(costUsd('claude-3-haiku-20240307', { inputTokens: 3, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 })).toBe('0.000000750');
    expect(costUsd('some-other-model', { inputTokens: 1, outputTokens: 1, cacheCreationTokens: 0, cacheReadTokens: 0 })).toBeNull();
  });
});
