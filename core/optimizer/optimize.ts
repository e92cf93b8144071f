// Scenario in, plan out: fit every campaign, borrow strength across each platform, turn each model into a
// risk-adjusted objective over its feasible budgets, allocate, and explain every recommendation.
// Pure and deterministic (no I/O, no clock, no randomness): the CLI, workflows and the API call the same code.
import { allocate, type AllocationItem } from './allocate.js';
import { fitCampaign, type CampaignFit } from './fit.js';
import { buildModel, peerPriors, predictConversions, tabulate, type ResponseModel } from './model.js';
import { bounds, type Scenario, type ScenarioCampaign } from './scenario.js';

export interface OptimizeOptions {
  /** Standard deviations of the uncertainty of each move a plan pays for (default: scenario.riskAversion ?? 0.4). */
  riskAversion?: number;
  /** Never plan beyond this multiple of the highest budget a campaign has been seen spending (default 1.5). */
  extrapolationCap?: number;
  /** Budget points per campaign for the allocation grid (default 48). */
  gridPoints?: number;
  /** How far (±) a campaign whose curve is not identified may move from its neutral budget (default 1: up to double). */
  weakTrustRegion?: number;
  /** Diagnostics only: replace a campaign's fitted model (bench/optimizer/oracle.ts measures what perfect models would gain). */
  modelHook?: (campaignId: string, fitted: ResponseModel | undefined) => ResponseModel | undefined;
}

/**
 * The neutral plan a careful planner would make without a model: current budgets scaled by one factor to the
 * new total, clipped to the bounds. Campaigns the data cannot speak for stay near it.
 */
export function scaledCurrent(s: Scenario): number[] {
  const total = s.constraints.totalDailyBudget;
  const cur = s.campaigns.map((c) => c.currentDailyBudget);
  const bs = s.campaigns.map((c) => bounds(s, c));
  const at = (f: number) => cur.map((b, i) => Math.min(bs[i]![1], Math.max(bs[i]![0], b * f)));
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  if (Math.abs(sum(cur) - total) < 0.01) return cur;
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 100; i++) {
    const m = (lo + hi) / 2;
    if (sum(at(m)) > total) hi = m;
    else lo = m;
  }
  return at(lo);
}

export type ReasonCode =
  | 'locked'
  | 'insufficient-data-held'
  | 'weakly-identified-borrowed'
  | 'under-funded'
  | 'saturated'
  | 'unprofitable'
  | 'held'
  | 'at-max-bound'
  | 'at-min-bound'
  | 'extrapolation-capped'
  | 'level-shift-detected'
  | 'outliers-excluded'
  | 'min-bound-relaxed';

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface Estimate {
  value: number;
  low: number;
  high: number;
}

export interface CampaignPlan {
  campaignId: string;
  name: string;
  platform: string;
  currentDailyBudget: number;
  dailyBudget: number;
  changePct: number;
  /** The objective per day at the recommended budget (revenue, conversions or profit), 90% interval. */
  expected: Estimate;
  expectedAtCurrent: number;
  /** Marginal ROAS (revenue, profit objectives) or marginal CPA (conversions), now and after. */
  marginal: { metric: 'roas' | 'cpa'; now: number | null; after: number | null };
  reasons: Reason[];
  model: {
    identified: boolean;
    days: number;
    elasticity: number | null;
    pacing: number | null;
    spendSeen: [number, number] | null;
    levelShiftOn: string | null;
    /** The history starts at a launch (carry-over built up from nothing), rather than mid-flight. */
    coldStart: boolean | null;
    outliersExcluded: number;
  };
}

export interface OptimizeResult {
  name: string;
  objective: Scenario['objective'];
  currency: string;
  allocations: CampaignPlan[];
  expectedTotal: Estimate & { atCurrent: number; uplift: number; atNeutral: number };
  totalDailyBudget: number;
  allocatedDailyBudget: number;
  shadowPrice: number;
  warnings: string[];
}

const Z90 = 1.645;

interface Prepared {
  c: ScenarioCampaign;
  model?: ResponseModel;
  fit?: CampaignFit;
  lo: number;
  hi: number;
  /** The user's bounds, before MBO's own caution (trust region, extrapolation cap): what share bounds may use. */
  hardLo: number;
  hardHi: number;
  capHi: number | null;
  pctBound: boolean;
}

