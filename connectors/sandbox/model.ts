// The sandbox's hidden world: how each simulated campaign really responds to budget. Pure and deterministic
// by seed, so the same seed always yields the same platform. Shapes follow marketing-mix practice: a Hill
// saturation curve on adstocked spend, weekly seasonality, multiplicative noise, Poisson conversions and
// occasional tracking glitches (a dead pixel day, a double-firing tag).
import { dayOfWeek, type IsoDate } from '../../core/dates.js';
import type { BidTarget, PlatformKind } from '../types.js';

export interface CampaignTruth {
  curve: { type: 'hill'; ceiling: number; half: number; shape: number };
  adstock: number; // share of yesterday's effective spend still working today
  pacing: number; // share of the daily budget the platform actually delivers
  aov: number; // average order value
  cpm: number;
  ctr: number;
  season: number[]; // 7 multipliers, Sunday first
  noise: number; // sd of the multiplicative day noise
  glitchRate: number;
  constantBudget: boolean; // history never varied the budget
}

/** mulberry32: tiny, fast, good enough for simulation; seeded from a string hash. */
export function rng(...parts: Array<string | number>): () => number {
  let h = 2166136261;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** A Poisson draw: exact (Knuth) for small means, normal approximation above `normalAbove`. */
export function poisson(r: () => number, mean: number, normalAbove = 50): number {
  if (mean <= 0) return 0;
  if (mean > normalAbove) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(r)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

const PLATFORM_PROFILE: Record<PlatformKind, { aov: [number, number]; cpm: [number, number]; ctr: [number, number]; budget: [number, number] }> = {
  google_ads: { aov: [60, 140], cpm: [8, 20], ctr: [0.03, 0.07], budget: [150, 900] },
  meta: { aov: [40, 110], cpm: [6, 14], ctr: [0.008, 0.02], budget: [120, 800] },
  tiktok: { aov: [30, 80], cpm: [3, 9], ctr: [0.006, 0.015], budget: [100, 600] },
  linkedin: { aov: [400, 1200], cpm: [30, 60], ctr: [0.004, 0.009], budget: [80, 400] },
};

const between = (r: () => number, [lo, hi]: [number, number]) => lo + (hi - lo) * r();

export function generateCampaign(seed: number, platform: PlatformKind, index: number): { truth: CampaignTruth; budget: number } {
  const r = rng(seed, platform, index, 'truth');
  const p = PLATFORM_PROFILE[platform];
  const budget = Math.round(between(r, p.budget) / 10) * 10;
  const aov = between(r, p.aov);
  // Where this campaign saturates relative to its budget: some are starved, some already saturated.
  const half = budget * between(r, [0.35, 2.5]);
  const roasAtHalf = between(r, [1.2, 5]);
  const ceiling = (2 * roasAtHalf * half) / aov; // conversions/day at saturation
  const amp = between(r, [0.05, 0.25]);
  const weekendDip = platform === 'linkedin' ? -0.45 : between(r, [-0.15, 0.15]);
  const season = Array.from({ length: 7 }, (_, d) => {
    const weekend = d === 0 || d === 6;
    return Math.max(0.3, 1 + amp * (r() - 0.5) + (weekend ? weekendDip : 0));
  });
  const mean = season.reduce((a, b) => a + b, 0) / 7;
  return {
    budget,
    truth: {
      curve: { type: 'hill', ceiling, half, shape: between(r, [0.8, 2.2]) },
      adstock: between(r, [0.05, 0.55]),
      pacing: between(r, [0.88, 0.99]),
      aov,
      cpm: between(r, p.cpm),
      ctr: between(r, p.ctr),
      season: season.map((s) => s / mean),
      noise: between(r, [0.05, 0.2]),
      glitchRate: r() < 0.3 ? 0.02 : 0,
      constantBudget: r() < 0.15,
    },
  };
}

export function hill(c: CampaignTruth['curve'], x: number): number {
  if (x <= 0) return 0;
  const xs = Math.pow(x, c.shape);
  return (c.ceiling * xs) / (xs + Math.pow(c.half, c.shape));
}

export interface SimulatedDay {
  impressions: number;
  clicks: number;
  spendCents: number;
  conversions: number;
  valueCents: number;
  carry: number; // effective spend today, carried into tomorrow
}

/**
 * One day of one campaign at the budget in force (0 when paused). `aggression` is how hard its bid target bids
 * relative to where it started (bidAggression: 1 = as it started, which leaves the day exactly as without bids):
 * a more aggressive target wins more auctions — it delivers more of the budget (∝ aggression^0.6, within the ≤ 20 %
 * overdelivery) — and pays more for each result (∝ aggression^0.3: dearer impressions, each worth no more); a less
 * aggressive one spends less at a lower cost per result.
 */
export function simulateDay(
  truth: CampaignTruth,
  budget: number,
  active: boolean,
  carry: number,
  date: IsoDate,
  seed: number,
  campaignId: string,
  aggression = 1,
): SimulatedDay {
  const r = rng(seed, campaignId, date);
  const volume = aggression === 1 ? 1 : Math.pow(aggression, 0.6);
  const price = aggression === 1 ? 1 : Math.pow(aggression, 0.3);
  const spend = active && budget > 0 ? Math.max(0, budget * truth.pacing * (1 + 0.04 * normal(r)) * volume) : 0;
  const spendCents = Math.min(Math.round(spend * 100), Math.round(budget * 120)); // platforms may overdeliver ≤ 20%
  const effective = spendCents / 100 / price + truth.adstock * carry;
  const dayNoise = Math.exp(truth.noise * normal(r) - (truth.noise * truth.noise) / 2);
  const expected = hill(truth.curve, effective) * truth.season[dayOfWeek(date)]! * dayNoise;
  let conversions = poisson(r, expected);
  const glitch = r() < truth.glitchRate ? (r() < 0.5 ? 0 : 3) : 1;
  conversions *= glitch;
  const valueNoise = conversions > 0 ? Math.exp((0.35 / Math.sqrt(conversions)) * normal(r)) : 0;
  const valueCents = Math.round(conversions * truth.aov * valueNoise * 100);
  const impressions = spendCents > 0 ? Math.round((spendCents / 100 / (truth.cpm * price)) * 1000 * (1 + 0.03 * normal(r))) : 0;
  const clicks = Math.round(impressions * truth.ctr * (1 + 0.05 * normal(r)));
  return { impressions: Math.max(0, impressions), clicks: Math.max(0, clicks), spendCents, conversions, valueCents, carry: effective };
}

/** Budget in force on history day `i` of `days`: stepwise changes every few weeks unless the budget never varied. */
export function historicalBudget(truth: CampaignTruth, currentBudget: number, seed: number, campaignId: string, i: number, days: number): number {
  if (truth.constantBudget) return currentBudget;
  const block = Math.floor((days - 1 - i) / 14); // 0 = the latest two weeks
  if (block === 0) return currentBudget;
  const r = rng(seed, campaignId, 'budget-block', block);
  return Math.round((currentBudget * (0.55 + 0.9 * r())) / 5) * 5;
}

export const centsToDecimal = (cents: number): string => (cents / 100).toFixed(2);

/** Which sandbox campaigns bid with a target, and which kind (the rest bid automatically, with no target). */
const BID_KINDS: Record<PlatformKind, (BidTarget['kind'] | null)[]> = {
  google_ads: ['target_cpa', 'target_roas', null],
  meta: ['cost_cap', null],
  tiktok: ['target_cpa', 'bid_cap', null],
  linkedin: ['bid', 'cost_cap', null],
};

/**
 * A campaign's starting bid target (null: it has none), set where its truth puts it at today's budget: the cost per
 * result (or, for target ROAS, the return) it gets at the budget's steady state. Deterministic, no random draws.
 */
export function initialBidTarget(truth: CampaignTruth, budget: number, platform: PlatformKind, index: number): BidTarget | null {
  const kinds = BID_KINDS[platform];
  const kind = kinds[index % kinds.length] ?? null;
  if (!kind) return null;
  const spend = budget * truth.pacing;
  const conversions = Math.max(hill(truth.curve, spend / (1 - truth.adstock)), 0.01);
  if (kind === 'target_roas') return { kind, value: Math.max(0.1, (conversions * truth.aov) / spend).toFixed(2) };
  if (kind === 'bid') return { kind, value: Math.max(0.5, (spend / conversions) * 0.05).toFixed(2) }; // a max CPC-like bid
  return { kind, value: Math.max(0.5, spend / conversions).toFixed(2) };
}

/** How much harder a bid target bids than its starting value (> 1 more, < 1 less; target ROAS the other way round). */
export function bidAggression(kind: BidTarget['kind'] | null, value: string | number | null, base: string | number | null): number {
  if (!kind || value == null || base == null) return 1;
  const v = Number(value);
  const b = Number(base);
  if (!(v > 0) || !(b > 0) || v === b) return 1;
  return kind === 'target_roas' ? b / v : v / b;
}
