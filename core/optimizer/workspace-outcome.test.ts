import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.js';
import { realisedOutcome, type OutcomeRow } from './workspace-outcome.js';

const rows: OutcomeRow[] = Array.from({ length: 20 }, (_, d) => [
  { date: addDays('2026-06-01', d), spend: 100, revenue: d < 10 ? 300 : 400, conversions: 3 },
  { date: addDays('2026-06-01', d), spend: 50, revenue: 100, conversions: 1 },
]).flat();
const predicted = { value: 480, low: 430, high: 530 };

describe('realisedOutcome', () => {
  it('is "not applied" without an apply date and "waiting" before a full day has passed', () => {
    expect(
      realisedOutcome({ objective: 'revenue', margin: null, predicted, predictedAtCurrent: 400, appliedOn: null, lastDay: '2026-06-20', rows }).status,
    ).toBe('not-applied');
    const w = realisedOutcome({ objective: 'revenue', margin: null, predicted, predictedAtCurrent: 400, appliedOn: '2026-06-20', lastDay: '2026-06-20', rows });
    expect(w).toMatchObject({ status: 'waiting', days: 0, realisedPerDay: null });
  });

  it('averages the days after the apply date (the apply day left out) next to the days before', () => {
    // Applied on June 10 (index 9): the 7 days after are June 11-17, all at 400 + 100; the 7 before at 300 + 100.
    const o = realisedOutcome({ objective: 'revenue', margin: null, predicted, predictedAtCurrent: 400, appliedOn: '2026-06-10', lastDay: '2026-06-20', rows });
    expect(o).toMatchObject({ status: 'complete', days: 7, realisedPerDay: 500, beforePerDay: 400, withinInterval: true });
    const partial = realisedOutcome({
      objective: 'revenue',
      margin: null,
      predicted,
      predictedAtCurrent: 400,
      appliedOn: '2026-06-17',
      lastDay: '2026-06-20',
      rows,
    });
    expect(partial).toMatchObject({ status: 'partial', days: 3 });
  });

  it('uses the objective: conversions and profit with its margin', () => {
    const c = realisedOutcome({ objective: 'conversions', margin: null, predicted, predictedAtCurrent: 4, appliedOn: '2026-06-10', lastDay: null, rows });
    expect(c.realisedPerDay).toBe(4);
    expect(c.withinInterval).toBe(false);
    const p = realisedOutcome({ objective: 'profit', margin: 0.5, predicted, predictedAtCurrent: 0, appliedOn: '2026-06-10', lastDay: null, rows });
    expect(p.realisedPerDay).toBe(0.5 * 500 - 150);
  });
});
