// Parameter sweep on generated scenarios. usage: [SWEEP_SEED=1000] [SWEEP_CAMPAIGNS=n] [SWEEP_CHANGE=0.7] tsx bench/optimizer/sweep.ts COUNT 'json options'...
import { optimize, type OptimizeOptions } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
import { loadScorer } from './scorer.js';

const count = Number(process.argv[2] ?? 60);
const variants = process.argv.slice(3).map((j) => JSON.parse(j) as OptimizeOptions);
const { score, parseResult } = await loadScorer();
const cases = Array.from({ length: count }, (_, i) =>
  generateScenario({
    seed: i + Number(process.env.SWEEP_SEED ?? 1000),
    campaigns: process.env.SWEEP_CAMPAIGNS ? Number(process.env.SWEEP_CAMPAIGNS) : undefined,
    budgetChange: process.env.SWEEP_CHANGE ? Number(process.env.SWEEP_CHANGE) : undefined,
  }),
).map(({ scenario, truth }) => ({
  scenario,
  truth,
  parsed: parseScenario(scenario),
}));
for (const v of variants) {
  const caps: number[] = [];
  const named: [string, number][] = [];
  for (const c of cases) {
    let s: ReturnType<typeof score>;
    try {
      s = score(c.scenario, c.truth, parseResult(optimize(c.parsed, v)));
    } catch {
      continue; // the scorer's oracle cannot score infeasible bounds (MBO answers them with a warning)
    }
    if (s.uplift >= 0.005) {
      caps.push(s.captured ?? -9);
      named.push([c.scenario.name, s.captured ?? -9]);
    }
  }
  const low = named
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([n, c]) => `${n}:${c.toFixed(2)}`);
  const mean = caps.reduce((a, b) => a + b, 0) / caps.length;
  console.log(
    JSON.stringify(v).padEnd(60),
    `mean=${mean.toFixed(3)} worst=${Math.min(...caps).toFixed(3)} below0=${caps.filter((c) => c < 0).length} p10=${[...caps].sort((a, b) => a - b)[Math.floor(caps.length / 10)]!.toFixed(3)} lowest ${low.join(' ')}`,
  );
}
