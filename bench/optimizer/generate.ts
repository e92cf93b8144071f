// Draws synthetic optimizer scenarios with a hidden truth in the shared format (../shared/optimizer/truth.mjs):
// Hill / negative-exponential / log curves, geometric carry-over, pacing, weekly seasonality, Poisson noise with
// over-dispersion, trends, level shifts, tracking glitches, missing days, short histories, never-varied budgets,
// budget cuts and increases, locked campaigns, and all three objectives. Used to tune and judge the optimizer on
// many scenarios instead of the few shared examples. Deterministic by seed.
import { normal, poisson, rng } from '../../connectors/sandbox/model.js';
import { addDays, dayOfWeek } from '../../core/dates.js';

type Curve =
  | { type: 'hill'; ceiling: number; shape: number; half: number }
  | { type: 'negexp'; ceiling: number; scale: number }
  | { type: 'log'; coef: number; scale: number };

export interface TruthCampaign {
  id: string;
  curve: Curve;
  adstock: number;
  pacing: number;
  aov: number;
  margin: number;
  level: number;
  flags?: string[];
  breakDay?: string | null; // first day at the current level, when performance shifted
}

function curveValue(c: Curve, x: number): number {
  if (c.type === 'hill') return (c.ceiling * Math.pow(x, c.shape)) / (Math.pow(x, c.shape) + Math.pow(c.half, c.shape));
  if (c.type === 'negexp') return c.ceiling * (1 - Math.exp(-x / c.scale));
  return c.coef * Math.log1p(x / c.scale);
}

/** Expected daily conversions at a steady budget under a generated truth (the shared truth.mjs model). */
export function truthConversions(t: TruthCampaign, budget: number): number {
  if (budget <= 0) return 0;
  return t.level * curveValue(t.curve, (t.pacing * budget) / (1 - t.adstock));
}

const PLATFORMS = ['google_ads', 'meta', 'tiktok', 'linkedin'] as const;
const WEEKEND: Record<string, number> = { google_ads: 0.91, meta: 1.13, tiktok: 1.14, linkedin: 0.6 };
const AOV: Record<string, [number, number]> = { google_ads: [60, 140], meta: [40, 110], tiktok: [30, 80], linkedin: [300, 1000] };
// Response shape and carry-over by platform, as the shared examples' truths show them (46 campaigns, no overlap
// between Google's carry-over and TikTok's): search and LinkedIn respond concavely with short carry-over, the
// social video platforms S-shaped with long carry-over. The optimizer is never told this; it may only learn it
// from a scenario's own campaigns.
const HILL_SHAPE: Record<string, [number, number]> = { google_ads: [0.8, 1.3], meta: [1.2, 2.2], tiktok: [1.2, 2.5], linkedin: [0.8, 1.3] };
const CARRY_OVER: Record<string, [number, number]> = { google_ads: [0, 0.25], meta: [0.2, 0.5], tiktok: [0.3, 0.6], linkedin: [0.1, 0.35] };

export interface GenerateOptions {
  seed: number;
  campaigns?: number;
  objective?: 'revenue' | 'conversions' | 'profit';
  budgetChange?: number; // total = Σ current × this
  /**
   * `examples` (default): shape and carry-over by platform, and per scenario either Hill curves only or a mix of
   * families (as in the shared examples); `uniform`: every platform alike, each campaign's family drawn on its own
   * (the earlier generator, but without the glitch it put on every campaign's first day) — to check that nothing
   * depends on platforms differing.
   */
  population?: 'examples' | 'uniform';
}

