import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, daysBetween, eachDay, isIsoDate, parseIsoDate, todayIn, validateRange } from './dates.js';
import { planSyncRange } from './sync-range.js';

describe('dates', () => {
  it('validates real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-1-1')).toBe(false);
    expect(() => parseIsoDate('2026-13-01', 'from')).toThrow(/from must be a real calendar date/);
  });
  it('does day arithmetic across month and DST boundaries', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(eachDay({ from: '2026-01-30', to: '2026-02-02' })).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(dayOfWeek('2026-11-22')).toBe(0);
  });
  it('rejects reversed ranges', () => {
    expect(() => validateRange({ from: '2026-02-02', to: '2026-02-01' })).toThrow(/after/);
  });
  it('knows the local date of an account', () => {
    const now = new Date('2026-11-24T03:00:00Z');
    expect(todayIn('UTC', now)).toBe('2026-11-24');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-11-23');
  });
});

describe('planSyncRange', () => {
  it('backfills when nothing is stored', () => {
    expect(planSyncRange({ today: '2026-11-24', backfillDays: 120, lookbackDays: 3 })).toEqual({ from: '2026-07-27', to: '2026-11-23' });
  });
  it('re-reads a lookback window after the last stored day', () => {
    expect(planSyncRange({ today: '2026-11-24', lastStoredDate: '2026-11-23', backfillDays: 120, lookbackDays: 3 })).toEqual({
      from: '2026-11-20',
      to: '2026-11-23',
    });
  });
  it('never reaches before the backfill horizon', () => {
    expect(planSyncRange({ today: '2026-11-24', lastStoredDate: '2025-01-01', backfillDays: 30, lookbackDays: 3 }).from).toBe('2026-10-25');
  });
});

describe('date bounds', () => {
  it('refuses dates outside 2000–2100, as a validation error that names the field (issue 11, finding 10)', async () => {
    const { parseIsoDate, validateRange, isDateInBounds } = await import('./dates.js');
    expect(() => validateRange({ from: '0000-01-01', to: '2026-01-01' })).toThrow(/from must be between 2000-01-01 and 2100-12-31, got "0000-01-01"/);
    expect(() => parseIsoDate('9999-12-31', 'to')).toThrow(/to must be between/);
    expect(parseIsoDate('2000-01-01')).toBe('2000-01-01');
    expect(isDateInBounds('2100-12-31')).toBe(true);
    expect(isDateInBounds('2101-01-01')).toBe(false);
  });
});
