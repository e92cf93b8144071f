// Judges the optimizer on many generated scenarios (never the shared examples), one line per option variant:
// mean, worst, below 0, by objective. usage: [SWEEP_SEED=1000] [SWEEP_CAMPAIGNS=n] [SWEEP_CHANGE=0.7] [SWEEP_POPULATION=uniform]
// tsx bench/optimizer/sweep.ts COUNT ['json options'...]
import { optimize, type OptimizeOptions } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { sweepScenario } from './generate.js';
import { loadScorer } from './scorer.js';

const count = Number(process.argv[2] ?? 60);
const variants = process.argv.length > 3 ? process.argv.slice(3).map((j) => JSON.parse(j) as OptimizeOptions) : [{}];
const { score, parseResult } = await loadScorer();
const cases = Array.from({ length: count }, (_, i) => sweepScenario(i)).map(({ scenario, truth }) => ({ scenario, truth, parsed: parseScenario(scenario) }));
const mean = (v: number[]) => (v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(3) : '-');
for (const v of variants) {
  const rows: { name: string; objective: string; captured: number }[] = [];
  for (const c of cases) {
    let s: ReturnType<typeof score>;
    try {
      s = score(c.scenario, c.truth, parseResult(optimize(c.parsed, v)));
    } catch {
      continue; // the scorer's oracle cannot score infeasible bounds (MBO answers them with a warning)
    }
    if (s.uplift >= 0.005) rows.push({ name: c.scenario.name, objective: c.scenario.objective, captured: s.captured ?? -9 }); // else nothing to gain: the ratio is noise
  }
  const caps = rows.map((r) => r.captured).sort((a, b) => a - b);
  const lowest = [...rows].sort((a, b) => a.captured - b.captured).slice(0, 3);
  const byObjective = ['revenue', 'conversions', 'profit'].map((o) => `${o} ${mean(rows.filter((r) => r.objective === o).map((r) => r.captured))}`);
  console.log(
    JSON.stringify(v).padEnd(60),
    `n=${rows.length} mean=${mean(caps)} worst=${caps[0]!.toFixed(3)} below0=${caps.filter((c) => c < 0).length} p10=${caps[Math.floor(caps.length / 10)]!.toFixed(3)}`,
    `| ${byObjective.join(' | ')} | lowest ${lowest.map((r) => `${r.name}:${r.captured.toFixed(2)}`).join(' ')}`,
  );
}
