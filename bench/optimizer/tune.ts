// Judges the optimizer on many generated scenarios (not the shared examples): mean and worst captured share.
// usage: tsx bench/optimizer/tune.ts [count] [riskAversion] [extrapolationCap]
import { optimize } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
import { loadScorer } from './scorer.js';

const count = Number(process.argv[2] ?? 40);
const kappa = process.argv[3] ? Number(process.argv[3]) : undefined;
const cap = process.argv[4] ? Number(process.argv[4]) : undefined;
const { score, parseResult } = await loadScorer();
const rows: { name: string; objective: string; captured: number; ms: number }[] = [];
for (let seed = 1; seed <= count; seed++) {
  const { scenario, truth } = generateScenario({ seed: seed + 1000 });
  const t = performance.now();
  const result = optimize(parseScenario(scenario), { riskAversion: kappa, extrapolationCap: cap });
  const ms = performance.now() - t;
  const s = score(scenario, truth, parseResult(result));
  if (s.uplift < 0.005) continue; // nothing to gain: the captured ratio is noise
  rows.push({ name: scenario.name, objective: scenario.objective, captured: s.captured ?? -9, ms });
}
const mean = rows.reduce((a, r) => a + r.captured, 0) / rows.length;
const worst = rows.reduce((a, r) => (r.captured < a.captured ? r : a));
const byObj = ['revenue', 'conversions', 'profit'].map((o) => {
  const sel = rows.filter((r) => r.objective === o);
  return `${o} ${sel.length ? (sel.reduce((a, r) => a + r.captured, 0) / sel.length).toFixed(3) : '-'}`;
});
console.log(
  `n=${rows.length} mean=${mean.toFixed(3)} worst=${worst.captured.toFixed(3)} (${worst.name}) below0=${rows.filter((r) => r.captured < 0).length} | ${byObj.join(' | ')} | ms/scenario=${(rows.reduce((a, r) => a + r.ms, 0) / rows.length).toFixed(0)}`,
);
