import { describe, expect, it } from 'vitest';
import { MODEL_DISCREPANCY, predictiveSd, SCORE_QUANTILES, scoreQuantile, zFor } from './calibration.js';

describe('interval calibration', () => {
  it('reads the conformal quantile at the calibrated levels and interpolates between them', () => {
    expect(scoreQuantile(0.8)).toBeCloseTo(1.014, 9);
    expect(scoreQuantile(0.9)).toBeCloseTo(1.42, 9);
    expect(scoreQuantile(0.825)).toBeCloseTo((1.014 + 1.225) / 2, 9);
  });

  it('increases with the level, also beyond the table (scaled like the normal quantile)', () => {
    const levels = [0.1, 0.3, 0.5, 0.55, 0.7, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999];
    const qs = levels.map(scoreQuantile);
    for (let i = 1; i < qs.length; i++) expect(qs[i]!).toBeGreaterThan(qs[i - 1]!);
    expect(scoreQuantile(0.999)).toBeCloseTo((2.68 * zFor(0.999)) / zFor(0.99), 9);
    for (let i = 1; i < SCORE_QUANTILES.length; i++) expect(SCORE_QUANTILES[i]![1]).toBeGreaterThan(SCORE_QUANTILES[i - 1]![1]);
  });

  it('refuses a level outside (0, 1)', () => {
    for (const bad of [0, 1, -0.2, 2, Number.NaN]) expect(() => scoreQuantile(bad)).toThrow(RangeError);
  });

  it('adds the relative model discrepancy to the model sd in quadrature', () => {
    expect(predictiveSd(100, 0)).toBeCloseTo(100 * MODEL_DISCREPANCY, 9);
    expect(predictiveSd(0, 3)).toBe(3);
    expect(predictiveSd(100, 5)).toBeCloseTo(Math.sqrt(25 + (100 * MODEL_DISCREPANCY) ** 2), 9);
    expect(zFor(0.9)).toBeCloseTo(1.645, 3);
  });
});
