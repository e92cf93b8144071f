// A campaign's response model: the grid posterior of fit.ts, reweighted by a prior borrowed from its platform
// peers, pruned to the components that matter. Predicts expected daily conversions at a steady daily budget,
// with a standard deviation that covers both which curve is right and how well its scale is known.
import { shapeValue, type CurveShape } from './curves.js';
import { MIN_SPEND_CV, type CampaignFit } from './fit.js';

/**
 * What identified peers say about a campaign's elasticity at its current budget: an empirical-Bayes prior, a
 * log-normal population fitted to the peers' posteriors and shrunk toward a default (see peerPriors).
 */
export interface PeerPrior {
  /** The population's median elasticity (for display). */
  elasticity: number;
  /** Prior density over log elasticity, on the fixed bins of `binOf`. */
  density: Float64Array;
  peers: number;
  /**
   * The identified same-platform peers' posterior shares over curve classes (family and Hill shape) × carry-over:
   * how a platform's campaigns respond tends to be alike (search concave with short carry-over, social video
   * S-shaped with long), and that is what one campaign's data hold least of. See classPrior.
   */
  classes: { fit: CampaignFit; share: Float64Array }[];
}

export interface ResponseModel {
  fit: CampaignFit;
  components: { shape: CurveShape; k: number; weight: number }[];
  /** Posterior mean elasticity at the current budget. */
  elasticity: number;
  /** true when the campaign's own history pins the curve down (enough days and budget variation). */
  identified: boolean;
}

export function isIdentified(fit: CampaignFit): boolean {
  return fit.days >= 28 && fit.spendCv >= MIN_SPEND_CV;
}

const GRID_BW = 0.3; // kernel width (log elasticity) of the grid's own density
// The default population prior, before any peer is seen: elasticity at today's spend log-normal around ½ (the
// square-root response that is the media-mix rule of thumb), log-sd 0.7 (90% between 0.16 and 1.6). It counts as
// DEFAULT_PSEUDO peers, so a handful of identified peers move it and many outweigh it.
const DEFAULT_ELASTICITY = 0.5;
const DEFAULT_LOG_SD = 0.7;
const DEFAULT_PSEUDO = 4;
const PRIOR_FLOOR = 0.05; // share of a flat density: no population estimate is final
const OTHER_PSEUDO = 4; // how many peers the other platforms count as, together
const CLASS_PSEUDO = 2; // how many peers a flat prior over curve classes × carry-over counts as
const NEIGHBOUR_SHARE = 0.3; // of each grid point's posterior weight, lent to its grid neighbours
const BIN = 0.05;
const LOG_E_MIN = Math.log(1e-3);
const BINS = Math.ceil((Math.log(5) - LOG_E_MIN) / BIN) + 1;
const FLAT = 1 / ((BINS - 1) * BIN);

const binOf = (e: number) => Math.min(BINS - 1, Math.max(0, Math.round((Math.log(Math.max(e, 1e-3)) - LOG_E_MIN) / BIN)));

/** Gaussian smoothing of a binned density (per unit log elasticity). */
function smooth(hist: Float64Array, bw: number): Float64Array {
  const r = Math.ceil((4 * bw) / BIN);
  const kernel = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-0.5 * (((j - r) * BIN) / bw) ** 2));
  const ks = kernel.reduce((a, b) => a + b, 0) * BIN;
  const out = new Float64Array(BINS);
  for (let i = 0; i < BINS; i++) {
    if (hist[i] === 0) continue;
    for (let j = -r; j <= r; j++) if (i + j >= 0 && i + j < BINS) out[i + j] = out[i + j]! + (hist[i]! * kernel[j + r]!) / ks;
  }
  return out;
}

/**
 * The grid's own density of elasticities at today's spend, smoothed, at each grid point (log). Kept per fit: a
 * peer's posterior is taken twice (for the population, then for its own model).
 */
const gridDensities = new WeakMap<CampaignFit, Float64Array>();
function logGridDensity(fit: CampaignFit): Float64Array {
  const cached = gridDensities.get(fit);
  if (cached) return cached;
  const hist = new Float64Array(BINS);
  for (const g of fit.grid) hist[binOf(g.elasticityNow)]! += 1 / fit.grid.length;
  const dens = smooth(hist, GRID_BW);
  const out = Float64Array.from(fit.grid, (g) => Math.log(Math.max(dens[binOf(g.elasticityNow)]!, 1e-12)));
  gridDensities.set(fit, out);
  return out;
}