function objectiveOf(s: Scenario, c: ScenarioCampaign, m: ResponseModel | undefined) {
  const aov = m?.fit.aov ?? 0;
  const pacing = m?.fit.pacing ?? 1;
  const margin = c.margin ?? 0;
  return (budget: number) => {
    if (!m) return { value: 0, sd: 0, revenue: 0, conversions: 0, spend: pacing * budget };
    const conv = predictConversions(m, budget);
    const spend = pacing * budget;
    const revenue = aov * conv.mean;
    let value: number;
    let sd: number;
    switch (s.objective) {
      case 'revenue':
        value = revenue;
        sd = aov * conv.sd;
        break;
      case 'conversions':
        value = conv.mean;
        sd = conv.sd;
        break;
      case 'profit':
        value = margin * revenue - spend;
        sd = margin * aov * conv.sd;
        break;
    }
    return { value, sd, revenue, conversions: conv.mean, spend };
  };
}

export function optimize(s: Scenario, opts: OptimizeOptions = {}): OptimizeResult {
  const kappa = opts.riskAversion ?? s.riskAversion ?? 0.4;
  const capMult = opts.extrapolationCap ?? 1.5;
  const trust = opts.weakTrustRegion ?? 1;
  const neutral = scaledCurrent(s);
  const G = opts.gridPoints ?? 48;
  const total = s.constraints.totalDailyBudget;
  const warnings: string[] = [];

  // 1. Fit, then pool by platform.
  const fits = s.campaigns.map((c) => ({ c, fit: fitCampaign(c.history, c.currentDailyBudget) ?? undefined }));
  const priors = peerPriors(fits.filter((f) => f.fit).map((f) => ({ group: f.c.platform, fit: f.fit! })));
  const prepared: Prepared[] = fits.map(({ c, fit }, idx) => {
    let [lo0, hi0] = bounds(s, c);
    const [hardLo, hardHi] = [lo0, hi0];
    const built = fit ? buildModel(fit, priors.get(c.platform)) : undefined;
    const model = opts.modelHook ? opts.modelHook(c.id, built) : built;
    if (model && !model.identified && !c.locked) {
      // Its own data cannot tell: move only a little around the neutral (scaled-current) budget.
      const n0 = neutral[idx]!;
      lo0 = Math.min(hi0, Math.max(lo0, n0 * (1 - trust)));
      hi0 = Math.max(lo0, Math.min(hi0, n0 * (1 + trust)));
    }
    let hi = hi0;
    let capHi: number | null = null;
    if (model && !c.locked) {
      capHi = Math.max(neutral[idx]!, Math.max(c.currentDailyBudget, model.fit.spendSeen[1] / model.fit.pacing) * capMult);
      if (capHi < hi) hi = Math.max(lo0, capHi);
    }
    if (!model && !c.locked) {
      // Nothing to learn from: hold the current budget (within bounds).
      const held = Math.min(hi0, Math.max(lo0, c.currentDailyBudget));
      return { c, fit, model, lo: held, hi: held, hardLo: held, hardHi: held, capHi: null, pctBound: false };
    }
    const pct = s.constraints.maxChangePct;
    const pctBound = pct != null && Math.abs(hi0 - c.currentDailyBudget * (1 + pct)) < 1e-9;
    return { c, fit, model, lo: lo0, hi: Math.max(lo0, hi), hardLo, hardHi, capHi, pctBound };
  });

  // 2. Feasibility of the bounds against the total.
  const sumLo = prepared.reduce((a, p) => a + p.lo, 0);
  const relaxed = new Set<string>();
  if (sumLo > total + 1e-9) {
    const lockedSum = prepared.filter((p) => p.lo === p.hi).reduce((a, p) => a + p.lo, 0);
    const free = prepared.filter((p) => p.lo !== p.hi);
    const freeLo = free.reduce((a, p) => a + p.lo, 0);
    const room = Math.max(0, total - lockedSum);
    const f = freeLo > 0 ? Math.min(1, room / freeLo) : 0;
    for (const p of free) {
      p.lo = p.hi = p.hardLo = p.hardHi = p.lo * f;
      relaxed.add(p.c.id);
    }
    warnings.push(
      lockedSum > total
        ? `infeasible: locked and held budgets alone (${lockedSum.toFixed(2)}) exceed the total ${total}; every other campaign gets 0 and the total is exceeded by ${(lockedSum - total).toFixed(2)}`
        : `infeasible: minimum budgets add up to ${sumLo.toFixed(2)} > total ${total}; minimums were scaled down by ${((1 - f) * 100).toFixed(1)}% to the closest plan within the total`,
    );
  }
  const sumHi = prepared.reduce((a, p) => a + p.hi, 0);
  if (sumHi < total - 0.01) warnings.push(`bounds cap the plan at ${sumHi.toFixed(2)} of the ${total} total daily budget`);

  // 3. Risk-adjusted objective on a budget grid per campaign.
  const evaluators = prepared.map((p) => objectiveOf(s, p.c, p.model));
  const target = s.target;
  const makeItem = (i: number, lo: number, hi: number): AllocationItem => {
    const p = prepared[i]!;
    const k = hi > lo ? G : 1;
    const pts = Array.from({ length: k }, (_, j) => (k === 1 ? lo : lo + ((hi - lo) * j) / (k - 1)));
    if (k > 1 && p.c.currentDailyBudget > lo && p.c.currentDailyBudget < hi) pts.push(p.c.currentDailyBudget);
    pts.sort((a, b) => a - b);
    const budgets = Float64Array.from(pts);
    const m = p.model;
    const c = p.c;
    let values: Float64Array;
    if (!m) values = new Float64Array(budgets.length);
    else {
      const t = tabulate(m, budgets, neutral[i]!);
      const aov = m.fit.aov;
      const margin = c.margin ?? 0;
      values = Float64Array.from(budgets, (b, j) => {
        const conv = t.mean[j]!;
        const spend = m.fit.pacing * b;
        const unit = s.objective === 'conversions' ? 1 : s.objective === 'profit' ? margin * aov : aov;
        let v = s.objective === 'conversions' ? conv : s.objective === 'profit' ? margin * aov * conv - spend : aov * conv;
        v -= kappa * unit * t.moveSd[j]!;
        if (target?.metric === 'roas') v -= target.value * spend;
        if (target?.metric === 'cpa') v -= spend / target.value;
        return v;
      });
    }
    return { lo, hi, budgets, values };
  };
  const items = prepared.map((p, i) => makeItem(i, p.lo, p.hi));

  // 4. Allocate, honouring per-platform share bounds by fixing violators and re-solving the rest. A share bound is
  //    the user's: within a fixed platform MBO's own caution yields to it (hard bounds only).
  const { budgets, lambda } = allocateWithShares(s, prepared, items, (i) => makeItem(i, prepared[i]!.hardLo, prepared[i]!.hardHi), total, warnings);

  // 5. Round to cents without breaking the total or the bounds.
  const rounded = Array.from(budgets, (b, i) => {
    const p = prepared[i]!;
    if (p.lo === p.hi && p.c.locked) return Math.round(p.lo * 100) / 100;
    if (p.lo === p.hi) return Math.floor(p.lo * 100 + 1e-6) / 100;
    const lo = Math.ceil(p.hardLo * 100 - 1e-6) / 100;
    return Math.max(Math.min(lo, p.hardHi), Math.floor(b * 100 + 1e-6) / 100);
  });
  let over = rounded.reduce((a, b) => a + b, 0) - total;
  for (let i = 0; over > 1e-9 && i < rounded.length; i++) {
    const p = prepared[i]!;
    if (p.lo === p.hi) continue;
    const cut = Math.min(over, rounded[i]! - p.hardLo);
    if (cut > 0) {
      rounded[i] = Math.floor((rounded[i]! - cut) * 100) / 100;
      over = rounded.reduce((a, b) => a + b, 0) - total;
    }
  }

  // 6. Explain.
  const allocations = prepared.map((p, i) => explain(s, p, evaluators[i]!, rounded[i]!, relaxed.has(p.c.id)));
  let value = 0;
  let varSum = 0;
  let atCurrent = 0;
  let atNeutral = 0;
  prepared.forEach((p, i) => {
    const e = evaluators[i]!(rounded[i]!);
    value += e.value;
    varSum += e.sd * e.sd;
    atCurrent += evaluators[i]!(p.c.currentDailyBudget).value;
    atNeutral += evaluators[i]!(neutral[i]!).value;
  });
  const sd = Math.sqrt(varSum);
  return {
    name: s.name,
    objective: s.objective,
    currency: s.currency,
    allocations,
    expectedTotal: { value, low: value - Z90 * sd, high: value + Z90 * sd, atCurrent, atNeutral, uplift: atCurrent !== 0 ? value / atCurrent - 1 : 0 },
    totalDailyBudget: total,
    allocatedDailyBudget: Math.round(rounded.reduce((a, b) => a + b, 0) * 100) / 100,
    shadowPrice: lambda,
    warnings,
  };
}

