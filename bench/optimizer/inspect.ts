// One generated scenario in detail: per campaign the reference, MBO's and the true optimum's budgets.
// usage: tsx bench/optimizer/inspect.ts SEED
import { optimize } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
import { loadScorer } from './scorer.js';
// @ts-expect-error plain JS module from the shared folder
import { oracle, expectedValue } from '../../../shared/optimizer/truth.mjs';

const seed = Number(process.argv[2]);
const { scenario, truth } = generateScenario({ seed });
const { score, parseResult, referenceBudgets } = await loadScorer();
const result = optimize(parseScenario(scenario));
const budgets = parseResult(result);
const opt = oracle(scenario, truth);
const ref = referenceBudgets(scenario);
console.log(scenario.objective, 'B', scenario.constraints.totalDailyBudget, JSON.stringify(score(scenario, truth, budgets)));
for (const c of scenario.campaigns) {
  const t = truth.campaigns.find((x) => x.id === c.id)!;
  const a = result.allocations.find((x) => x.campaignId === c.id)!;
  const dv = (b: number) => expectedValue(t, b, scenario.objective) - expectedValue(t, ref[c.id]!, scenario.objective);
  console.log(
    c.id.padEnd(18),
    (t.flags ?? []).join(',').padEnd(22),
    `cur ${c.currentDailyBudget}`.padEnd(9),
    `ref ${ref[c.id]!.toFixed(0)}`.padEnd(9),
    `mbo ${budgets[c.id]!.toFixed(0)}`.padEnd(9),
    `opt ${opt.budgets[c.id].toFixed(0)}`.padEnd(9),
    `Δmbo ${dv(budgets[c.id]!).toFixed(1)}`.padEnd(12),
    `Δopt ${dv(opt.budgets[c.id]).toFixed(1)}`.padEnd(12),
    a.reasons.map((r) => r.code).join(','),
    `e=${a.model.elasticity?.toFixed(2)}`,
  );
}
