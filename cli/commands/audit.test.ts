// `mbo audit --since`: relative periods and dates become the ISO times the audit schema takes.
import { describe, expect, it } from 'vitest';
import { sinceTime } from './audit.js';

describe('sinceTime', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('turns 30m / 24h / 7d into that long before now, a date into its UTC start, and leaves the rest to the schema', () => {
    expect(sinceTime('30m', now)).toBe('2026-06-01T11:30:00.000Z');
    expect(sinceTime('24h', now)).toBe('2026-05-31T12:00:00.000Z');
    expect(sinceTime('7d', now)).toBe('2026-05-25T12:00:00.000Z');
    expect(sinceTime('2026-05-01', now)).toBe('2026-05-01T00:00:00Z');
    expect(sinceTime('2026-05-01T08:00:00+02:00', now)).toBe('2026-05-01T08:00:00+02:00');
    expect(sinceTime('yesterday', now)).toBe('yesterday');
    expect(sinceTime(undefined, now)).toBeUndefined();
  });
});