function allocateWithShares(
  s: Scenario,
  prepared: Prepared[],
  items: AllocationItem[],
  hard: (i: number) => AllocationItem,
  total: number,
  warnings: string[],
) {
  const shares = s.constraints.platformShare ?? {};
  const fixed = new Map<string, number>(); // platform → its fixed budget
  for (let round = 0; round <= Object.keys(shares).length; round++) {
    const budgets = new Float64Array(items.length);
    let lambda = 0;
    let rest = total;
    for (const [platform, amount] of fixed) {
      const idx = prepared.map((p, i) => (p.c.platform === platform ? i : -1)).filter((i) => i >= 0);
      const r = allocate(
        idx.map((i) => hard(i)),
        amount,
      );
      idx.forEach((i, j) => (budgets[i] = r.budgets[j]!));
      if (Math.abs(r.total - amount) > 0.01)
        warnings.push(`${platform}: its campaigns' own bounds put it at ${r.total.toFixed(2)}, not the ${amount.toFixed(2)} its share bound asks for`);
      rest -= r.total;
    }
    const free = prepared.map((p, i) => (fixed.has(p.c.platform) ? -1 : i)).filter((i) => i >= 0);
    const r = allocate(
      free.map((i) => items[i]!),
      Math.max(0, rest),
    );
    free.forEach((i, j) => (budgets[i] = r.budgets[j]!));
    lambda = r.lambda;
    // Worst share violation among platforms not yet fixed.
    let worst: { platform: string; amount: number; gap: number } | undefined;
    for (const [platform, b] of Object.entries(shares)) {
      if (fixed.has(platform)) continue;
      const spent = prepared.reduce((a, p, i) => a + (p.c.platform === platform ? budgets[i]! : 0), 0);
      if (b.min != null && spent < b.min * total - 0.01) {
        const gap = b.min * total - spent;
        if (!worst || gap > worst.gap) worst = { platform, amount: b.min * total, gap };
      }
      if (b.max != null && spent > b.max * total + 0.01) {
        const gap = spent - b.max * total;
        if (!worst || gap > worst.gap) worst = { platform, amount: b.max * total, gap };
      }
    }
    if (!worst) return { budgets, lambda };
    fixed.set(worst.platform, worst.amount);
    if (round === Object.keys(shares).length) {
      warnings.push(`platform share bounds could not all be met; closest plan returned`);
      return { budgets, lambda };
    }
  }
  throw new Error('unreachable');
}

