// Multi-touch attribution over customer journeys (ordered touchpoints of converting and non-converting
// users). Rule-based models (last click, first click, linear, time decay, position-based 40/20/40) spread each
// conversion along its own path; data-driven models learn from the non-converting paths too:
//  - Markov chain removal effect: how much the probability of converting falls when a channel is removed;
//  - Shapley value: each channel's average marginal contribution to the conversion rate of the channel sets
//    it appears in (conversion rates estimated per exact channel set, made monotone where data is thin).
// Every model returns credit per channel summing to the total conversions (or conversion value).
import { AppError } from '../errors.js';

export interface Touchpoint {
  channel: string;
  /** ISO timestamp; lets time decay use real time instead of position. */
  at?: string;
}

export interface Journey {
  touchpoints: Array<Touchpoint | string>;
  converted: boolean;
  /** Conversion value; credit is in conversions when absent. */
  value?: number;
}

export type AttributionModel = 'last_click' | 'first_click' | 'linear' | 'time_decay' | 'position_based' | 'markov' | 'shapley';
export const ATTRIBUTION_MODELS: AttributionModel[] = ['last_click', 'first_click', 'linear', 'time_decay', 'position_based', 'markov', 'shapley'];

export interface AttributionOptions {
  /** Time decay half-life: days when touchpoints carry timestamps, else touchpoints (default 7 days / 2 touches). */
  halfLife?: number;
  /** Shapley: journeys needed before a channel set's own conversion rate is trusted (default 10). */
  minSupport?: number;
}

type Credit = Record<string, number>;

const channels = (j: Journey) => j.touchpoints.map((t) => (typeof t === 'string' ? t : t.channel));
const worth = (j: Journey) => (j.converted ? (j.value ?? 1) : 0);

function add(c: Credit, ch: string, v: number) {
  c[ch] = (c[ch] ?? 0) + v;
}

function ruleBased(journeys: Journey[], weights: (path: string[], j: Journey) => number[]): Credit {
  const credit: Credit = {};
  for (const j of journeys) {
    const path = channels(j);
    if (!j.converted || !path.length) continue;
    const w = weights(path, j);
    const s = w.reduce((a, b) => a + b, 0);
    path.forEach((ch, i) => add(credit, ch, (worth(j) * w[i]!) / s));
  }
  return credit;
}

function timeDecayWeights(path: string[], j: Journey, halfLife?: number): number[] {
  const stamps = j.touchpoints.map((t) => (typeof t === 'string' ? undefined : t.at));
  if (stamps.every((s) => s && !Number.isNaN(Date.parse(s)))) {
    const end = Math.max(...stamps.map((s) => Date.parse(s!)));
    const h = (halfLife ?? 7) * 86_400_000;
    return stamps.map((s) => Math.pow(0.5, (end - Date.parse(s!)) / h));
  }
  const h = halfLife ?? 2;
  return path.map((_, i) => Math.pow(0.5, (path.length - 1 - i) / h));
}

function positionWeights(path: string[]): number[] {
  if (path.length === 1) return [1];
  if (path.length === 2) return [0.5, 0.5];
  return path.map((_, i) => (i === 0 || i === path.length - 1 ? 0.4 : 0.2 / (path.length - 2)));
}

/** Probability of reaching conversion from the start state of a first-order chain (value iteration). */
function conversionProbability(trans: Map<string, Map<string, number>>, removed?: string): number {
  const p = new Map<string, number>();
  for (let iter = 0; iter < 500; iter++) {
    let delta = 0;
    for (const [from, to] of trans) {
      if (from === removed) continue;
      let total = 0;
      let sum = 0;
      for (const [t, n] of to) {
        total += n;
        if (t === '(conversion)') sum += n;
        else if (t !== '(null)' && t !== removed) sum += n * (p.get(t) ?? 0);
      }
      const v = total ? sum / total : 0;
      delta = Math.max(delta, Math.abs(v - (p.get(from) ?? 0)));
      p.set(from, v);
    }
    if (delta < 1e-12) break;
  }
  return p.get('(start)') ?? 0;
}

function markov(journeys: Journey[]): Credit {
  const trans = new Map<string, Map<string, number>>();
  const count = (a: string, b: string) => {
    const m = trans.get(a) ?? new Map<string, number>();
    m.set(b, (m.get(b) ?? 0) + 1);
    trans.set(a, m);
  };
  const all = new Set<string>();
  for (const j of journeys) {
    const path = channels(j);
    path.forEach((c) => all.add(c));
    const states = ['(start)', ...path, j.converted ? '(conversion)' : '(null)'];
    for (let i = 0; i + 1 < states.length; i++) count(states[i]!, states[i + 1]!);
  }
  const base = conversionProbability(trans);
  const effects: Credit = {};
  for (const c of all) effects[c] = base > 0 ? Math.max(0, 1 - conversionProbability(trans, c) / base) : 0;
  return normalize(effects, journeys);
}

