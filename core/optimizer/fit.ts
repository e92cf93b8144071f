// Fits how one campaign's daily conversions respond to spend, from its daily history. Bayesian model averaging
// over curve families × shapes × adstock (carry-over) on a grid, with a Poisson likelihood tempered by the
// observed over-dispersion; the scale is solved in closed form at each grid point.
// Hostile data is handled before the fit: missing days are interpolated for carry-over but not fitted, glitch
// days are excluded by robust residuals, weekly seasonality, a slow drift and a mid-history level shift become
// offsets. The result keeps the grid's log-likelihoods, so peers of the same platform can later act as a prior
// (model.ts) for campaigns whose own history cannot identify a curve.
import { addDays, dayOfWeek, daysBetween } from '../dates.js';
import { ADSTOCK_GRID, elasticity, SHAPE_GRID, shapeValue, type CurveShape } from './curves.js';

export interface HistoryRow {
  date: string;
  spend: number;
  conversions: number;
  revenue: number;
}

export interface GridPoint {
  shape: CurveShape;
  adstock: number;
  k: number; // closed-form scale
  logLik: number; // tempered (divided by dispersion)
  elasticityNow: number; // at the current steady-state spend
}

export interface CampaignFit {
  days: number; // observed days used
  pacing: number; // spend per unit of daily budget
  ref: number; // reference spend the grid scales are relative to
  aov: number; // revenue per conversion
  dispersion: number;
  kRelSe: number; // relative standard error of the scale
  levelFactor: number; // recent-level correction applied to every k
  spendSeen: [number, number]; // range of steady-state spend the history covers (robust)
  spendCv: number; // variation of spend: how well the history identifies a curve
  breakDate?: string; // detected level shift
  coldStart: boolean; // carry-over built up from nothing at the start of the history (a launch), not mid-flight
  season: number[]; // day-of-week multipliers, Sunday first, mean 1
  outliers: string[]; // excluded glitch days
  grid: GridPoint[];
}

interface Prepared {
  spendFilled: Float64Array; // every calendar day, missing ones interpolated
  y: Float64Array; // conversions (NaN when missing)
  rev: Float64Array;
  dow: Uint8Array;
  w: Float64Array; // 1 for a day that is fitted, 0 when missing or excluded (every day counts the same: drifts and
  // shifts are modelled instead of discounting old days, which often hold the budgets least like today's)
  /** Carry-over starts at nothing on the first day (a launch) rather than at that day's spend (mid-flight). */
  coldStart: boolean;
  date(i: number): string;
}

function prepare(history: HistoryRow[]): Prepared | null {
  const rows = history.filter((r) => Number.isFinite(r.spend) && r.spend >= 0).sort((a, b) => (a.date < b.date ? -1 : 1));
  if (!rows.length) return null;
  const first = rows[0]!.date;
  const n = daysBetween(first, rows[rows.length - 1]!.date) + 1;
  const spend = new Float64Array(n).fill(NaN);
  const y = new Float64Array(n).fill(NaN);
  const rev = new Float64Array(n).fill(NaN);
  for (const r of rows) {
    const i = daysBetween(first, r.date);
    spend[i] = r.spend;
    y[i] = Math.max(0, r.conversions);
    rev[i] = Math.max(0, r.revenue);
  }
  const filled = new Float64Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(spend[i]!)) {
      if (last >= 0 && i - last > 1) for (let j = last + 1; j < i; j++) filled[j] = spend[last]! + ((spend[i]! - spend[last]!) * (j - last)) / (i - last);
      filled[i] = spend[i]!;
      last = i;
    }
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Number.isNaN(y[i]!) ? 0 : 1;
  const dow0 = dayOfWeek(first);
  const dow = new Uint8Array(n);
  for (let i = 0; i < n; i++) dow[i] = (dow0 + i) % 7;
  return { spendFilled: filled, y, rev, dow, w, coldStart: false, date: (i: number) => addDays(first, i) };
}