/** A log-normal density over log elasticity on the fixed bins, with a flat share so that no estimate is final. */
function logNormalDensity(mu: number, variance: number): Float64Array {
  const dens = Array.from({ length: BINS }, (_, b) => Math.exp((-0.5 * (LOG_E_MIN + b * BIN - mu) ** 2) / variance));
  const z = dens.reduce((a, d) => a + d * BIN, 0);
  return Float64Array.from(dens, (d) => (1 - PRIOR_FLOOR) * (d / z) + PRIOR_FLOOR * FLAT);
}

const DEFAULT_DENSITY = logNormalDensity(Math.log(DEFAULT_ELASTICITY), DEFAULT_LOG_SD ** 2);

/**
 * Grid posterior under a prior over today's elasticity (the default population when none is given). The grid is
 * not uniform in elasticity — many shapes are nearly flat at today's spend — so weighting its points equally is
 * itself a prior that favours saturation: the grid's own density of elasticities is divided out, so the stated
 * prior is the effective one.
 */
function posterior(fit: CampaignFit, density: Float64Array = DEFAULT_DENSITY, classes?: Float64Array): number[] {
  const maxLl = Math.max(...fit.grid.map((g) => g.logLik));
  const grid = logGridDensity(fit);
  const cell = classesOf(fit.grid).cell;
  return fit.grid.map((g, i) => Math.exp(g.logLik - maxLl - grid[i]! + Math.log(density[binOf(g.elasticityNow)]!)) * (classes ? classes[cell[i]!]! : 1));
}

/** Every fit shares one grid layout; this names it, for what is computed once per layout. */
const layoutKey = (grid: CampaignFit['grid']) => `${grid.length}|${grid[0]?.shape.scale}|${grid[grid.length - 1]?.adstock}`;

