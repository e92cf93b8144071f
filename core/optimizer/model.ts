// A campaign's response model: the grid posterior of fit.ts, reweighted by a prior borrowed from its platform
// peers, pruned to the components that matter. Predicts expected daily conversions at a steady daily budget,
// with a standard deviation that covers both which curve is right and how well its scale is known.
import { shapeValue, type CurveShape } from './curves.js';
import type { CampaignFit } from './fit.js';

export interface PeerPrior {
  /** Typical elasticity of conversions to spend at current budgets among identified peers. */
  elasticity: number;
  sd: number;
  peers: number;
}

export interface ResponseModel {
  fit: CampaignFit;
  components: { shape: CurveShape; k: number; weight: number }[];
  /** Posterior mean elasticity at the current budget. */
  elasticity: number;
  /** true when the campaign's own history pins the curve down (enough days and budget variation). */
  identified: boolean;
}

const PRIOR_SD_FLOOR = 0.6;
export function isIdentified(fit: CampaignFit): boolean {
  return fit.days >= 28 && fit.spendCv >= 0.12;
}

function posterior(fit: CampaignFit, prior?: PeerPrior): number[] {
  const maxLl = Math.max(...fit.grid.map((g) => g.logLik));
  return fit.grid.map((g) => {
    let lp = g.logLik - maxLl;
    if (prior) lp += -0.5 * ((g.elasticityNow - prior.elasticity) / prior.sd) ** 2;
    return Math.exp(lp);
  });
}

/** Elasticity under the campaign's own data alone (flat prior over the grid). */
export function ownElasticity(fit: CampaignFit): number {
  const w = posterior(fit);
  const s = w.reduce((a, b) => a + b, 0);
  return fit.grid.reduce((a, g, i) => a + g.elasticityNow * w[i]!, 0) / s;
}

/** Peer priors per group (platform), from identified campaigns; a group with too few falls back to everyone. */
export function peerPriors(fits: { group: string; fit: CampaignFit }[]): Map<string, PeerPrior> {
  const summarize = (list: number[]): PeerPrior | undefined => {
    if (list.length < 2) return undefined;
    const s = [...list].sort((a, b) => a - b);
    const med = s[s.length >> 1]!;
    const mad = s.map((v) => Math.abs(v - med)).sort((a, b) => a - b)[s.length >> 1]! * 1.4826;
    return { elasticity: med, sd: Math.max(PRIOR_SD_FLOOR, mad), peers: list.length };
  };
  const identified = fits.filter((f) => isIdentified(f.fit));
  const all = summarize(identified.map((f) => ownElasticity(f.fit))) ?? { elasticity: 0.55, sd: 0.25, peers: 0 };
  const out = new Map<string, PeerPrior>();
  for (const group of new Set(fits.map((f) => f.group))) {
    const own = identified.filter((f) => f.group === group).map((f) => ownElasticity(f.fit));
    const p = own.length >= 3 ? summarize(own)! : all;
    out.set(group, p);
  }
  return out;
}

export function buildModel(fit: CampaignFit, prior?: PeerPrior): ResponseModel {
  const w = posterior(fit, prior);
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
