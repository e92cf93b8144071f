import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../dates.js';
import { fitCampaign, type HistoryRow } from './fit.js';
import { buildModel, predictConversions } from './model.js';

/** Deterministic synthetic history: Hill response on spend, budget blocks, Poisson-like noise. */
function history(opts: { days?: number; level?: (d: number) => number; glitch?: number; missing?: number[]; constant?: boolean } = {}): HistoryRow[] {
  const days = opts.days ?? 120;
  let seed = 7;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows: HistoryRow[] = [];
  for (let d = 0; d < days; d++) {
    const block = Math.floor((days - 1 - d) / 14);
    const budget = opts.constant || block === 0 ? 500 : 500 * [0.6, 1.5, 0.8, 1.9, 0.5, 1.2, 1.7, 0.7, 1.3][block % 9]!;
    const spend = budget * 0.95;
    const mean = (opts.level?.(d) ?? 1) * ((40 * spend ** 1.2) / (spend ** 1.2 + 600 ** 1.2));
    let conv = Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2));
    if (d === opts.glitch) conv *= 10;
    if (opts.missing?.includes(d)) continue;
    rows.push({ date: addDays('2026-06-01', d), spend, conversions: conv, revenue: conv * 80 });
  }
  return rows;
}
const truth = (b: number) => (40 * (0.95 * b) ** 1.2) / ((0.95 * b) ** 1.2 + 600 ** 1.2);

/** 120 days of the same Hill response with a given budget path and performance level per day, seeded noise. */
function scripted(seed: number, budget: (d: number) => number, level: (d: number) => number): HistoryRow[] {
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: 120 }, (_, d) => {
    const spend = 0.95 * budget(d);
    const mean = level(d) * ((40 * spend ** 1.2) / (spend ** 1.2 + 600 ** 1.2));
    return {
      date: addDays('2026-06-01', d),
      spend,
      conversions: Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2)),
      revenue: 0,
    };
  });
}

