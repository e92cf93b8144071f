import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.js';
import { fitCampaign, type HistoryRow } from './fit.js';
import { buildModel, peerPriors, predictConversions } from './model.js';
import { peerModels } from './peer-models.js';

/** 120 days of a campaign at budget 500 on a Hill curve, the budget stepping every two weeks unless `constant`. */
function history(o: { half: number; seed: number; constant?: boolean; days?: number }): HistoryRow[] {
  let seed = o.seed;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: o.days ?? 120 }, (_, d) => {
    const block = Math.floor((119 - d) / 14);
    const spend = 0.95 * (o.constant || block === 0 ? 500 : 500 * [0.6, 1.5, 0.8, 1.9, 0.5, 1.2, 1.7, 0.7, 1.3][block % 9]!);
    const mean = (60 * spend ** 1.3) / (spend ** 1.3 + o.half ** 1.3);
    const conversions = Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2));
    return { date: addDays('2026-02-01', d), spend, conversions, revenue: conversions * 80 };
  });
}

const campaigns = [
  { id: 'g1', platform: 'google_ads', dailyBudget: '500.00', history: history({ half: 2000, seed: 11 }) },
  { id: 'g2', platform: 'google_ads', dailyBudget: '500.00', history: history({ half: 1500, seed: 18 }) },
  { id: 'g3', platform: 'google_ads', dailyBudget: 500, history: history({ half: 2000, seed: 5, constant: true }) },
  { id: 'm1', platform: 'meta', dailyBudget: '500.00', history: history({ half: 120, seed: 25 }) },
  { id: 'm2', platform: 'meta', dailyBudget: '500.00', history: history({ half: 120, seed: 3, days: 2 }) },
];

describe('peerModels', () => {
  const modelOf = peerModels(campaigns);

  it('fits each campaign and builds its model with the prior of its own platform’s peers', () => {
    const fits = campaigns.map((c) => fitCampaign(c.history, Number(c.dailyBudget)));
    const priors = peerPriors(campaigns.flatMap((c, i) => (fits[i] ? [{ group: c.platform, fit: fits[i] }] : [])));
    campaigns.forEach((c, i) => {
      if (!fits[i]) return;
      const expected = predictConversions(buildModel(fits[i], priors.get(c.platform)), 700);
      const got = predictConversions(modelOf(c.id)!, 700);
      expect(got.mean).toBeCloseTo(expected.mean, 9);
      expect(got.sd).toBeCloseTo(expected.sd, 9);
    });
    // The constant-budget campaign leans on its platform's peers: a different platform's prior changes it.
    const other = predictConversions(buildModel(fits[2]!, priors.get('meta')), 700);
    expect(Math.abs(other.mean - predictConversions(modelOf('g3')!, 700).mean)).toBeGreaterThan(1e-6);
  });

  it('answers null for a campaign with too little history, the same model again when asked twice, and refuses an unknown id', () => {
    expect(modelOf('m2')).toBeNull();
    expect(modelOf('g1')).toBe(modelOf('g1'));
    expect(() => modelOf('nope')).toThrow(/not one of the peers/);
  });
});
