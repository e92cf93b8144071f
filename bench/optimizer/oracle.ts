// What perfect models would gain: the optimizer's plan when some campaigns get their true response curve (from
// the generated truth) instead of the fitted one, everything else unchanged. The gap between rows is the most
// better fitting could win for that kind of campaign.
// usage: tsx bench/optimizer/oracle.ts [count] [seedBase]
import { optimize } from '../../core/optimizer/optimize.js';
import type { CurveShape } from '../../core/optimizer/curves.js';
import type { ResponseModel } from '../../core/optimizer/model.js';
import { parseScenario } from '../../core/optimizer/scenario.js';
import { generateScenario, type TruthCampaign } from './generate.js';
import { loadScorer } from './scorer.js';

const count = Number(process.argv[2] ?? 100);
const base = Number(process.argv[3] ?? 1000);
const { score, parseResult } = await loadScorer();

/** The truth as a one-component model (same parameterisation as fit.ts: x = pacing × budget, carry-over folded into the scale). */
function trueModel(t: TruthCampaign, fitted: ResponseModel): ResponseModel {
  const c = t.curve;
  const ref = fitted.fit.ref;
  const shape: CurveShape =
    c.type === 'hill'
      ? { family: 'hill', n: c.shape, scale: (c.half * (1 - t.adstock)) / ref }
      : { family: c.type, n: 1, scale: (c.scale * (1 - t.adstock)) / ref };
  const k = (c.type === 'log' ? c.coef : c.ceiling) * t.level;
  return { ...fitted, fit: { ...fitted.fit, pacing: t.pacing, aov: t.aov, kRelSe: 0 }, components: [{ shape, k, weight: 1 }] };
}

const kinds: [string, (t: TruthCampaign, m: ResponseModel) => boolean][] = [
  ['fitted models (the product)', () => false],
  ['true curves for identified campaigns', (_t, m) => m.identified],
  ['true curves for short histories', (t) => !!t.flags?.includes('short') && !t.flags.includes('constant')],
  ['true curves for never-varied budgets', (t) => !!t.flags?.includes('constant')],
  ['true curves for all weakly identified', (_t, m) => !m.identified],
  ['true curves everywhere', () => true],
];
const cases = Array.from({ length: count }, (_, i) => generateScenario({ seed: base + i }));
for (const [label, pick] of kinds) {
  const caps: number[] = [];
  for (const { scenario, truth } of cases) {
    const byId = new Map(truth.campaigns.map((t) => [t.id, t]));
    const hook = (id: string, m: ResponseModel | undefined) => (m && pick(byId.get(id)!, m) ? trueModel(byId.get(id)!, m) : m);
    const s = score(scenario, truth, parseResult(optimize(parseScenario(scenario), { modelHook: hook })));
    if (s.uplift >= 0.005) caps.push(s.captured ?? -9);
  }
  const mean = caps.reduce((a, b) => a + b, 0) / caps.length;
  console.log(label.padEnd(40), `mean ${mean.toFixed(3)}  worst ${Math.min(...caps).toFixed(3)}`);
}
