// Like inspect.ts, for a scenario file with its truth file (e.g. the shared examples): what MBO does per campaign.
// usage: tsx bench/optimizer/inspect-file.ts SCENARIO.json TRUTH.json
import { readFileSync } from 'node:fs';
import { optimize } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { loadScorer } from './scorer.js';
// @ts-expect-error plain JS module from the shared folder
import { oracle, expectedValue } from '../../../shared/optimizer/truth.mjs';

const scenario = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const truth = JSON.parse(readFileSync(process.argv[3]!, 'utf8'));
const { score, parseResult, referenceBudgets } = await loadScorer();
const result = optimize(parseScenario(scenario));
const budgets = parseResult(result);
const opt = oracle(scenario, truth);
const ref = referenceBudgets(scenario);
console.log(JSON.stringify(score(scenario, truth, budgets)));
for (const c of scenario.campaigns) {
  const t = truth.campaigns.find((x: { id: string }) => x.id === c.id);
  const a = result.allocations.find((x) => x.campaignId === c.id)!;
  const dv = (b: number) => expectedValue(t, b, scenario.objective) - expectedValue(t, ref[c.id]!, scenario.objective);
  console.log(
    c.id.padEnd(18),
    `ref ${ref[c.id]!.toFixed(0)}`.padEnd(9),
    `mbo ${budgets[c.id]!.toFixed(0)}`.padEnd(9),
    `opt ${opt.budgets[c.id].toFixed(0)}`.padEnd(9),
    `Δmbo ${dv(budgets[c.id]!).toFixed(1)}`.padEnd(12),
    `Δopt ${dv(opt.budgets[c.id]).toFixed(1)}`.padEnd(12),
    a.reasons.map((r) => r.code).join(','),
    `brk=${a.model.levelShiftOn} days=${a.model.days}`,
  );
}
