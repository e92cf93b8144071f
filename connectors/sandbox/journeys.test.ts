import { describe, expect, it } from 'vitest';
import { compareModels, type Journey } from '../../core/analytics/attribution.js';
import { generateJourneys, sandboxChannels } from './journeys.js';

/** Total variation distance between two share vectors (half the L1 distance; 0 = same, 1 = disjoint). */
export function tvd(a: Record<string, number>, b: Record<string, number>): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].reduce((s, k) => s + Math.abs((a[k] ?? 0) - (b[k] ?? 0)), 0) / 2;
}
const shares = (c: Record<string, number>) => {
  const t = Object.values(c).reduce((x, y) => x + y, 0);
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / t]));
};

describe('sandbox journeys', () => {
  it('are deterministic, and data-driven models recover the known channel effects better than last touch', () => {
    const o = { seed: 7, users: 4000, end: '2026-06-01', channels: sandboxChannels('sbx') };
    const g = generateJourneys(o);
    expect(generateJourneys(o).touchpoints).toEqual(g.touchpoints);
    const byUser = new Map<string, Journey>();
    for (const t of g.touchpoints) {
      const j = byUser.get(t.userKey) ?? { touchpoints: [], converted: false };
      j.touchpoints.push({ channel: t.channel, at: t.at });
      byUser.set(t.userKey, j);
    }
    for (const c of g.conversions) byUser.get(c.userKey)!.converted = true;
    const credits = compareModels([...byUser.values()]);
    const d = Object.fromEntries(Object.entries(credits).map(([m, c]) => [m, tvd(shares(c), g.trueShare)]));
    console.log('TVD to the true shares:', JSON.stringify(d));
    expect(d.markov!).toBeLessThan(d.last_click!);
    expect(d.shapley!).toBeLessThan(d.last_click!);
  });
});
