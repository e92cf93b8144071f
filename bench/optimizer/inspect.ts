// One scenario in detail: per campaign the reference, MBO's and the true optimum's budgets, what each is worth
// against the reference, and MBO's reasons. A generated scenario by seed, or a scenario file with its truth file.
// usage: tsx bench/optimizer/inspect.ts SEED | SCENARIO.json TRUTH.json  ['json options']
import { readFileSync } from 'node:fs';
import { optimize, type OptimizeOptions } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
import { loadScorer } from './scorer.js';
// @ts-expect-error plain JS module from the shared folder
import { oracle, expectedValue } from '../../../shared/optimizer/truth.mjs';

const args = process.argv.slice(2);
const opts = args[args.length - 1]?.startsWith('{') ? (JSON.parse(args.pop()!) as OptimizeOptions) : {};
const [a, b] = args;
const { scenario, truth } = b
  ? { scenario: JSON.parse(readFileSync(a!, 'utf8')), truth: JSON.parse(readFileSync(b, 'utf8')) }
  : generateScenario({ seed: Number(a) });
const { score, parseResult, referenceBudgets } = await loadScorer();
const result = optimize(parseScenario(scenario), opts);
const budgets = parseResult(result);
const opt = oracle(scenario, truth);
const ref = referenceBudgets(scenario);
console.log(scenario.objective, 'B', scenario.constraints.totalDailyBudget, JSON.stringify(score(scenario, truth, budgets)));
for (const c of scenario.campaigns as { id: string; currentDailyBudget: number }[]) {
  const t = truth.campaigns.find((x: { id: string }) => x.id === c.id);
  const p = result.allocations.find((x) => x.campaignId === c.id)!;
  const dv = (v: number) => expectedValue(t, v, scenario.objective) - expectedValue(t, ref[c.id]!, scenario.objective);
  console.log(
    c.id.padEnd(18),
    (t.flags ?? []).join(',').padEnd(22),
    `cur ${c.currentDailyBudget}`.padEnd(9),
    `ref ${ref[c.id]!.toFixed(0)}`.padEnd(9),
    `mbo ${budgets[c.id]!.toFixed(0)}`.padEnd(9),
    `opt ${opt.budgets[c.id].toFixed(0)}`.padEnd(9),
    `Δmbo ${dv(budgets[c.id]!).toFixed(1)}`.padEnd(12),
    `Δopt ${dv(opt.budgets[c.id]).toFixed(1)}`.padEnd(12),
    p.reasons.map((r) => r.code).join(','),
    `e=${p.model.elasticity?.toFixed(2)} shift=${p.model.levelShiftOn ?? '-'}`,
  );
}
