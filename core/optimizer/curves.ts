// Response-curve families, all of the form  outcome = K · φ(x; θ)  with x the steady-state daily spend and K a
// free scale (fit in closed form). Hill covers diminishing and S-shaped returns; negative-exponential and log
// cover saturating and never-saturating shapes. The grid over θ is what the Bayesian model average runs on.

export type CurveFamily = 'hill' | 'negexp' | 'log';

export interface CurveShape {
  family: CurveFamily;
  /** Hill shape (S-shaped when > 1); unused for the other families. */
  n: number;
  /** Scale in units of the campaign's reference spend: Hill half-saturation, negexp scale, log scale. */
  scale: number;
}

/** φ(x) for a curve whose scale is `scale · ref` (ref = the campaign's reference spend). */
export function shapeValue(c: CurveShape, x: number, ref: number): number {
  if (x <= 0) return 0;
  const s = c.scale * ref;
  switch (c.family) {
    case 'hill':
      return 1 / (1 + Math.pow(s / x, c.n));
    case 'negexp':
      return 1 - Math.exp(-x / s);
    case 'log':
      return Math.log1p(x / s);
  }
}

/** Elasticity d ln φ / d ln x at x: a parameter-free summary used to pool campaigns of one platform. */
export function elasticity(c: CurveShape, x: number, ref: number): number {
  if (x <= 0) return 1;
  const s = c.scale * ref;
  switch (c.family) {
    case 'hill':
      return c.n * (1 - shapeValue(c, x, ref));
    case 'negexp': {
      const u = x / s;
      return u < 1e-9 ? 1 : (u * Math.exp(-u)) / -Math.expm1(-u);
    }
    case 'log': {
      const u = x / s;
      return u < 1e-9 ? 1 : u / ((1 + u) * Math.log1p(u));
    }
  }
}

function logspace(lo: number, hi: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => lo * Math.pow(hi / lo, i / (k - 1)));
}

/**
 * The shape grid: wide enough for starved, balanced and saturated campaigns alike. Hill 1.7 sits where S-shaped
 * platforms put most of their mass (between 1.3 and 2.2 the platform prior had nothing to hold on to: +0.008).
 */
export const SHAPE_GRID: readonly CurveShape[] = [
  ...[0.8, 1.3, 1.7, 2.2, 3.2].flatMap((n) => logspace(0.08, 12, 13).map((scale) => ({ family: 'hill' as const, n, scale }))),
  ...logspace(0.08, 12, 13).map((scale) => ({ family: 'negexp' as const, n: 1, scale })),
  ...logspace(0.03, 12, 13).map((scale) => ({ family: 'log' as const, n: 1, scale })),
];

export const ADSTOCK_GRID: readonly number[] = [0, 0.3, 0.6];
