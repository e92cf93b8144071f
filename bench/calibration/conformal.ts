// The pure pieces of the interval calibration (core/analytics/calibration.ts) that bench/calibration/run.ts
// recomputes: the normalised score, the split-conformal quantile, and the choice of the model discrepancy τ.

/** A prediction of an expected outcome checked against the truth: the model's mean and sd, and which budget (× today). */
export interface Check {
  factor: number;
  mean: number;
  sd: number;
  truth: number;
}

/** The predictive sd with a relative model discrepancy τ (calibration.ts predictiveSd, at any τ). */
export const predictiveSdAt = (tau: number, mean: number, sd: number): number => Math.sqrt(sd * sd + (tau * mean) ** 2);

/** The normalised score |truth − mean| / s of a check at τ (Infinity when s is 0 and the mean misses). */
export function score(tau: number, c: Check): number {
  const s = predictiveSdAt(tau, c.mean, c.sd);
  const miss = Math.abs(c.truth - c.mean);
  return s > 0 ? miss / s : miss > 0 ? Infinity : 0;
}

/**
 * The split-conformal quantile at `level`: the ⌈(n+1)·level⌉-th smallest of n calibration scores (Infinity when
 * that rank is beyond n: too few scores for the level). With it, a new exchangeable score is ≤ q with probability ≥ level.
 */
export function conformalQuantile(scores: readonly number[], level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`an interval level is between 0 and 1, got ${level}`);
  if (!scores.length) throw new RangeError('no calibration scores');
  const rank = Math.ceil((scores.length + 1) * level - 1e-9);
  if (rank > scores.length) return Infinity;
  return [...scores].sort((a, b) => a - b)[rank - 1]!;
}

/** Share of checks whose truth lies within mean ± q·s at τ. */
export function coverageAt(checks: readonly Check[], tau: number, q: number): number {
  if (!checks.length) return Number.NaN;
  return checks.filter((c) => score(tau, c) <= q).length / checks.length;
}

export interface TauRow {
  tau: number;
  /** Per level: the conformal quantile on all checks, and the coverage it gives at today's budget and away from it. */
  levels: { level: number; q: number; today: number; away: number }[];
  /** Mean over the levels of |coverage today − coverage away|: what τ is chosen to make small. */
  gap: number;
}

/** The calibration at one τ: conformal quantiles over all checks, coverage at today's budget (factor 1) and away. */
export function calibrateAt(checks: readonly Check[], tau: number, levels: readonly number[]): TauRow {
  const scores = checks.map((c) => score(tau, c));
  const today = checks.filter((c) => c.factor === 1);
  const away = checks.filter((c) => c.factor !== 1);
  const rows = levels.map((level) => {
    const q = conformalQuantile(scores, level);
    return { level, q, today: coverageAt(today, tau, q), away: coverageAt(away, tau, q) };
  });
  return { tau, levels: rows, gap: rows.reduce((a, r) => a + Math.abs(r.today - r.away), 0) / rows.length };
}

/**
 * τ as calibration.ts chose it: the value on the grid that makes coverage alike at today's budget and away from it
 * (smallest mean gap over the levels; the smaller τ on a tie). Returns every grid row too, for printing.
 */
export function chooseTau(checks: readonly Check[], levels: readonly number[], grid: readonly number[]): { best: TauRow; rows: TauRow[] } {
  if (!checks.some((c) => c.factor === 1) || !checks.some((c) => c.factor !== 1))
    throw new RangeError('choosing τ needs checks at today’s budget (factor 1) and away from it');
  const rows = grid.map((tau) => calibrateAt(checks, tau, levels));
  let best = rows[0]!;
  for (const r of rows) if (r.gap < best.gap - 1e-12) best = r;
  return { best, rows };
}