/**
 * Normalized geometric adstock: equals the spend itself at a steady budget. The first day carries either nothing
 * (cold: the history starts at a launch) or a steady state at its own spend (warm: it starts mid-flight).
 */
function adstocked(spend: Float64Array, a: number, cold: boolean): Float64Array {
  const x = new Float64Array(spend.length);
  let carry = cold ? 0 : (spend[0] ?? 0);
  for (let i = 0; i < spend.length; i++) {
    carry = a * carry + (1 - a) * spend[i]!;
    x[i] = carry;
  }
  return x;
}

interface Scored {
  k: number;
  logLik: number;
  mu: Float64Array;
}

/** Closed-form Poisson scale and weighted log-likelihood of  y ~ Poisson(k · offset · φ(x)). */
function score(phi: Float64Array, p: Prepared, offset: Float64Array, keepMu: boolean): Scored {
  let sy = 0;
  let sp = 0;
  for (let i = 0; i < phi.length; i++) {
    const wi = p.w[i]!;
    if (wi === 0) continue;
    sy += wi * p.y[i]!;
    sp += wi * offset[i]! * phi[i]!;
  }
  const k = sp > 0 ? sy / sp : 0;
  let ll = 0;
  const mu = keepMu ? new Float64Array(phi.length) : (undefined as unknown as Float64Array);
  for (let i = 0; i < phi.length; i++) {
    const m = Math.max(k * offset[i]! * phi[i]!, 1e-9);
    if (keepMu) mu[i] = m;
    const wi = p.w[i]!;
    if (wi === 0) continue;
    ll += wi * (p.y[i]! * Math.log(m) - m);
  }
  return { k, logLik: ll, mu };
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** Poisson log-likelihood of a segment with its own closed-form scale (up to a constant). */
const segLl = (sy: number, sp: number) => (sp > 0 && sy > 0 ? sy * Math.log(sy / sp) - sy : 0);

/** Budget variation (coefficient of variation of daily spend) below which a history cannot identify a curve. */
export const MIN_SPEND_CV = 0.12;
const COLD_START_MARGIN = 5; // log-likelihood a mid-flight start must gain over a launch
const TREND_PASSES = 4;
const SHIFT_THRESHOLD = 16; // gain a shift must show, after the drift is refitted around it
const SHIFT_CANDIDATE = 8; // gain that earns a shift that refit (a drift fitted through a step hides half of it)
const TREND_PRIOR_SD = 0.002; // per day: ±0.2%/day drifts ±24% over 120 days
const COARSE: CurveShape[] = [1, 2].flatMap((n) => [0.3, 1, 3].map((scale) => ({ family: 'hill' as const, n, scale })));

/** The level before a shift relative to the level after it: observed over expected on each side (plus `pseudo`). */
function levelBeforeShift(p: Prepared, breakIndex: number, expected: ArrayLike<number>, pseudo: number): number {
  let yPre = pseudo;
  let mPre = pseudo;
  let yPost = pseudo;
  let mPost = pseudo;
  for (let i = 0; i < expected.length; i++) {
    if (p.w[i] === 0) continue;
    if (i < breakIndex) {
      yPre += p.y[i]!;
      mPre += expected[i]!;
    } else {
      yPost += p.y[i]!;
      mPost += expected[i]!;
    }
  }
  return yPre / Math.max(mPre, 1e-9) / Math.max(yPost / Math.max(mPost, 1e-9), 1e-9);
}

/**
 * A slow log-linear drift in performance (zero on the last day), by backfitting against the coarse working model
 * (four rounds; weak prior on the slope). Given a shift position, the level before it is re-estimated on every
 * round, so that the step is not taken for a drift. Returns the offsets with the drift folded in (the shift is
 * not: the grid gives it its own scale) and the working model's noise level, for judging a shift.
 */
function fitDrift(p: Prepared, base: Float64Array, coarse: (off: Float64Array) => Scored, breakIndex: number) {
  const n = base.length;
  const offset = Float64Array.from(base);
  const step = new Float64Array(n).fill(1);
  const combined = () => (breakIndex > 0 ? Float64Array.from(offset, (o, i) => o * step[i]!) : offset);
  let working: Scored;
  for (let pass = 0; pass < TREND_PASSES; pass++) {
    if (breakIndex > 0) {
      working = coarse(combined());
      const ratio = levelBeforeShift(p, breakIndex, working.mu, 1);
      for (let i = 0; i < breakIndex; i++) step[i] = step[i]! * ratio;
    }
    working = coarse(combined());
    let g = 0;
    let h = 1 / TREND_PRIOR_SD ** 2;
    for (let i = 0; i < n; i++) {
      if (p.w[i] === 0) continue;
      const t = i - (n - 1);
      g += (p.y[i]! - working.mu[i]!) * t;
      h += working.mu[i]! * t * t;
    }
    const slope = Math.max(-0.01, Math.min(0.01, g / h));
    for (let i = 0; i < n; i++) offset[i] = offset[i]! * Math.exp(slope * (i - (n - 1)));
  }
  working = coarse(combined());
  let workDisp = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (p.w[i] === 0) continue;
    workDisp += (p.y[i]! - working.mu[i]!) ** 2 / working.mu[i]!;
    used++;
  }
  return { offset, workDisp: Math.max(1, workDisp / Math.max(1, used - 3)) };
}

