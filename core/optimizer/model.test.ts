import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.js';
import { fitCampaign, type CampaignFit, type HistoryRow } from './fit.js';
import { buildModel, isIdentified, peerPriors, predictConversions } from './model.js';

/** A campaign at budget 500 whose conversions follow a Hill curve of the given half-saturation and shape. */
function history(o: { half: number; shape: number; constant?: boolean; seed: number; carryOver?: number }): HistoryRow[] {
  let seed = o.seed;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows: HistoryRow[] = [];
  let carried = 500 * 0.95;
  for (let d = 0; d < 120; d++) {
    const block = Math.floor((119 - d) / 14);
    const budget = o.constant || block === 0 ? 500 : 500 * [0.6, 1.5, 0.8, 1.9, 0.5, 1.2, 1.7, 0.7, 1.3][block % 9]!;
    const spend = budget * 0.95;
    carried = (o.carryOver ?? 0) * carried + (1 - (o.carryOver ?? 0)) * spend;
    const x = carried;
    const mean = (60 * x ** o.shape) / (x ** o.shape + o.half ** o.shape);
    const conv = Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2));
    rows.push({ date: addDays('2026-06-01', d), spend, conversions: conv, revenue: conv * 80 });
  }
  return rows;
}

const STEEP = { half: 2000, shape: 1.3 }; // far from saturation: elasticity ≈ 1.2 at 500
const FLAT = { half: 120, shape: 1.3 }; // saturated: elasticity ≈ 0.2 at 500
const fit = (h: HistoryRow[]): CampaignFit => fitCampaign(h, 500)!;
const peers = (group: string, curve: typeof STEEP, n: number) =>
  Array.from({ length: n }, (_, i) => ({ group, fit: fit(history({ ...curve, seed: 11 + 7 * i })) }));

describe('peer priors', () => {
  const unknown = fit(history({ ...STEEP, constant: true, seed: 5 }));

  it('a campaign whose budget never varied borrows its elasticity from identified peers', () => {
    expect(isIdentified(unknown)).toBe(false);
    const steep = buildModel(unknown, peerPriors(peers('meta', STEEP, 4)).get('meta'));
    const flat = buildModel(unknown, peerPriors(peers('meta', FLAT, 4)).get('meta'));
    // Four peers against the default population (median ½, worth four peers): steep peers (≈1.2) lift it well
    // above ½, saturated ones (≈0.2) pull it below.
    expect(steep.elasticity).toBeGreaterThan(0.8);
    expect(flat.elasticity).toBeLessThan(0.45);
    expect(steep.elasticity - flat.elasticity).toBeGreaterThan(0.35);
  });

  it('peers on the same platform count more than the rest', () => {
    // Six own peers against the other platform's six, which together count as four.
    const priors = peerPriors([...peers('meta', STEEP, 6), ...peers('google_ads', FLAT, 6)]);
    const onMeta = buildModel(unknown, priors.get('meta')).elasticity;
    const onGoogle = buildModel(unknown, priors.get('google_ads')).elasticity;
    expect(onMeta).toBeGreaterThan(onGoogle + 0.12); // mixtures of ≈0.2 and ≈1.1, 60:40 one way or the other
    expect(priors.get('meta')!.peers).toBe(6);
  });

  it('leaves a campaign that its own history identifies where its data put it', () => {
    const own = fit(history({ ...FLAT, seed: 3 }));
    expect(isIdentified(own)).toBe(true);
    const alone = buildModel(own).elasticity;
    const underSteepPeers = buildModel(own, peerPriors(peers('meta', STEEP, 4)).get('meta')).elasticity;
    expect(alone).toBeLessThan(0.4);
    expect(Math.abs(underSteepPeers - alone)).toBeLessThan(0.1);
  });

  it('without identified peers falls back to the default population (elasticity around ½) instead of failing', () => {
    const priors = peerPriors([{ group: 'tiktok', fit: unknown }]);
    expect(priors.get('tiktok')!.elasticity).toBeCloseTo(0.5, 5);
    const m = buildModel(unknown, priors.get('tiktok'));
    expect(m.elasticity).toBeGreaterThan(0.3);
    expect(m.elasticity).toBeLessThan(0.9);
    expect(m.components.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(1, 9);
  });
});

describe('platform prior on the curve class', () => {
  // Peers of one platform that respond S-shaped with long carry-over, or concavely with none; elasticity about ½
  // at today's budget either way, so only the bend and the carry-over tell them apart.
  const S_SHAPED = { half: 450, shape: 2.2, carryOver: 0.5 };
  const CONCAVE = { half: 500, shape: 0.8, carryOver: 0 };
  const sShapedMass = (m: ReturnType<typeof buildModel>) =>
    m.components.filter((c) => c.shape.family === 'hill' && c.shape.n >= 1.7).reduce((a, c) => a + c.weight, 0);

  it("a campaign whose own history cannot show the bend takes its platform peers' curve class", () => {
    const unknown = fit(history({ ...S_SHAPED, constant: true, seed: 5 }));
    const underS = buildModel(unknown, peerPriors(peers('tiktok', S_SHAPED, 5)).get('tiktok'));
    const underConcave = buildModel(unknown, peerPriors(peers('tiktok', CONCAVE, 5)).get('tiktok'));
    expect(sShapedMass(underS)).toBeGreaterThan(sShapedMass(underConcave) + 0.25);
  });

  it('never counts a campaign as its own peer', () => {
    const own = fit(history({ ...S_SHAPED, seed: 3 }));
    const prior = peerPriors([{ group: 'tiktok', fit: own }]).get('tiktok')!;
    expect(prior.classes).toHaveLength(1);
    expect(buildModel(own, prior)).toEqual(buildModel(own, { ...prior, classes: [] }));
  });
});

describe('stated uncertainty', () => {
  it('does not collapse onto one grid point when the truth lies between points', () => {
    // A busy campaign (hundreds of conversions a day) with Hill shape 1.75, between the grid's 1.3 and 2.2: its
    // likelihood alone puts all weight on one point and states under 1% uncertainty 50% above today's budget.
    let seed = 9;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows: HistoryRow[] = [];
    for (let d = 0; d < 120; d++) {
      const block = Math.floor((119 - d) / 14);
      const x = 0.95 * (block === 0 ? 500 : 500 * [0.6, 1.5, 0.8, 1.9, 0.5, 1.2, 1.7, 0.7, 1.3][block % 9]!);
      const mean = (600 * x ** 1.75) / (x ** 1.75 + 700 ** 1.75);
      rows.push({
        date: addDays('2026-06-01', d),
        spend: x,
        conversions: Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2)),
        revenue: 0,
      });
    }
    const m = buildModel(fit(rows));
    expect(m.components.filter((c) => c.weight > 0.01).length).toBeGreaterThan(3);
    const at = predictConversions(m, 750);
    expect(at.sd / at.mean).toBeGreaterThan(0.02);
  });
});
