import { describe, expect, it } from 'vitest';
import { attribute, compareModels, type Journey } from './attribution.js';

// Known truth: each channel independently lifts the chance to convert by `lift`; "search" has the smallest
// effect but, as in real life, usually comes last (people search the brand right before buying).
const LIFT: Record<string, number> = { social: 0.09, email: 0.06, display: 0.04, video: 0.03, search: 0.015 };
const BASE = 0.005;
const ORDER: Record<string, number> = { social: 0, video: 1, display: 2, email: 3, search: 4 };
const p = (set: string[]) => 1 - (1 - BASE) * set.reduce((a, c) => a * (1 - LIFT[c]!), 1);

function journeys(n: number): { list: Journey[]; truth: Record<string, number> } {
  let seed = 11;
  const r = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const list: Journey[] = [];
  const truth: Record<string, number> = {};
  for (let u = 0; u < n; u++) {
    const set = Object.keys(LIFT).filter((c) => r() < (c === 'search' ? 0.6 : 0.35));
    if (!set.length) continue;
    const path = [...set].sort((a, b) => ORDER[a]! + r() * 1.5 - (ORDER[b]! + r() * 1.5));
    const converted = r() < p(set);
    list.push({ touchpoints: path, converted });
    // True incremental credit: exact Shapley of the real conversion probability over the user's channels.
    const k = set.length;
    const fact = (x: number): number => (x <= 1 ? 1 : x * fact(x - 1));
    for (const c of set) {
      const others = set.filter((o) => o !== c);
      let phi = 0;
      for (let m = 0; m < 1 << others.length; m++) {
        const sub = others.filter((_, b) => m & (1 << b));
        phi += ((fact(sub.length) * fact(k - sub.length - 1)) / fact(k)) * (p([...sub, c]) - p(sub));
      }
      truth[c] = (truth[c] ?? 0) + phi;
    }
  }
  return { list, truth };
}

const shares = (c: Record<string, number>) => {
  const s = Object.values(c).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v / s]));
};
const l1 = (a: Record<string, number>, b: Record<string, number>) => Object.keys(LIFT).reduce((s, k) => s + Math.abs((a[k] ?? 0) - (b[k] ?? 0)), 0);

describe('attribution', () => {
  const { list, truth } = journeys(60_000);
  const conversions = list.filter((j) => j.converted).length;

  it('every model credits exactly the conversions there were', () => {
    const all = compareModels(list);
    for (const credit of Object.values(all)) expect(Object.values(credit).reduce((a, b) => a + b, 0)).toBeCloseTo(conversions, 6);
  });

  it('data-driven models recover the true channel effects better than last click', () => {
    const t = shares(truth);
    const err = (m: Parameters<typeof attribute>[1]) => l1(shares(attribute(list, m)), t);
    expect(err('markov')).toBeLessThan(err('last_click'));
    expect(err('shapley')).toBeLessThan(err('last_click'));
    expect(err('shapley')).toBeLessThan(0.5 * err('last_click'));
    // Last click over-credits the closer; the data-driven models see through it.
    expect(shares(attribute(list, 'last_click')).search!).toBeGreaterThan(t.search! * 2);
    expect(shares(attribute(list, 'shapley')).search!).toBeLessThan(t.search! * 1.6);
  });

  it('applies the rule-based weights exactly', () => {
    const j: Journey[] = [{ touchpoints: ['a', 'b', 'c', 'd'], converted: true, value: 100 }];
    expect(attribute(j, 'last_click')).toEqual({ a: 0, b: 0, c: 0, d: 100 });
    expect(attribute(j, 'first_click')).toEqual({ a: 100, b: 0, c: 0, d: 0 });
    expect(attribute(j, 'linear')).toEqual({ a: 25, b: 25, c: 25, d: 25 });
    expect(attribute(j, 'position_based')).toEqual({ a: 40, b: 10, c: 10, d: 40 });
    const td = attribute(j, 'time_decay', { halfLife: 1 });
    expect(td.d! / td.c!).toBeCloseTo(2, 9);
    const timed: Journey[] = [
      {
        touchpoints: [
          { channel: 'a', at: '2026-11-01T00:00:00Z' },
          { channel: 'b', at: '2026-11-08T00:00:00Z' },
        ],
        converted: true,
      },
    ];
    expect(attribute(timed, 'time_decay', { halfLife: 7 })).toEqual({ a: 1 / 3, b: 2 / 3 });
  });

  it('rejects an unknown model', () => {
    expect(() => attribute(list, 'magic' as never)).toThrow(/unknown attribution model "magic"/);
  });
});
