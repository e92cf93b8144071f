// The two rule-based plans MBO is measured against: today's budgets scaled to the new total (what a careful
// planner does without a model) and budgets proportional to recent ROAS (what rule-based tools do).
import { bounds, type Scenario } from './scenario.js';
import { scaledCurrent } from './optimize.js';

export function scaleCurrentPlan(s: Scenario): Record<string, number> {
  const b = scaledCurrent(s);
  return Object.fromEntries(s.campaigns.map((c, i) => [c.id, b[i]!]));
}

/** Budget ∝ ROAS of the last 14 days, clipped to each campaign's bounds, the total spread by water-filling. */
export function roasProportionalPlan(s: Scenario, days = 14): Record<string, number> {
  const weight = s.campaigns.map((c) => {
    const recent = [...c.history].sort((a, b) => (a.date < b.date ? -1 : 1)).slice(-days);
    const spend = recent.reduce((a, r) => a + r.spend, 0);
    const value = recent.reduce((a, r) => a + (s.objective === 'conversions' ? r.conversions : r.revenue), 0);
    return spend > 0 ? value / spend : 0;
  });
  const bs = s.campaigns.map((c) => bounds(s, c));
  const at = (f: number) => bs.map(([lo, hi], i) => Math.min(hi, Math.max(lo, weight[i]! * f)));
  let lo = 0;
  let hi = 1;
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  while (sum(at(hi)) < s.constraints.totalDailyBudget && hi < 1e12) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const m = (lo + hi) / 2;
    if (sum(at(m)) > s.constraints.totalDailyBudget) hi = m;
    else lo = m;
  }
  const b = at(lo);
  return Object.fromEntries(s.campaigns.map((c, i) => [c.id, b[i]!]));
}
