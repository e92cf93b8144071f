// Where the captured share is lost: each campaign's share of the gap to the true optimum, priced at the true
// shadow price (V_i(opt) − λ·opt_i) − (V_i(mbo) − λ·mbo_i), grouped by what makes its history hard.
// usage: [SWEEP_SEED=1000 SWEEP_CHANGE=… SWEEP_CAMPAIGNS=… SWEEP_POPULATION=uniform] tsx bench/optimizer/losses.ts [count] ['json options']
import { optimize, type OptimizeOptions } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { sweepScenario } from './generate.js';
import { loadScorer } from './scorer.js';
// @ts-expect-error plain JS module from the shared folder
import { oracle, expectedValue } from '../../../shared/optimizer/truth.mjs';

const count = Number(process.argv[2] ?? 60);
const opts = JSON.parse(process.argv[3] ?? '{}') as OptimizeOptions;
const { score, parseResult, referenceBudgets } = await loadScorer();
const groups = new Map<string, { loss: number; n: number }>();
const add = (k: string, v: number) => {
  const g = groups.get(k) ?? { loss: 0, n: 0 };
  g.loss += v;
  g.n++;
  groups.set(k, g);
};
let gapTotal = 0;
const caps: number[] = [];
for (let seed = 1; seed <= count; seed++) {
  const { scenario, truth } = sweepScenario(seed);
  const budgets = parseResult(optimize(parseScenario(scenario), opts));
  const s = score(scenario, truth, budgets);
  if (s.uplift < 0.005) continue;
  caps.push(s.captured ?? -9);
  const opt = oracle(scenario, truth);
  const ref = referenceBudgets(scenario);
  const obj = scenario.objective;
  // True shadow price: median marginal value of campaigns strictly inside their range at the optimum.
  const lams: number[] = [];
  for (const t of truth.campaigns) {
    const b = opt.budgets[t.id] as number;
    const h = Math.max(1, b * 0.01);
    lams.push((expectedValue(t, b + h, obj) - expectedValue(t, b - h, obj)) / (2 * h));
  }
  lams.sort((a, b) => a - b);
  const lam = lams[lams.length >> 1]!;
  let vOpt = 0;
  let vRef = 0;
  for (const t of truth.campaigns) {
    vOpt += expectedValue(t, opt.budgets[t.id], obj);
    vRef += expectedValue(t, ref[t.id]!, obj);
  }
  const gap = vOpt - vRef;
  gapTotal += 1;
  for (const t of truth.campaigns) {
    const o = opt.budgets[t.id] as number;
    const m = budgets[t.id]!;
    const l = (expectedValue(t, o, obj) - lam * o - (expectedValue(t, m, obj) - lam * m)) / gap;
    const flags = (t.flags ?? []) as string[];
    const key = flags.filter((f) => !['hill', 'negexp', 'log'].includes(f)).join('+') || 'clean';
    add(`flags ${key}`, l);
    add(`curve ${flags[0]}`, l);
    add(`obj ${obj}`, l);
    add(`platform ${t.id.split('-')[0]} ${obj}`, l);
    add('all', l);
  }
}
console.log(`scenarios ${caps.length} mean captured ${(caps.reduce((a, b) => a + b, 0) / caps.length).toFixed(3)}`);
for (const [k, g] of [...groups].sort())
  console.log(
    k.padEnd(30),
    `campaigns ${String(g.n).padStart(4)}  loss per scenario ${(g.loss / gapTotal).toFixed(4)}  per campaign ${(g.loss / g.n).toFixed(4)}`,
  );
