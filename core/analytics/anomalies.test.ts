import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../dates.js';
import { detectAnomalies, type DailyRow } from './anomalies.js';

/** Five weeks with a strong weekend pattern and mild noise (deterministic). */
function series(days = 35): DailyRow[] {
  let seed = 3;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  return Array.from({ length: days }, (_, i) => {
    const date = addDays('2026-10-01', i);
    const weekend = dayOfWeek(date) === 0 || dayOfWeek(date) === 6;
    const spend = (weekend ? 600 : 1000) * (1 + 0.03 * r());
    const clicks = Math.round(spend * 2);
    const conversions = Math.round((weekend ? 18 : 40) * (1 + 0.1 * r()));
    return { date, spend, clicks, conversions };
  });
}

describe('detectAnomalies', () => {
  it('does not flag normal weekly seasonality', () => {
    const rows = series();
    expect(detectAnomalies(rows, { days: 7 })).toEqual([]);
  });

  it('flags a spend spike with severity and a sentence', () => {
    const rows = series();
    rows[rows.length - 1] = { ...rows[rows.length - 1]!, spend: rows[rows.length - 1]!.spend * 1.8 };
    const [a] = detectAnomalies(rows, { label: 'Brand Search' });
    expect(a).toBeDefined();
    expect(a!.metric).toBe('spend');
    expect(a!.direction).toBe('up');
    expect(a!.severity).toBe('critical');
    expect(a!.message).toMatch(/^Spend for Brand Search on \w+day 2026-11-04 was [\d,.]+, 8\d% above the usual/);
  });

  it('calls zero conversions against a healthy baseline a tracking problem', () => {
    const rows = series();
    rows[rows.length - 1] = { ...rows[rows.length - 1]!, conversions: 0 };
    const found = detectAnomalies(rows);
    const dead = found.find((a) => a.metric === 'conversions')!;
    expect(dead.severity).toBe('critical');
    expect(dead.message).toMatch(/tracking may be broken/);
  });

  it('flags a CPA jump and a conversion-rate drop when conversions halve at the same spend', () => {
    const rows = series();
    const last = rows[rows.length - 1]!;
    rows[rows.length - 1] = { ...last, conversions: Math.round(last.conversions / 2.2) };
    const metrics = detectAnomalies(rows).map((a) => `${a.metric}:${a.direction}`);
    expect(metrics).toContain('cpa:up');
    expect(metrics).toContain('conversion_rate:down');
  });

  it('a baseline of zero has no scale: the sentence says so without "Infinity deviations"', () => {
    // A campaign that never converted (conversions and conversion rate 0 every day) converts once.
    const rows = series().map((r) => ({ ...r, conversions: 0 }));
    rows[rows.length - 1] = { ...rows[rows.length - 1]!, conversions: 5 };
    const found = detectAnomalies(rows);
    expect(found.length).toBeGreaterThan(0);
    for (const a of found) expect(a.message).not.toMatch(/Infinity|NaN/);
  });
});
