import { describe, expect, it } from 'vitest';
import { allocate, valueAt, type AllocationItem } from './allocate.js';

const item = (lo: number, hi: number, f: (b: number) => number, g = 64): AllocationItem => {
  const budgets = Float64Array.from({ length: lo === hi ? 1 : g }, (_, j) => (lo === hi ? lo : lo + ((hi - lo) * j) / (g - 1)));
  return { lo, hi, budgets, values: Float64Array.from(budgets, f) };
};
const total = (items: AllocationItem[], b: Float64Array) => items.reduce((a, it, i) => a + valueAt(it, b[i]!), 0);

/** Exhaustive search on a grid of `step` for 2–3 items: the ground truth for small cases. */
function bruteForce(items: AllocationItem[], budget: number, step: number): number {
  let best = -Infinity;
  const rec = (i: number, left: number, acc: number) => {
    if (i === items.length) return void (best = Math.max(best, acc));
    for (let b = items[i]!.lo; b <= Math.min(items[i]!.hi, items[i]!.lo + left) + 1e-9; b += step)
      rec(i + 1, left - (b - items[i]!.lo), acc + valueAt(items[i]!, b));
  };
  rec(0, budget - items.reduce((a, it) => a + it.lo, 0), 0);
  return best;
}

describe('allocate', () => {
  it('finds the optimum of concave curves and spends the whole budget', () => {
    const items = [item(0, 100, (b) => 50 * Math.log1p(b / 20)), item(0, 100, (b) => 80 * (1 - Math.exp(-b / 40))), item(10, 60, (b) => 2 * b)];
    const r = allocate(items, 120);
    expect(r.total).toBeCloseTo(120, 6);
    expect(total(items, r.budgets)).toBeGreaterThanOrEqual(bruteForce(items, 120, 1) - 0.5);
  });

  it('handles S-shaped curves where greedy marginal allocation fails', () => {
    const s = (h: number, c: number) => (b: number) => (c * b ** 3) / (b ** 3 + h ** 3);
    const items = [item(0, 100, s(60, 100)), item(0, 100, s(30, 40)), item(0, 100, (b) => 0.3 * b)];
    const r = allocate(items, 100);
    expect(total(items, r.budgets)).toBeGreaterThanOrEqual(bruteForce(items, 100, 1) * 0.995);
    expect(r.total).toBeLessThanOrEqual(100 + 1e-9);
  });

  it('keeps every budget within its bounds, and locked items exactly', () => {
    const items = [item(50, 50, (b) => b), item(20, 40, (b) => 10 * Math.sqrt(b)), item(0, 500, (b) => 3 * Math.sqrt(b))];
    const r = allocate(items, 200);
    expect(r.budgets[0]).toBe(50);
    items.forEach((it, i) => {
      expect(r.budgets[i]!).toBeGreaterThanOrEqual(it.lo - 1e-9);
      expect(r.budgets[i]!).toBeLessThanOrEqual(it.hi + 1e-9);
    });
    expect(r.total).toBeCloseTo(200, 6);
  });

  it('leaves budget unspent when more spend lowers the objective (profit past its optimum)', () => {
    const profit = (b: number) => 2 * 60 * Math.log1p(b / 60) - b; // optimum at b = 60
    const items = [item(0, 300, profit), item(0, 300, profit)];
    const r = allocate(items, 500);
    expect(r.total).toBeLessThan(200);
    expect(r.budgets[0]!).toBeCloseTo(60, -1);
  });

  it('allocates 10,000 items quickly and exactly to the total', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => item(0, 200, (b) => (i % 7) * 10 * Math.log1p(b / (20 + (i % 13))), 24));
    const r = allocate(items, 500_000);
    expect(r.total).toBeCloseTo(500_000, 3);
  });
});