function explain(s: Scenario, p: Prepared, evaluate: ReturnType<typeof objectiveOf>, budget: number, relaxed: boolean): CampaignPlan {
  const c = p.c;
  const cur = c.currentDailyBudget;
  const e = evaluate(budget);
  const reasons: Reason[] = [];
  const metric: 'roas' | 'cpa' = s.objective === 'conversions' ? 'cpa' : 'roas';
  const marginalAt = (b: number): number | null => {
    if (!p.model) return null;
    const h = Math.max(0.5, b * 0.02);
    const a = evaluate(Math.max(0, b - h));
    const z = evaluate(b + h);
    const dSpend = z.spend - a.spend;
    if (dSpend <= 0) return null;
    if (metric === 'roas') return (z.revenue - a.revenue) / dSpend;
    const dConv = z.conversions - a.conversions;
    return dConv > 0 ? dSpend / dConv : null;
  };
  const change = cur > 0 ? budget / cur - 1 : budget > 0 ? 1 : 0;
  const pct = `${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}%`;
  const mNow = marginalAt(cur);
  const mAfter = marginalAt(budget);
  const fmt = (m: number | null) => (m === null ? 'n/a' : m.toFixed(2));

  if (c.locked) reasons.push({ code: 'locked', message: 'locked: budget kept as it is' });
  else if (!p.model) reasons.push({ code: 'insufficient-data-held', message: 'insufficient data: no usable history, budget held' });
  else {
    if (relaxed) reasons.push({ code: 'min-bound-relaxed', message: 'minimum budget scaled down so the plan fits the total (see warnings)' });
    if (!p.model.identified)
      reasons.push({
        code: 'weakly-identified-borrowed',
        message: `its own history (${p.model.fit.days} days, budget variation ${(p.model.fit.spendCv * 100).toFixed(0)}%) cannot identify a curve: borrowed the ${c.platform} peers' response and stayed cautious`,
      });
    if (Math.abs(change) < 0.03)
      reasons.push({ code: 'held', message: `held: moving it would not pay for the uncertainty (marginal ${metric.toUpperCase()} ${fmt(mNow)})` });
    else if (change > 0)
      reasons.push({ code: 'under-funded', message: `under-funded: marginal ${metric.toUpperCase()} ${fmt(mNow)} now, ${fmt(mAfter)} after ${pct}` });
    else if (s.objective === 'profit' && mNow !== null && c.margin != null && mNow * c.margin < 1)
      reasons.push({
        code: 'unprofitable',
        message: `unprofitable at the margin: each extra ${s.currency} returns ${(mNow * c.margin).toFixed(2)} in profit; ${pct}`,
      });
    else
      reasons.push({ code: 'saturated', message: `saturated: marginal ${metric.toUpperCase()} ${fmt(mNow)} is below what the budget earns elsewhere; ${pct}` });
    if (p.capHi !== null && Math.abs(budget - p.capHi) < 0.02 && p.capHi < bounds(s, c)[1])
      reasons.push({
        code: 'extrapolation-capped',
        message: `capped at ${p.capHi.toFixed(2)}: the curve is not trusted far beyond the highest spend seen (${p.model.fit.spendSeen[1].toFixed(2)}/day)`,
      });
    else if (budget >= p.hi - 0.02 && p.hi > p.lo)
      reasons.push({ code: 'at-max-bound', message: p.pctBound ? 'at the maximum change per step' : 'at its maximum budget' });
    else if (budget <= p.lo + 0.02 && p.hi > p.lo) reasons.push({ code: 'at-min-bound', message: 'at its minimum budget' });
    if (p.model.fit.breakDate)
      reasons.push({ code: 'level-shift-detected', message: `performance shifted on ${p.model.fit.breakDate}: the recent level is used` });
    if (p.model.fit.outliers.length) reasons.push({ code: 'outliers-excluded', message: `${p.model.fit.outliers.length} glitch day(s) excluded from the fit` });
  }
  return {
    campaignId: c.id,
    name: c.name ?? c.id,
    platform: c.platform,
    currentDailyBudget: cur,
    dailyBudget: budget,
    changePct: Math.round(change * 10000) / 100,
    expected: { value: e.value, low: e.value - Z90 * e.sd, high: e.value + Z90 * e.sd },
    expectedAtCurrent: evaluate(cur).value,
    marginal: { metric, now: mNow, after: mAfter },
    reasons,
    model: {
      identified: p.model?.identified ?? false,
      days: p.fit?.days ?? 0,
      elasticity: p.model?.elasticity ?? null,
      pacing: p.fit?.pacing ?? null,
      spendSeen: p.fit?.spendSeen ?? null,
      levelShiftOn: p.fit?.breakDate ?? null,
      coldStart: p.fit?.coldStart ?? null,
      outliersExcluded: p.fit?.outliers.length ?? 0,
    },
  };
}
