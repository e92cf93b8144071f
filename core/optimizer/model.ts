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
  const max = Math.max(...w);
  const kept = fit.grid.map((g, i) => ({ g, w: w[i]! })).filter((c) => c.w > max * 1e-3);
  const total = kept.reduce((a, c) => a + c.w, 0);
  const components = kept.map((c) => ({ shape: c.g.shape, k: c.g.k * fit.levelFactor, weight: c.w / total }));
  const elasticity = kept.reduce((a, c) => a + (c.g.elasticityNow * c.w) / total, 0);
  return { fit, components, elasticity, identified: isIdentified(fit) };
}

/**
 * Expected change in daily conversions when moving from budget `from` to `to`, with the standard deviation of
 * that change across plausible curves: the risk of the move itself, near zero for small moves on a
 * well-identified curve and large for a campaign whose history never explored the new budget.
 */
export function predictMove(m: ResponseModel, from: number, to: number): { mean: number; sd: number } {
  const x0 = m.fit.pacing * from;
  const x1 = m.fit.pacing * to;
  let mean = 0;
  let second = 0;
  for (const c of m.components) {
    const d = c.k * (shapeValue(c.shape, x1, m.fit.ref) - shapeValue(c.shape, x0, m.fit.ref));
    mean += c.weight * d;
    second += c.weight * d * d;
  }
  const between = Math.max(0, second - mean * mean);
  return { mean, sd: Math.sqrt(between + (mean * m.fit.kRelSe) ** 2) };
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
