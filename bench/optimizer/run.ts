// The optimizer benchmark: quality on the shared examples and on generated scenarios (captured share of the
// achievable improvement, as the shared scorer defines it) for MBO and two baselines, then speed at scale.
// usage: npm run bench:optimizer [-- --generated 100] [--worlds 20] [--workspace-only]
// Last: the workspace-wide plan vs per-account runs on sandbox worlds (workspace.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allocate, type AllocationItem } from '../../core/optimizer/allocate.js';
import { roasProportionalPlan, scaleCurrentPlan } from '../../core/optimizer/baselines.js';
import { optimize } from '../../core/optimizer/optimize.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
import { loadScorer, SHARED_OPTIMIZER } from './scorer.js';
import { workspaceBench } from './workspace.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const generated = arg('generated', 100);
if (process.argv.includes('--workspace-only')) {
  workspaceBench(arg('worlds', 20));
  process.exit(0);
}
const { score, parseResult } = await loadScorer();
const f3 = (v: number | null) => (v === null ? '  n/a' : v.toFixed(3).padStart(6));

interface Row {
  name: string;
  objective: string;
  campaigns: number;
  mbo: number;
  scale: number;
  roas: number;
  ms: number;
}

function judge(name: string, raw: unknown, truth: unknown): Row | null {
  const s = parseScenario(raw);
  const t = performance.now();
  const result = optimize(s);
  const ms = performance.now() - t;
  const mbo = score(raw, truth, parseResult(result));
  if (mbo.uplift < 0.005) return null; // nothing to gain: the captured share is noise
  return {
    name,
    objective: s.objective,
    campaigns: s.campaigns.length,
    mbo: mbo.captured ?? -Infinity,
    scale: score(raw, truth, scaleCurrentPlan(s)).captured ?? -Infinity,
    roas: score(raw, truth, roasProportionalPlan(s)).captured ?? -Infinity,
    ms,
  };
}

const print = (rows: Row[]) => {
  console.log(
    `${'scenario'.padEnd(18)} ${'objective'.padEnd(11)} ${'n'.padStart(3)}  ${'MBO'.padStart(6)}  ${'scale'.padStart(6)}  ${'ROAS∝'.padStart(6)}  ${'ms'.padStart(6)}`,
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(18)} ${r.objective.padEnd(11)} ${String(r.campaigns).padStart(3)}  ${f3(r.mbo)}  ${f3(r.scale)}  ${f3(r.roas)}  ${r.ms.toFixed(0).padStart(6)}`,
    );
};
const summary = (label: string, rows: Row[]) => {
  const mean = (k: 'mbo' | 'scale' | 'roas') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const worst = (k: 'mbo' | 'scale' | 'roas') => Math.min(...rows.map((r) => r[k]));
  const below = (k: 'mbo' | 'scale' | 'roas') => rows.filter((r) => r[k] < 0).length;
  console.log(
    `${label.padEnd(34)} mean ${f3(mean('mbo'))} ${f3(mean('scale'))} ${f3(mean('roas'))}   worst ${f3(worst('mbo'))} ${f3(worst('scale'))} ${f3(worst('roas'))}   below 0: ${below('mbo')} / ${below('scale')} / ${below('roas')}`,
  );
};

console.log(`# Quality: captured share (1 = true optimum, 0 = scaled current plan, < 0 loses money)\n`);
const examplesDir = path.join(SHARED_OPTIMIZER, 'examples');
const exampleRows = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.scenario.json'))
  .sort()
  .map((f) =>
    judge(
      f.replace('.scenario.json', ''),
      JSON.parse(readFileSync(path.join(examplesDir, f), 'utf8')),
      JSON.parse(readFileSync(path.join(examplesDir, f.replace('.scenario', '.truth')), 'utf8')),
    ),
  )
  .filter((r): r is Row => r !== null);
print(exampleRows);
const genRows: Row[] = [];
for (let i = 0; i < generated; i++) {
  const { scenario, truth } = generateScenario({ seed: 50_000 + i });
  const r = judge(scenario.name, scenario, truth);
  if (r) genRows.push(r);
}
const big = [61, 80].map((n, i) => generateScenario({ seed: 90_000 + i, campaigns: n }));
const bigRows = big.map(({ scenario, truth }) => judge(scenario.name, scenario, truth)).filter((r): r is Row => r !== null);
console.log('');
print(bigRows);
console.log(`\n${''.padEnd(34)}      MBO  scale  ROAS∝          MBO  scale  ROAS∝`);
summary(`shared examples (${exampleRows.length})`, exampleRows);
summary(`generated scenarios (${genRows.length})`, genRows);
for (const o of ['revenue', 'conversions', 'profit'])
  summary(
    `  generated, ${o} (${genRows.filter((r) => r.objective === o).length})`,
    genRows.filter((r) => r.objective === o),
  );

console.log(`\n# Speed (this machine, one process)\n`);
{
  const { scenario } = generateScenario({ seed: 7, campaigns: 2000 });
  const s = parseScenario(scenario);
  const t0 = performance.now();
  roasProportionalPlan(s);
  const tBase = performance.now() - t0;
  const t1 = performance.now();
  const r = optimize(s);
  const tMbo = performance.now() - t1;
  console.log(
    `fit + allocate 2,000 campaigns × 120 days: ${(tMbo / 1000).toFixed(2)} s  (target < 10 s; ${(tMbo / tBase).toFixed(0)}× the ROAS-proportional rule's ${tBase.toFixed(0)} ms; ${r.allocations.length} plans)`,
  );
}
{
  const n = 100_000;
  const G = 24;
  const items: AllocationItem[] = [];
  for (let i = 0; i < n; i++) {
    const cur = 50 + ((i * 7919) % 1000);
    const lo = cur * 0.5;
    const hi = cur * 1.5;
    const half = cur * (0.3 + ((i * 31) % 100) / 30);
    const shape = 0.7 + ((i * 17) % 20) / 10;
    const budgets = Float64Array.from({ length: G }, (_, j) => lo + ((hi - lo) * j) / (G - 1));
    const values = Float64Array.from(budgets, (b) => (cur * 3 * Math.pow(b, shape)) / (Math.pow(b, shape) + Math.pow(half, shape)));
    items.push({ lo, hi, budgets, values });
  }
  const total = items.reduce((a, it) => a + (it.lo + it.hi) / 2, 0);
  const t0 = performance.now();
  let proportional = 0;
  for (const it of items) proportional += ((it.lo + it.hi) / 2 / total) * total; // the trivial baseline: one pass
  const tBase = performance.now() - t0;
  const t1 = performance.now();
  const r = allocate(items, total);
  const tAlloc = performance.now() - t1;
  console.log(
    `allocation alone, 100,000 campaigns (S-shaped and concave): ${(tAlloc / 1000).toFixed(2)} s  (target < 2 s; ${(tAlloc / Math.max(tBase, 0.01)).toFixed(0)}× one proportional pass; spent ${((r.total / total) * 100).toFixed(2)}% of budget${proportional > 0 ? '' : ''})`,
  );
}

workspaceBench(arg('worlds', 20));
