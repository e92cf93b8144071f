// What happened after a plan was applied: the realised objective per day over the days after the apply date, next
// to what the plan predicted (with its interval) and to the same number of days just before. Pure: the daily
// metrics come in already converted into the plan's report currency.
import { addDays, type IsoDate } from '../dates.js';
import type { Estimate } from './optimize.js';
import type { Scenario } from './scenario.js';

export interface OutcomeRow {
  date: IsoDate;
  /** Report currency. */
  spend: number;
  revenue: number;
  conversions: number;
}

export interface RealisedOutcome {
  status: 'not-applied' | 'waiting' | 'partial' | 'complete';
  /** Full days after the apply date that have data (at most `windowDays`). */
  days: number;
  windowDays: number;
  appliedOn: IsoDate | null;
  predictedPerDay: Estimate;
  /** The plan's prediction for today's budgets (what doing nothing would have given). */
  predictedAtCurrent: number;
  realisedPerDay: number | null;
  /** The same number of days just before the apply date. */
  beforePerDay: number | null;
  withinInterval: boolean | null;
}

export function objectiveValue(objective: Scenario['objective'], margin: number | null, r: { spend: number; revenue: number; conversions: number }): number {
  if (objective === 'conversions') return r.conversions;
  if (objective === 'profit') return (margin ?? 0) * r.revenue - r.spend;
  return r.revenue;
}

function perDay(objective: Scenario['objective'], margin: number | null, rows: OutcomeRow[], from: IsoDate, to: IsoDate, days: number): number | null {
  if (days <= 0) return null;
  let total = 0;
  for (const r of rows) if (r.date >= from && r.date <= to) total += objectiveValue(objective, margin, r);
  return total / days;
}

/**
 * `rows`: the plan's campaigns' days (any order, several campaigns per day); `lastDay`: the latest day with data.
 * The apply day itself is left out (budgets changed during it).
 */
export function realisedOutcome(q: {
  objective: Scenario['objective'];
  margin: number | null;
  predicted: Estimate;
  predictedAtCurrent: number;
  appliedOn: IsoDate | null;
  lastDay: IsoDate | null;
  rows: OutcomeRow[];
  windowDays?: number;
}): RealisedOutcome {
  const windowDays = q.windowDays ?? 7;
  const base = {
    windowDays,
    appliedOn: q.appliedOn,
    predictedPerDay: q.predicted,
    predictedAtCurrent: q.predictedAtCurrent,
  };
  if (!q.appliedOn) return { ...base, status: 'not-applied', days: 0, realisedPerDay: null, beforePerDay: null, withinInterval: null };
  const first = addDays(q.appliedOn, 1);
  const daysWithData = new Set(q.rows.filter((r) => r.date >= first && (!q.lastDay || r.date <= q.lastDay)).map((r) => r.date));
  const days = Math.min(windowDays, daysWithData.size);
  if (!days) return { ...base, status: 'waiting', days: 0, realisedPerDay: null, beforePerDay: null, withinInterval: null };
  const last = addDays(first, days - 1);
  const realised = perDay(q.objective, q.margin, q.rows, first, last, days)!;
  const before = perDay(q.objective, q.margin, q.rows, addDays(q.appliedOn, -days), addDays(q.appliedOn, -1), days);
  return {
    ...base,
    status: days >= windowDays ? 'complete' : 'partial',
    days,
    realisedPerDay: realised,
    beforePerDay: before,
    withinInterval: realised >= q.predicted.low && realised <= q.predicted.high,
  };
}
