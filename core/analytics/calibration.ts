// Calibrated intervals for the expected outcome of a response model (issue 12: intervals that contain the truth at
// the stated rate, measured). The optimizer's model states how uncertain its curve is *if the curve family is
// right*; measured against the sandbox's truth that sd is too small (80% intervals covered 0.59 of what-ifs and
// about 0.5 of 14-day forecasts): the grid only approximates the true curve, and the error that leaves at today's
// spend is a level error of a few percent that no amount of data shrinks.
//
// Method — split-conformal calibration with a normalised score:
//   predictive sd  s = √(sd² + (τ·mean)²)   (model sd plus a relative model-discrepancy term τ)
//   score          |truth − mean| / s
//   interval       mean ± q(level)·s, with q(level) the conformal quantile (the ⌈(n+1)·level⌉-th smallest score)
//                  of the scores of a calibration set.
// The calibration set: 304 simulated campaigns (sandbox generator seeds 11–18, 120 days of history, fitted and
// given peer priors exactly as services/forecasts does; budgets 0.6, 1 and 1.5× today: 912 scores), none of them
// the seed the e2e test measures on (7). τ = 0.10 was chosen on that set as the value that makes coverage alike
// at today's budget and away from it (τ = 0 over-covers 0.6×/1.5× and under-covers 1×). Held out (seeds 21–22,
// 76 campaigns) the 80%/90% intervals covered 0.75–0.79 / 0.88–0.95. Reproduced by bench/calibration/run.ts (npm run bench:calibration).
// Limit: calibrated against the sandbox's generator; on real platforms the same score would be collected by
// backtesting each campaign's own history.

/** The relative model discrepancy τ added (in quadrature) to the model's sd of the expected outcome. */
export const MODEL_DISCREPANCY = 0.1;

/** Conformal quantiles of the normalised score on the calibration set, by interval level (increasing). */
export const SCORE_QUANTILES: readonly (readonly [level: number, q: number])[] = [
  [0.5, 0.492],
  [0.6, 0.622],
  [0.7, 0.773],
  [0.75, 0.883],
  [0.8, 1.014],
  [0.85, 1.225],
  [0.9, 1.42],
  [0.95, 1.804],
  [0.975, 2.289],
  [0.99, 2.68],
];

/** The two-sided normal quantile for a central interval of probability `level` (0.9 → 1.645; Acklam's approximation). */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`an interval level is between 0 and 1, got ${level}`);
  const p = 0.5 + level / 2;
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  if (p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * The multiplier of the predictive sd for a central interval at `level`: the calibration table, linear between
 * its levels; beyond its ends, the nearest end scaled like the normal quantile.
 */
export function scoreQuantile(level: number): number {
  const z = zFor(level); // validates the level
  const first = SCORE_QUANTILES[0]!;
  const last = SCORE_QUANTILES[SCORE_QUANTILES.length - 1]!;
  if (level <= first[0]) return (first[1] * z) / zFor(first[0]);
  if (level >= last[0]) return (last[1] * z) / zFor(last[0]);
  let i = 1;
  while (SCORE_QUANTILES[i]![0] < level) i++;
  const [l0, q0] = SCORE_QUANTILES[i - 1]!;
  const [l1, q1] = SCORE_QUANTILES[i]!;
  return q0 + ((q1 - q0) * (level - l0)) / (l1 - l0);
}

/** The predictive sd of an expected outcome: the model's sd with the relative model discrepancy added. */
export function predictiveSd(mean: number, sd: number): number {
  return Math.sqrt(sd * sd + (MODEL_DISCREPANCY * mean) ** 2);
}