export function generateScenario(o: GenerateOptions) {
  const r = rng('bench', o.seed);
  const U = (a: number, b: number) => a + (b - a) * r();
  const N = () => normal(r);
  const n = o.campaigns ?? Math.floor(U(6, 18));
  const objective = o.objective ?? (['revenue', 'revenue', 'conversions', 'profit'] as const)[Math.floor(U(0, 4))]!;
  const asOf = '2026-10-29';
  const byPlatform = (o.population ?? 'examples') === 'examples';
  const mixedCurves = byPlatform ? r() < 0.3 : true;
  const campaigns = [];
  const truth: TruthCampaign[] = [];
  for (let i = 0; i < n; i++) {
    const platform = PLATFORMS[i % 4]!;
    const id = `${platform}-${o.seed}-${i}`;
    const cur = Math.round(U(80, 1500) / 10) * 10;
    const adstock = byPlatform ? U(...CARRY_OVER[platform]!) : U(0, 0.6);
    const pacing = U(0.9, 0.99);
    const aov = U(...AOV[platform]!);
    const margin = U(0.3, 0.6);
    const x0 = (pacing * cur) / (1 - adstock);
    const roas0 = U(0.8, 6);
    const conv0 = (roas0 * pacing * cur) / aov;
    const kind = mixedCurves ? r() : (r(), 0);
    let curve: Curve;
    if (kind < (byPlatform ? 0.45 : 0.6)) {
      const shape = byPlatform ? U(...HILL_SHAPE[platform]!) : U(0.6, 2.6);
      const half = x0 * Math.exp(U(Math.log(0.3), Math.log(3)));
      const phi = Math.pow(x0, shape) / (Math.pow(x0, shape) + Math.pow(half, shape));
      curve = { type: 'hill', shape, half, ceiling: conv0 / phi };
    } else if (kind < (byPlatform ? 0.725 : 0.8)) {
      const scale = x0 * Math.exp(U(Math.log(0.3), Math.log(3)));
      curve = { type: 'negexp', scale, ceiling: conv0 / (1 - Math.exp(-x0 / scale)) };
    } else {
      const scale = x0 * Math.exp(U(Math.log(0.05), Math.log(3)));
      curve = { type: 'log', scale, coef: conv0 / Math.log1p(x0 / scale) };
    }
    const short = r() < 0.12;
    const histDays = short ? Math.floor(U(14, 30)) : 120;
    const constantBudget = r() < 0.18;
    const trendPerDay = U(-0.002, 0.002);
    const breakDay = !short && r() < 0.2 ? Math.floor(U(60, 105)) : null;
    const levelBefore = breakDay !== null ? U(0.5, 2.2) : 1; // relative to the current level
    const glitchDay = r() < 0.25 ? Math.floor(U(5, histDays - 3)) : -1;
    // Weekly pattern by platform, as the shared examples show it (weekend vs weekday, mean 1): consumer platforms
    // busier at weekends, Google a little quieter, LinkedIn much quieter; each campaign ±5% around it.
    const weekend = WEEKEND[platform]! * U(0.95, 1.05);
    const season = Array.from({ length: 7 }, (_, d) => (d === 0 || d === 6 ? weekend : (7 - 2 * weekend) / 5));
    // Day-to-day noise beyond Poisson: the shared examples show none to speak of (Pearson dispersion against their
    // truth ≈ 1.0 even at 100 conversions a day), so at most a little here; `uniform` keeps the earlier 0.05–0.25.
    const dispersion = byPlatform ? U(0, 0.04) : U(0.05, 0.25);
    // Budget plan, the way marketers move budgets: a random walk of steps held for 5–40 days (walked back from
    // today, so nearby periods resemble each other and budget drifts with time), the last 7–21 days at today's.
    const budgets: number[] = new Array<number>(histDays).fill(cur);
    if (!constantBudget) {
      let end = histDays - Math.floor(U(7, 22));
      let level = 0;
      while (end > 0) {
        const len = Math.floor(U(5, 41));
        level = Math.min(Math.log(3.3), Math.max(Math.log(0.25), level + 0.35 * N()));
        for (let d = Math.max(0, end - len); d < end; d++) budgets[d] = cur * Math.exp(level);
        end -= len;
      }
    }
    const history = [];
    // Carry-over starts cold (nothing carried into the first day), as in the shared examples; `uniform` starts
    // part-warm, as the earlier generator did.
    let carry = byPlatform ? 0 : ((pacing * budgets[0]!) / (1 - adstock)) * (1 - adstock);
    for (let d = 0; d < histDays; d++) {
      const date = addDays(asOf, d - histDays);
      const spend = Math.max(0, pacing * budgets[d]! * (1 + 0.04 * N()));
      carry = spend + adstock * carry;
      const t = d - (histDays - 1);
      let level = 1 + trendPerDay * t;
      if (breakDay !== null && d < breakDay) level *= levelBefore;
      const mean = level * curveValue(curve, carry) * season[dayOfWeek(date)]! * Math.exp(dispersion * N() - dispersion ** 2 / 2);
      let conv = poisson(r, mean, 60);
      if (glitchDay >= 0 && (d === glitchDay || d === glitchDay + 1)) conv = r() < 0.5 ? 0 : conv * 6; // two bad days
      // Order values vary (log-sd 0.35 per order, as in the examples) around a mean of `aov`, as there.
      const sdRev = conv > 0 ? 0.35 / Math.sqrt(conv) : 0;
      const revenue = conv > 0 ? conv * aov * Math.exp(sdRev * N() - (byPlatform ? sdRev ** 2 / 2 : 0)) : 0;
      if (r() < 0.03) continue; // a missing day
      history.push({ date, spend: Math.round(spend * 100) / 100, impressions: 0, clicks: 0, conversions: conv, revenue: Math.round(revenue * 100) / 100 });
    }
    const locked = r() < 0.08;
    campaigns.push({
      id,
      platform,
      name: `${platform} campaign ${i}`,
      currentDailyBudget: cur,
      minDailyBudget: Math.round(cur * 0.2),
      maxDailyBudget: cur * 4,
      locked,
      ...(objective === 'profit' ? { margin } : {}),
      history,
    });
    const flags = [curve.type, short ? 'short' : '', constantBudget ? 'constant' : '', breakDay !== null ? 'break' : '', glitchDay >= 0 ? 'glitch' : ''].filter(
      Boolean,
    );
    truth.push({ id, curve, adstock, pacing, aov, margin, level: 1, flags, breakDay: breakDay === null ? null : addDays(asOf, breakDay - histDays) });
  }
  const sumCur = campaigns.reduce((a, c) => a + c.currentDailyBudget, 0);
  const change = o.budgetChange ?? [1, 1, 0.8, 1.2, 0.7, 1.3][Math.floor(U(0, 6))]!;
  const scenario = {
    name: `gen-${o.seed}`,
    currency: 'USD',
    objective,
    asOf,
    constraints: { totalDailyBudget: Math.round(sumCur * change), maxChangePct: 0.5 },
    campaigns,
  };
  return { scenario, truth: { name: scenario.name, campaigns: truth } };
}

/**
 * Scenario `i` of the generated set the bench tools judge, as the environment chooses it: SWEEP_SEED (first seed,
 * default 1000), SWEEP_CAMPAIGNS, SWEEP_CHANGE (total = Σ current × this), SWEEP_POPULATION=uniform.
 */
export function sweepScenario(i: number) {
  const env = process.env;
  return generateScenario({
    seed: i + Number(env.SWEEP_SEED ?? 1000),
    campaigns: env.SWEEP_CAMPAIGNS ? Number(env.SWEEP_CAMPAIGNS) : undefined,
    budgetChange: env.SWEEP_CHANGE ? Number(env.SWEEP_CHANGE) : undefined,
    population: env.SWEEP_POPULATION === 'uniform' ? 'uniform' : undefined,
  });
}