/** Each grid point's class — curve family, Hill shape and carry-over — and how many classes there are. */
let cachedClasses: { signature: string; cell: Int32Array; count: number } | undefined;
function classesOf(grid: CampaignFit['grid']): { cell: Int32Array; count: number } {
  const signature = layoutKey(grid);
  if (cachedClasses?.signature === signature) return cachedClasses;
  const ids = new Map<string, number>();
  const cell = Int32Array.from(grid, (g) => {
    const key = `${g.shape.family}|${g.shape.n}|${g.adstock}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    return ids.get(key)!;
  });
  cachedClasses = { signature, cell, count: ids.size };
  return cachedClasses;
}

/** A posterior's shares over the classes. */
function classShares(fit: CampaignFit, w: number[]): Float64Array {
  const { cell, count } = classesOf(fit.grid);
  const out = new Float64Array(count);
  const total = w.reduce((a, b) => a + b, 0);
  w.forEach((wi, i) => (out[cell[i]!] = out[cell[i]!]! + wi / total));
  return out;
}

/**
 * The prior over classes for one campaign: its identified platform peers' posterior shares, averaged with a flat
 * prior worth CLASS_PSEUDO peers, the campaign itself left out (its own data already speak in its likelihood).
 * Relative to flat (1 = no preference).
 */
function classPrior(prior: PeerPrior, fit: CampaignFit): Float64Array | undefined {
  const peers = prior.classes.filter((p) => p.fit !== fit);
  if (!peers.length) return undefined;
  const count = peers[0]!.share.length;
  const out = new Float64Array(count).fill(CLASS_PSEUDO / count);
  for (const p of peers) for (let c = 0; c < count; c++) out[c] = out[c]! + p.share[c]!;
  const scale = count / (CLASS_PSEUDO + peers.length);
  return out.map((v) => v * scale);
}

/**
 * A peer's own posterior over elasticity, under the default population (a flat prior in log elasticity puts half
 * its mass below 0.1 and read identified campaigns' elasticities 16% low, and the population built from them with
 * it): the mean and second moment of log elasticity.
 */
function ownPosterior(fit: CampaignFit): { log1: number; log2: number; share: Float64Array } {
  const w = posterior(fit);
  const s = w.reduce((a, b) => a + b, 0);
  let log1 = 0;
  let log2 = 0;
  fit.grid.forEach((g, i) => {
    const le = Math.log(Math.max(g.elasticityNow, 1e-3));
    log1 += (le * w[i]!) / s;
    log2 += (le * le * w[i]!) / s;
  });
  return { log1, log2, share: classShares(fit, w) };
}

/**
 * Peer priors per group (platform): an empirical-Bayes estimate of the population the campaign's elasticity is
 * drawn from. Log elasticity is taken as normal; its mean and variance are the identified peers' (their
 * posteriors pooled: spread between peers plus each one's own uncertainty), each peer on the same platform counting
 * fully and the other platforms together as OTHER_PSEUDO peers, shrunk toward the default population
 * (DEFAULT_PSEUDO peers' worth), with a flat share so that no estimate is final. A smooth population fitted to the
 * peers, rather than their pooled posteriors as they are: a few sharp peer posteriors make a spiky prior that
 * drags a campaign onto whichever peer is nearest (−0.02 captured on generated scenarios).
 */
export function peerPriors(fits: { group: string; fit: CampaignFit }[]): Map<string, PeerPrior> {
  const identified = fits.filter((f) => isIdentified(f.fit)).map((f) => ({ group: f.group, fit: f.fit, ...ownPosterior(f.fit) }));
  const out = new Map<string, PeerPrior>();
  const mu0 = Math.log(DEFAULT_ELASTICITY);
  for (const group of new Set(fits.map((f) => f.group))) {
    const others = identified.filter((p) => p.group !== group).length;
    const ownCount = identified.length - others;
    const weights = identified.map((p) => (p.group === group ? 1 : ownCount ? OTHER_PSEUDO / others : 1));
    let w = DEFAULT_PSEUDO;
    let m1 = DEFAULT_PSEUDO * mu0;
    let m2 = DEFAULT_PSEUDO * (DEFAULT_LOG_SD ** 2 + mu0 ** 2);
    identified.forEach((p, j) => {
      w += weights[j]!;
      m1 += weights[j]! * p.log1;
      m2 += weights[j]! * p.log2;
    });
    const mu = m1 / w;
    const variance = Math.max(m2 / w - mu * mu, 0.05 ** 2);
    const classes = identified.filter((p) => p.group === group).map((p) => ({ fit: p.fit, share: p.share }));
    out.set(group, { elasticity: Math.exp(mu), density: logNormalDensity(mu, variance), peers: ownCount, classes });
  }
  return out;
}

/**
 * The grid is coarse (a few Hill shapes, scales 1.5× apart, three carry-overs): a sharp likelihood collapses onto
 * one point even when the truth lies between points, and the model then states almost no uncertainty about a
 * curve it only approximates. Each point therefore lends a share of its weight to its grid neighbours (adjacent
 * scale, Hill shape or carry-over), so the spread reflects the grid's resolution.
 */
function smoothOverGrid(fit: CampaignFit, w: number[]): number[] {
  const neighbours = neighboursOf(fit.grid);
  const out = w.slice();
  for (let i = 0; i < w.length; i++) {
    const nb = neighbours[i]!;
    if (w[i] === 0 || !nb.length) continue;
    const share = (NEIGHBOUR_SHARE * w[i]!) / nb.length;
    for (const j of nb) out[j] = out[j]! + share;
    out[i] = out[i]! - NEIGHBOUR_SHARE * w[i]!;
  }
  return out;
}

/** Grid neighbours of every point (adjacent scale, Hill shape or carry-over); every fit shares one layout. */
let cachedLayout: { signature: string; neighbours: number[][] } | undefined;
function neighboursOf(grid: CampaignFit['grid']): number[][] {
  const signature = layoutKey(grid);
  if (cachedLayout?.signature === signature) return cachedLayout.neighbours;
  const key = (family: string, n: number, scale: number, adstock: number) => `${family}|${n}|${scale}|${adstock}`;
  const index = new Map(grid.map((g, i) => [key(g.shape.family, g.shape.n, g.shape.scale, g.adstock), i]));
  const sorted = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
  const ns = sorted(grid.filter((g) => g.shape.family === 'hill').map((g) => g.shape.n));
  const adstocks = sorted(grid.map((g) => g.adstock));
  const scales = new Map<string, number[]>();
  for (const g of grid) {
    const f = `${g.shape.family}|${g.shape.n}`;
    if (!scales.has(f)) scales.set(f, sorted(grid.filter((h) => h.shape.family === g.shape.family && h.shape.n === g.shape.n).map((h) => h.shape.scale)));
  }
  const neighbours = grid.map((g) => {
    const { family, n, scale } = g.shape;
    const sc = scales.get(`${family}|${n}`)!;
    const out: (number | undefined)[] = [];
    for (const d of [-1, 1]) {
      const s2 = sc[sc.indexOf(scale) + d];
      if (s2 !== undefined) out.push(index.get(key(family, n, s2, g.adstock)));
      const a2 = adstocks[adstocks.indexOf(g.adstock) + d];
      if (a2 !== undefined) out.push(index.get(key(family, n, scale, a2)));
      const n2 = family === 'hill' ? ns[ns.indexOf(n) + d] : undefined;
      if (n2 !== undefined) out.push(index.get(key(family, n2, scale, g.adstock)));
    }
    return out.filter((j): j is number => j !== undefined);
  });
  cachedLayout = { signature, neighbours };
  return neighbours;
}

export function buildModel(fit: CampaignFit, prior?: PeerPrior): ResponseModel {
  const w = smoothOverGrid(fit, posterior(fit, prior?.density, prior && classPrior(prior, fit)));
  // Keep the components that carry 99.5% of the posterior: the rest change no prediction.
  const order = fit.grid.map((g, i) => ({ g, w: w[i]! })).sort((a, b) => b.w - a.w);
  const mass = order.reduce((a, c) => a + c.w, 0);
  const kept: typeof order = [];
  let acc = 0;
  for (const c of order) {
    if (acc >= 0.995 * mass) break;
    kept.push(c);
    acc += c.w;
  }
  const total = kept.reduce((a, c) => a + c.w, 0);
  const components = kept.map((c) => ({ shape: c.g.shape, k: c.g.k * fit.levelFactor, weight: c.w / total }));
  const elasticity = kept.reduce((a, c) => a + (c.g.elasticityNow * c.w) / total, 0);
  return { fit, components, elasticity, identified: isIdentified(fit) };
}

/**
 * Conversions at each budget (mean, sd) and the risk of moving there from `from` (sd of the change), in one
 * pass over the components: what the allocator tabulates for every campaign.
 */
export function tabulate(m: ResponseModel, budgets: ArrayLike<number>, from: number) {
  const n = budgets.length;
  const k = m.components.length;
  const mean = new Float64Array(n);
  const sd = new Float64Array(n);
  const moveSd = new Float64Array(n);
  const second = new Float64Array(n);
  const dMean = new Float64Array(n);
  const d = new Float64Array(n * k); // each component's change, per budget
  const x0 = m.fit.pacing * from;
  m.components.forEach((c, ci) => {
    const v0 = c.k * shapeValue(c.shape, x0, m.fit.ref);
    for (let j = 0; j < n; j++) {
      const v = c.k * shapeValue(c.shape, m.fit.pacing * budgets[j]!, m.fit.ref);
      mean[j] = mean[j]! + c.weight * v;
      second[j] = second[j]! + c.weight * v * v;
      d[j * k + ci] = v - v0;
      dMean[j] = dMean[j]! + c.weight * (v - v0);
    }
  });
  const rel = m.fit.kRelSe;
  for (let j = 0; j < n; j++) {
    sd[j] = Math.sqrt(Math.max(0, second[j]! - mean[j]! ** 2) + (mean[j]! * rel) ** 2);
    // Downside semi-deviation of the move's effect (×√2, so it equals the sd when outcomes are symmetric):
    // a move that a few plausible curves call a disaster costs more than its plain spread says.
    let down = 0;
    m.components.forEach((c, ci) => {
      const short = dMean[j]! - d[j * k + ci]!;
      if (short > 0) down += c.weight * short * short;
    });
    moveSd[j] = Math.sqrt(2 * down + (dMean[j]! * rel) ** 2);
  }
  return { mean, sd, moveSd };
}

/** Expected daily conversions at a steady daily budget, with its standard deviation. */
export function predictConversions(m: ResponseModel, budget: number): { mean: number; sd: number } {
  const x = m.fit.pacing * budget;
  let mean = 0;
  let second = 0;
  for (const c of m.components) {
    const v = c.k * shapeValue(c.shape, x, m.fit.ref);
    mean += c.weight * v;
    second += c.weight * v * v;
  }
  const between = Math.max(0, second - mean * mean);
  return { mean, sd: Math.sqrt(between + (mean * m.fit.kRelSe) ** 2) };
}