/** Per grid point: Σ w·offset·φ (`sp`), Σ w·y·ln φ (`sl`) and the running Σ w·offset·φ over active days. */
type PointSums = { shape: CurveShape; a: number; sp: number; sl: number; cum: Float64Array };

interface GridProfile {
  points: PointSums[];
  split: number; // position in `active` of the best day for a shift to start (−1: history too short)
  gain: number; // twice its log-likelihood gain over no shift, in units of the noise
  active: Int32Array; // observed, fitted days
  cumY: Float64Array;
  sumWy: number;
}

function profileGrid(p: Prepared, offset: Float64Array, ref: number, workDisp: number): GridProfile {
  const n = offset.length;
  // The full grid, one fused pass per grid point. With k solved in closed form the Poisson
  // log-likelihood is  Sy·ln(Sy/Sφ) − Sy + Σ w·y·ln φ  (+ a constant), where Sφ = Σ w·offset·φ.
  // One level shift (a tracking or market change part-way through) is searched on the same pass: with running
  // sums, a split before every candidate day costs O(1) per grid point, so the shift day is profiled jointly with
  // the shape (a residual split against a fixed curve misses shifts the curve has already bent to). A shift gets
  // its own scale before it; the scale after it (the current level) is the one that predicts.
  const wo = new Float64Array(n);
  const wy = new Float64Array(n);
  let sumWy = 0;
  for (let i = 0; i < n; i++) {
    wo[i] = p.w[i]! * offset[i]!;
    wy[i] = p.w[i]! * p.y[i]!;
    if (p.w[i]! > 0) sumWy += wy[i]!;
  }
  const active = Int32Array.from([...p.w.keys()].filter((i) => p.w[i]! > 0));
  const A = active.length;
  const cumY = new Float64Array(A + 1);
  for (let j = 0; j < A; j++) cumY[j + 1] = cumY[j]! + wy[active[j]!]!;
  const MIN_SEG = 10;
  const SPLIT_STEP = 2; // candidate shift days every other observed day: the profile is flat within a day or two
  // The part of each split's log-likelihood that does not depend on the curve: Sy·ln Sy − Sy for both segments.
  const yTerms = Float64Array.from({ length: A + 1 }, (_, j) => {
    const a = cumY[j]!;
    const b = sumWy - a;
    return (a > 0 ? a * Math.log(a) : 0) - a + (b > 0 ? b * Math.log(b) : 0) - b;
  });
  const bestSplit = new Float64Array(A + 1).fill(-Infinity); // profile log-likelihood of a shift before position j
  let bestNone = -Infinity;
  const points: PointSums[] = [];
  const hillNs = [...new Set(SHAPE_GRID.filter((c) => c.family === 'hill').map((c) => c.n))];
  for (const a of ADSTOCK_GRID) {
    const x = adstocked(p.spendFilled, a, p.coldStart);
    // x^(−n) per day for each Hill shape: then (s/x)^n is one multiply per grid point and day.
    const xPowNeg = new Map(hillNs.map((nn) => [nn, Float64Array.from(x, (v) => (v > 0 ? Math.exp(-nn * Math.log(v)) : Infinity))]));
    for (const c of SHAPE_GRID) {
      const s0 = c.scale * ref;
      const sPow = Math.exp(c.n * Math.log(s0));
      const xp = c.family === 'hill' ? xPowNeg.get(c.n)! : undefined;
      const cum = new Float64Array(A + 1);
      let sl = 0;
      for (let j = 0; j < A; j++) {
        const i = active[j]!;
        const xi = x[i]!;
        let phi: number;
        let lphi: number;
        if (xi <= 0) {
          phi = 0;
          lphi = -20.7;
        } else if (xp) {
          const e = sPow * xp[i]!;
          phi = 1 / (1 + e);
          lphi = -Math.log1p(e);
        } else if (c.family === 'negexp') {
          phi = -Math.expm1(-xi / s0);
          lphi = Math.log(Math.max(phi, 1e-9));
        } else {
          phi = Math.log1p(xi / s0);
          lphi = Math.log(Math.max(phi, 1e-9));
        }
        cum[j + 1] = cum[j]! + wo[i]! * phi;
        if (wy[i]! > 0) sl += wy[i]! * lphi;
      }
      const sp = cum[A]!;
      bestNone = Math.max(bestNone, segLl(sumWy, sp) + sl);
      for (let j = MIN_SEG; j <= A - MIN_SEG; j += SPLIT_STEP) {
        const pre = cum[j]!;
        const post = sp - pre;
        if (pre <= 0 || post <= 0) continue;
        const ll = yTerms[j]! - cumY[j]! * Math.log(pre) - (sumWy - cumY[j]!) * Math.log(post) + sl;
        if (ll > bestSplit[j]!) bestSplit[j] = ll;
      }
      points.push({ shape: c, a, sp, sl, cum });
    }
  }
  let split = -1; // position in `active` of the first day after the shift
  let bestShift = -Infinity;
  for (let j = MIN_SEG; j <= A - MIN_SEG; j++)
    if (bestSplit[j]! > bestShift) {
      bestShift = bestSplit[j]!;
      split = j;
    }
  // Profiled over day and shape, the gain is judged by the caller: it needs a clear margin over the noise.
  const gain = split < 0 ? 0 : (2 * (bestShift - bestNone)) / workDisp;
  return { points, split, gain, active, cumY, sumWy };
}