function shapley(journeys: Journey[], minSupport: number): Credit {
  const all = [...new Set(journeys.flatMap(channels))].sort();
  if (all.length > 20) throw new AppError('VALIDATION', `Shapley attribution supports at most 20 channels, got ${all.length}`);
  const index = new Map(all.map((c, i) => [c, i]));
  const maskOf = (j: Journey) => channels(j).reduce((m, c) => m | (1 << index.get(c)!), 0);
  const stats = new Map<number, { n: number; conv: number; value: number }>();
  for (const j of journeys) {
    const m = maskOf(j);
    const s = stats.get(m) ?? { n: 0, conv: 0, value: 0 };
    s.n++;
    if (j.converted) s.conv++;
    s.value += worth(j);
    stats.set(m, s);
  }
  // v(S): the conversion rate of journeys exposed to exactly S, made monotone (more channels never hurt) and
  // filled from subsets where S is rare.
  const cache = new Map<number, number>();
  const v = (mask: number): number => {
    if (mask === 0) {
      const s = stats.get(0);
      return s && s.n >= minSupport ? s.conv / s.n : 0;
    }
    const hit = cache.get(mask);
    if (hit !== undefined) return hit;
    let best = 0;
    for (let b = mask; b; b &= b - 1) best = Math.max(best, v(mask & ~(b & -b)));
    const s = stats.get(mask);
    const own = s && s.n >= minSupport ? s.conv / s.n : -Infinity;
    const r = Math.max(best, own);
    cache.set(mask, r);
    return r;
  };
  const fact = [1];
  for (let i = 1; i <= all.length; i++) fact[i] = fact[i - 1]! * i;
  const credit: Credit = {};
  for (const [mask, s] of stats) {
    if (!s.value) continue;
    const members = all.map((_, i) => i).filter((i) => mask & (1 << i));
    const k = members.length;
    const phi = members.map((i) => {
      let sum = 0;
      const others = members.filter((x) => x !== i);
      for (let sub = 0; sub < 1 << others.length; sub++) {
        let m = 0;
        let size = 0;
        others.forEach((o, bit) => {
          if (sub & (1 << bit)) {
            m |= 1 << o;
            size++;
          }
        });
        sum += ((fact[size]! * fact[k - size - 1]!) / fact[k]!) * (v(m | (1 << i)) - v(m));
      }
      return Math.max(0, sum);
    });
    const total = phi.reduce((a, b) => a + b, 0);
    members.forEach((i, j) => add(credit, all[i]!, s.value * (total > 0 ? phi[j]! / total : 1 / k)));
  }
  return credit;
}

function normalize(effects: Credit, journeys: Journey[]): Credit {
  const total = journeys.reduce((a, j) => a + worth(j), 0);
  const sum = Object.values(effects).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(effects).map(([c, e]) => [c, sum > 0 ? (total * e) / sum : 0]));
}

export function attribute(journeys: Journey[], model: AttributionModel, opts: AttributionOptions = {}): Credit {
  switch (model) {
    case 'last_click':
      return ruleBased(journeys, (p) => p.map((_, i) => (i === p.length - 1 ? 1 : 0)));
    case 'first_click':
      return ruleBased(journeys, (p) => p.map((_, i) => (i === 0 ? 1 : 0)));
    case 'linear':
      return ruleBased(journeys, (p) => p.map(() => 1));
    case 'time_decay':
      return ruleBased(journeys, (p, j) => timeDecayWeights(p, j, opts.halfLife));
    case 'position_based':
      return ruleBased(journeys, positionWeights);
    case 'markov':
      return markov(journeys);
    case 'shapley':
      return shapley(journeys, opts.minSupport ?? 10);
    default:
      throw new AppError('VALIDATION', `unknown attribution model "${model as string}" (one of ${ATTRIBUTION_MODELS.join(', ')})`);
  }
}

/** Every model at once: channel → model → credit, for side-by-side comparison. */
export function compareModels(journeys: Journey[], opts: AttributionOptions = {}): Record<AttributionModel, Credit> {
  return Object.fromEntries(ATTRIBUTION_MODELS.map((m) => [m, attribute(journeys, m, opts)])) as Record<AttributionModel, Credit>;
}
