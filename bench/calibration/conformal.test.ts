import { describe, expect, it } from 'vitest';
import { calibrateAt, chooseTau, conformalQuantile, coverageAt, predictiveSdAt, score, type Check } from './conformal.js';

describe('conformal calibration pieces', () => {
  it('takes the ⌈(n+1)·level⌉-th smallest score, Infinity when there are too few', () => {
    const scores = [5, 1, 4, 2, 3, 9, 7, 6, 8, 10]; // n = 10, unsorted
    expect(conformalQuantile(scores, 0.5)).toBe(6); // ⌈5.5⌉ = 6
    expect(conformalQuantile(scores, 0.8)).toBe(9); // ⌈8.8⌉ = 9
    expect(conformalQuantile(scores, 0.9)).toBe(10); // ⌈9.9⌉ = 10
    expect(conformalQuantile(scores, 0.95)).toBe(Infinity); // ⌈10.45⌉ = 11 > n
    expect(conformalQuantile([0.3], 0.4)).toBe(0.3);
    expect(scores).toEqual([5, 1, 4, 2, 3, 9, 7, 6, 8, 10]); // left as it was
    expect(() => conformalQuantile(scores, 1)).toThrow(RangeError);
    expect(() => conformalQuantile([], 0.8)).toThrow(RangeError);
  });

  it('covers a new exchangeable score at least at the level (uniform scores)', () => {
    const n = 999;
    const scores = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    for (const level of [0.5, 0.8, 0.9]) expect(conformalQuantile(scores, level)).toBeGreaterThanOrEqual(level);
  });

  it('normalises the miss by the model sd with τ·mean added in quadrature', () => {
    expect(predictiveSdAt(0.1, 100, 0)).toBeCloseTo(10, 12);
    expect(predictiveSdAt(0, 100, 3)).toBe(3);
    expect(score(0.1, { factor: 1, mean: 100, sd: 0, truth: 115 })).toBeCloseTo(1.5, 12);
    expect(score(0, { factor: 1, mean: 0, sd: 0, truth: 0 })).toBe(0);
    expect(score(0, { factor: 1, mean: 0, sd: 0, truth: 1 })).toBe(Infinity);
  });

  it('chooses the τ that makes coverage alike at today’s budget and away from it', () => {
    // Today's misses are uniform on 0…16 % of the mean with a tiny model sd; away from today on 0…20 % with an sd of
    // 10 %. With τ = 0 today's scores are huge (never covered at a quantile the rest set). The score distributions
    // are alike when 16/√(0.5² + (100τ)²) = 20/√(10² + (100τ)²), i.e. τ = √(25500/1.44e6) ≈ 0.133.
    const checks: Check[] = [];
    for (let i = 0; i < 200; i++) {
      const u = ((i % 100) + 0.5) / 100; // spread the misses evenly, 0 … 1
      checks.push({ factor: 1, mean: 100, sd: 0.5, truth: 100 + 8 * 2 * u });
      checks.push({ factor: i % 2 ? 0.6 : 1.5, mean: 100, sd: 10, truth: 100 + 10 * 2 * u });
    }
    const levels = [0.5, 0.8, 0.9];
    const grid = Array.from({ length: 31 }, (_, i) => i * 0.01);
    const { best, rows } = chooseTau(checks, levels, grid);
    expect(rows).toHaveLength(31);
    expect(rows[0]!.gap).toBeGreaterThan(0.3);
    expect(best.gap).toBeLessThan(0.1);
    expect(Math.abs(best.tau - Math.sqrt(25500 / 1.44e6))).toBeLessThanOrEqual(0.015);
    const row = calibrateAt(checks, best.tau, levels);
    expect(row.levels.map((l) => l.q)).toEqual(best.levels.map((l) => l.q));
    // On the checks it was fitted to, the conformal quantile covers at least the level overall.
    for (const l of row.levels) expect(coverageAt(checks, best.tau, l.q)).toBeGreaterThanOrEqual(l.level);
    expect(() =>
      chooseTau(
        checks.filter((c) => c.factor === 1),
        levels,
        grid,
      ),
    ).toThrow(/today/);
  });
});