export function fitCampaign(history: HistoryRow[], currentBudget: number): CampaignFit | null {
  const p = prepare(history);
  if (!p) return null;
  const n = p.y.length;
  const observed = [...p.w.keys()].filter((i) => p.w[i]! > 0);
  if (observed.length < 3) return null;

  const recentSpend = observed.slice(-7).map((i) => p.spendFilled[i]!);
  const pacing = currentBudget > 0 ? Math.min(1.1, Math.max(0.5, median(recentSpend) / currentBudget)) : 1;
  const spendObs = observed.map((i) => p.spendFilled[i]!).filter((s) => s > 0);
  const ref = Math.max(median(spendObs), 1e-6);
  const xNow = currentBudget > 0 ? pacing * currentBudget : ref;
  const mean = spendObs.reduce((a, b) => a + b, 0) / Math.max(1, spendObs.length);
  const sd = Math.sqrt(spendObs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, spendObs.length - 1));
  const spendCv = mean > 0 ? sd / mean : 0;

  // Pass 1 (coarse): a working model for residual diagnostics.
  const offset = new Float64Array(n).fill(1);
  const coarse = (off: Float64Array, cold = p.coldStart) => {
    let best: Scored | undefined;
    for (const a of [0.3]) {
      const x = adstocked(p.spendFilled, a, cold);
      for (const c of COARSE) {
        const phi = Float64Array.from(x, (v) => shapeValue(c, v, ref));
        const s = score(phi, p, off, true);
        if (!best || s.logLik > best.logLik) best = s;
      }
    }
    return best!;
  };
  // Whether the history starts at a launch (carry-over builds up from nothing, so the first days convert less at the
  // same spend) or mid-flight. Assuming mid-flight for a launch puts the shortfall of the first days into the drift
  // and the curve (−0.03 captured on generated scenarios that start cold), so a launch is assumed unless the working
  // model clearly prefers mid-flight: with no margin it picked mid-flight for a third of launches (a start carries
  // little evidence when carry-over is short or conversions few), with COLD_START_MARGIN for 1 in 150.
  const warm = coarse(offset, false);
  const cold = coarse(offset, true);
  p.coldStart = cold.logLik >= warm.logLik - COLD_START_MARGIN;
  const working = p.coldStart ? cold : warm;

  // Glitch days: robust residuals far outside the noise (dead tracking, double-firing tags), against the working
  // model scaled to the local level (median ratio of the surrounding two weeks), so that a level shift or a drift
  // is not mistaken for a run of glitches.
  const ratio = observed.map((i) => (p.y[i]! + 0.5) / (working.mu[i]! + 0.5));
  const local = observed.map((_, j) => median([...ratio.slice(Math.max(0, j - 7), j), ...ratio.slice(j + 1, j + 8)]) || 1);
  const expected = observed.map((i, j) => working.mu[i]! * local[j]!);
  const resid = observed.map((i, j) => (p.y[i]! - expected[j]!) / Math.sqrt(expected[j]! + 0.05 * expected[j]! ** 2 + 0.25));
  const residMedian = median(resid);
  const mad = median(resid.map((r) => Math.abs(r - residMedian))) * 1.4826 || 1;
  const outliers: string[] = [];
  observed.forEach((i, j) => {
    const z = Math.abs(resid[j]!) / Math.max(mad, 0.5);
    const dead = p.y[i]! === 0 && expected[j]! > 12;
    if (z > 5 || dead) {
      p.w[i] = 0;
      outliers.push(p.date(i));
    }
  });

  // Weekly seasonality as shrunken day-of-week factors.
  const Y = new Float64Array(7);
  const M = new Float64Array(7);
  const cnt = new Float64Array(7);
  for (let i = 0; i < n; i++) {
    if (p.w[i] === 0) continue;
    const d = p.dow[i]!;
    Y[d] = Y[d]! + p.y[i]!;
    M[d] = M[d]! + working.mu[i]!;
    cnt[d] = cnt[d]! + 1;
  }
  const totalMu = M.reduce((a, b) => a + b, 0);
  const shrink = Math.max(20, totalMu / 14);
  const delta = Array.from(
    { length: 7 },
    (_, d) => (Y[d]! + shrink * (M[d]! / Math.max(totalMu, 1e-9)) * 7 * (cnt[d]! ? 1 : 0)) / (M[d]! + shrink * (M[d]! / Math.max(totalMu, 1e-9)) * 7 || 1),
  );
  const meanDelta =
    delta.reduce((a, b, d) => a + b * (cnt[d]! || 0), 0) /
    Math.max(
      1,
      cnt.reduce((a, b) => a + b, 0),
    );
  for (let i = 0; i < n; i++) offset[i] = delta[p.dow[i]!]! / (meanDelta || 1);

  // A slow drift in performance (log-linear in time) would be read as a response to budget whenever budgets drift
  // too, and a level shift would be read as a drift: first the drift alone, then the shape grid with a shift search
  // (profileGrid); when a shift is found, the drift is estimated again with the level before the shift free, and
  // the grid profiled again on those offsets (a step fitted as a drift bends the curve and hides the shift's day).
  let drift = fitDrift(p, offset, coarse, -1);
  let prof = profileGrid(p, drift.offset, ref, drift.workDisp);
  let split = prof.gain >= SHIFT_CANDIDATE ? prof.split : -1;
  if (split > 0) {
    const again = fitDrift(p, offset, coarse, prof.active[split]!);
    const reprofiled = profileGrid(p, again.offset, ref, again.workDisp);
    if (reprofiled.gain >= SHIFT_THRESHOLD) {
      drift = again;
      prof = reprofiled;
      split = prof.split;
    } else if (prof.gain < SHIFT_THRESHOLD) split = -1;
  }
  offset.set(drift.offset);
  const { points, active, cumY, sumWy } = prof;
  const breakIndex = split > 0 ? active[split]! : -1;
  let bestLl = -Infinity;
  let bestPoint: { shape: CurveShape; a: number } | undefined;
  const grid: GridPoint[] = [];
  for (const pt of points) {
    let k: number;
    let ll: number;
    if (split > 0) {
      const spPost = pt.sp - pt.cum[split]!;
      k = spPost > 0 ? (sumWy - cumY[split]!) / spPost : 0;
      ll = segLl(cumY[split]!, pt.cum[split]!) + segLl(sumWy - cumY[split]!, spPost) + pt.sl;
    } else {
      k = pt.sp > 0 ? sumWy / pt.sp : 0;
      ll = segLl(sumWy, pt.sp) + pt.sl;
    }
    grid.push({ shape: pt.shape, adstock: pt.a, k, logLik: ll, elasticityNow: elasticity(pt.shape, xNow, ref) });
    if (ll > bestLl) {
      bestLl = ll;
      bestPoint = { shape: pt.shape, a: pt.a };
    }
  }
  const bestX = adstocked(p.spendFilled, bestPoint!.a, p.coldStart);
  const bestPhi = Float64Array.from(bestX, (v) => shapeValue(bestPoint!.shape, v, ref));
  if (breakIndex > 0) {
    // Express the level before the shift as an offset relative to the current level (for diagnostics below).
    const ratio = levelBeforeShift(
      p,
      breakIndex,
      Float64Array.from(bestPhi, (phi, i) => offset[i]! * phi),
      0,
    );
    for (let i = 0; i < breakIndex; i++) offset[i] = offset[i]! * ratio;
  }
  const best = { s: score(bestPhi, p, offset, false), phi: bestPhi };
  const bestK = best!.s.k;
  let chi = 0;
  let sy = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (p.w[i] === 0) continue;
    const m = Math.max(bestK * offset[i]! * best!.phi[i]!, 1e-9);
    chi += (p.y[i]! - m) ** 2 / m;
    sy += p.w[i]! * p.y[i]!;
    used++;
  }
  const dispersion = Math.min(50, Math.max(1, chi / Math.max(1, used - 4)));
  for (const g of grid) g.logLik /= dispersion;

  // Recent level: conversions of the last three weeks against the model, shrunk toward no change.
  let yr = 0;
  let mr = 0;
  for (let i = Math.max(0, n - 21); i < n; i++) {
    if (p.w[i] === 0) continue;
    yr += p.y[i]!;
    mr += Math.max(bestK * offset[i]! * best!.phi[i]!, 1e-9);
  }
  const prior = Math.max(30, 3 * dispersion);
  const levelFactor = (yr + prior) / (mr + prior);

  let revSum = 0;
  let convSum = 0;
  for (let i = 0; i < n; i++) {
    if (p.w[i] === 0) continue;
    revSum += p.w[i]! * p.rev[i]!;
    convSum += p.w[i]! * p.y[i]!;
  }
  const aov = convSum > 0 ? revSum / convSum : 0;

  return {
    days: used,
    pacing,
    ref,
    aov,
    dispersion,
    kRelSe: Math.sqrt(dispersion / Math.max(sy, 1)),
    levelFactor,
    spendSeen: [quantile(spendObs, 0.03), quantile(spendObs, 0.97)],
    spendCv,
    breakDate: breakIndex > 0 ? p.date(breakIndex) : undefined,
    coldStart: p.coldStart,
    season: delta.map((d) => d / (meanDelta || 1)),
    outliers,
    grid,
  };
}
