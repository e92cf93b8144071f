// Where the optimizer's models go wrong: for generated campaigns, the log-ratio of the modelled to the true
// marginal value at the current budget and at ±30%, grouped by what makes the history hard.
// usage: tsx bench/optimizer/diagnose.ts [scenarios]
import { fitCampaign } from '../../core/optimizer/fit.js';
import { buildModel, peerPriors, predictConversions } from '../../core/optimizer/model.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario } from './generate.js';
// @ts-expect-error plain JS module from the shared folder
import { expectedValue } from '../../../shared/optimizer/truth.mjs';

const count = Number(process.argv[2] ?? 30);
const groups = new Map<string, number[]>();
const add = (k: string, v: number) => groups.set(k, [...(groups.get(k) ?? []), v]);
for (let seed = 1; seed <= count; seed++) {
  const { scenario, truth } = generateScenario({ seed: seed + 1000, objective: 'conversions' });
  const s = parseScenario(scenario);
  const fits = s.campaigns.map((c) => ({ c, fit: fitCampaign(c.history, c.currentDailyBudget)! }));
  const priors = peerPriors(fits.map((f) => ({ group: f.c.platform, fit: f.fit })));
  for (const { c, fit } of fits) {
    const t = truth.campaigns.find((x) => x.id === c.id)!;
    const m = buildModel(fit, priors.get(c.platform));
    const b = c.currentDailyBudget;
    const tm = (expectedValue(t, b * 1.15, 'conversions') - expectedValue(t, b * 0.85, 'conversions')) / (0.3 * b);
    const mm = (predictConversions(m, b * 1.15).mean - predictConversions(m, b * 0.85).mean) / (0.3 * b);
    const lvl = Math.log(predictConversions(m, b).mean / expectedValue(t, b, 'conversions'));
    const err = Math.log(Math.max(mm, 1e-9) / Math.max(tm, 1e-9));
    const key = (t.flags ?? []).filter((f: string) => !['hill', 'negexp', 'log'].includes(f)).join('+') || 'clean';
    add(`marg ${key}`, err);
    add(`marg ${t.flags![0]}`, err);
    add(`level ${key}`, lvl);
    add(`marg all`, err);
    add(`level all`, lvl);
  }
}
const stat = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const rmse = Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
  return `n=${String(v.length).padStart(4)} bias=${mean.toFixed(3).padStart(7)} rmse=${rmse.toFixed(3)} p10=${s[Math.floor(s.length * 0.1)]!.toFixed(2)} p90=${s[Math.floor(s.length * 0.9)]!.toFixed(2)}`;
};
for (const [k, v] of [...groups].sort()) console.log(k.padEnd(28), stat(v));