describe('fitCampaign', () => {
  it('recovers a known response curve from varied budgets', () => {
    const m = buildModel(fitCampaign(history(), 500)!);
    for (const b of [300, 500, 750]) expect(predictConversions(m, b).mean / truth(b)).toBeGreaterThan(0.85);
    for (const b of [300, 500, 750]) expect(predictConversions(m, b).mean / truth(b)).toBeLessThan(1.15);
    const marginal = (predictConversions(m, 600).mean - predictConversions(m, 400).mean) / 200;
    expect(marginal / ((truth(600) - truth(400)) / 200)).toBeGreaterThan(0.7);
    expect(marginal / ((truth(600) - truth(400)) / 200)).toBeLessThan(1.3);
    expect(m.identified).toBe(true);
    expect(m.fit.aov).toBeCloseTo(80, 5);
    expect(m.fit.pacing).toBeCloseTo(0.95, 5);
  });

  it('excludes a tracking glitch instead of bending the curve to it', () => {
    const clean = buildModel(fitCampaign(history(), 500)!);
    const fit = fitCampaign(history({ glitch: 100 }), 500)!;
    expect(fit.outliers).toContain(addDays('2026-06-01', 100));
    expect(predictConversions(buildModel(fit), 500).mean / predictConversions(clean, 500).mean).toBeCloseTo(1, 1);
  });

  it('tolerates missing days', () => {
    const fit = fitCampaign(history({ missing: [3, 4, 5, 40, 77, 118] }), 500)!;
    expect(fit.days).toBe(114);
    expect(predictConversions(buildModel(fit), 500).mean / truth(500)).toBeGreaterThan(0.85);
  });

  it('detects a level shift and predicts from the recent level', () => {
    const fit = fitCampaign(history({ level: (d) => (d < 80 ? 1.8 : 1) }), 500)!;
    expect(fit.breakDate).toBeDefined();
    const ratio = predictConversions(buildModel(fit), 500).mean / truth(500);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  });

  it('does not read a performance drift as a response to budgets that drifted too', () => {
    // Budgets climb (with setbacks) from 260 to 500 while performance fades 0.25% a day: a fit without the drift
    // sees extra budget buy far less than it does.
    const rows = scripted(
      3,
      (d) => [260, 340, 300, 390, 330, 450, 400, 470, 500][Math.floor(d / 14)]!,
      (d) => 1 + 0.0025 * (119 - d),
    );
    const m = buildModel(fitCampaign(rows, 500)!);
    const marginal = (predictConversions(m, 500).mean - predictConversions(m, 350).mean) / 150;
    const trueMarginal = (truth(500) - truth(350)) / 150;
    expect(marginal / trueMarginal).toBeGreaterThan(0.7);
    expect(marginal / trueMarginal).toBeLessThan(1.3);
    expect(predictConversions(m, 500).mean / truth(500)).toBeCloseTo(1, 1);
  });

  it('finds a level shift that came with a budget change', () => {
    // Budget cut from 700 to 400 on day 60; performance 1.6× higher until day 66: a curve fit across the shift
    // reads the cut as costing far more than it does.
    const rows = scripted(
      11,
      (d) => (d < 60 ? [700, 620, 760, 680][Math.floor(d / 15)]! : [400, 460, 380, 500][Math.floor((d - 60) / 15)]!),
      (d) => (d < 66 ? 1.6 : 1),
    );
    const fit = fitCampaign(rows, 500)!;
    expect(fit.breakDate).toBeDefined();
    expect(Math.abs(daysBetween('2026-06-01', fit.breakDate!) - 66)).toBeLessThanOrEqual(3);
    const m = buildModel(fit);
    expect(predictConversions(m, 500).mean / truth(500)).toBeCloseTo(1, 1);
  });

  it('tells a level shift from a drift when budgets drift too', () => {
    // Budgets climb (with setbacks) from 300 to 540; performance was 1.5× higher before day 92 (a tracking change).
    // A drift fitted before the shift is known absorbs part of the step, and the curve bends to the rest: extra
    // budget then looks worth a third more than it is (1.31×; 1.20× with the drift refitted around the shift).
    const rows = scripted(
      5,
      (d) => [300, 420, 330, 460, 380, 500, 410, 540, 480][Math.floor(d / 14)]!,
      (d) => (d < 92 ? 1.5 : 1),
    );
    const fit = fitCampaign(rows, 480)!;
    expect(fit.breakDate).toBeDefined();
    expect(Math.abs(daysBetween('2026-06-01', fit.breakDate!) - 92)).toBeLessThanOrEqual(3);
    const m = buildModel(fit);
    const marginal = (predictConversions(m, 560).mean - predictConversions(m, 400).mean) / 160;
    const trueMarginal = (truth(560) - truth(400)) / 160;
    expect(marginal / trueMarginal).toBeGreaterThan(0.75);
    expect(marginal / trueMarginal).toBeLessThan(1.25);
  });

  it('says when its own history cannot identify a curve, with wide uncertainty away from today', () => {
    const m = buildModel(fitCampaign(history({ constant: true }), 500)!);
    expect(m.identified).toBe(false);
    const now = predictConversions(m, 500);
    const far = predictConversions(m, 1000);
    expect(far.sd / far.mean).toBeGreaterThan(now.sd / now.mean);
  });

  it('returns nothing for a campaign without history', () => {
    expect(fitCampaign([], 100)).toBeNull();
  });
});

describe('start of the history', () => {
  /** A busy campaign with long carry-over (0.6), at a launch (nothing carried into day 0) or mid-flight. */
  function withCarryOver(cold: boolean): HistoryRow[] {
    let seed = 13;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let carried = cold ? 0 : 500;
    return Array.from({ length: 120 }, (_, d) => {
      const spend = 500 * [1, 1.6, 0.7, 1.3][Math.floor(d / 20) % 4]!;
      carried = 0.6 * carried + 0.4 * spend;
      const mean = (200 * carried ** 1.5) / (carried ** 1.5 + 600 ** 1.5);
      const conv = Math.max(0, Math.round(mean + Math.sqrt(mean) * (r() + r() + r() - 1.5) * 2));
      return { date: addDays('2026-06-01', d), spend, conversions: conv, revenue: conv * 50 };
    });
  }

  it('tells a launch (carry-over building up from nothing) from a history that starts mid-flight', () => {
    expect(fitCampaign(withCarryOver(true), 650)!.coldStart).toBe(true);
    expect(fitCampaign(withCarryOver(false), 650)!.coldStart).toBe(false);
  });

  it('assumes a launch when the start says nothing either way (no carry-over)', () => {
    expect(fitCampaign(history(), 500)!.coldStart).toBe(true);
  });
});
