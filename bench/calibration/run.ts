// Reproduces the interval calibration of core/analytics/calibration.ts (issue 12) and measures it on held-out
// seeds. Sandbox worlds are simulated in memory (world.ts: the sandbox's own generator and day simulator), each
// world's active campaigns fitted as what-ifs and forecasts fit them (core/optimizer/peer-models.ts: own history,
// then platform peer priors), and every prediction checked against the sandbox's hidden truth.
//   1. Calibration seeds: normalised scores |truth − mean| / √(sd² + (τ·mean)²) at 0.6×, 1× and 1.5× today's budget;
//      τ chosen as the value that makes coverage alike at today's budget and away from it; the conformal quantiles
//      at the levels of SCORE_QUANTILES, printed beside the committed ones (and τ beside MODEL_DISCREPANCY).
//   2. Held-out seeds: coverage of the true expected outcome and mean relative width (high − low) / value of the
//      what-if (per campaign × budget) and 14-day forecast (per campaign total) intervals, before (normal quantile
//      of the model sd, as before issue 12) and after (the committed calibration, as the API computes it).
// usage: npm run bench:calibration [-- --quick] [--calib 11-18] [--holdout 21-22] [--campaigns 10] [--history 120]
//        [--prefix sbx] [--days 14]
// Seeds are lists and ranges ("11-18", "7,21-22"). --campaigns is per account (4 accounts; the last of Meta and
// LinkedIn is paused, so 10 → 38 active). --prefix names the accounts, and the day noise follows from the
// campaign ids: another prefix is another draw of the same truths. --quick: calibration seeds 11–13, held out 21.
import { forecast } from '../../core/analytics/forecast.js';
import { MODEL_DISCREPANCY, predictiveSd, SCORE_QUANTILES, scoreQuantile, zFor } from '../../core/analytics/calibration.js';
import { addDays, dayOfWeek } from '../../core/dates.js';
import { predictConversions, type ResponseModel } from '../../core/optimizer/model.js';
import { peerModels } from '../../core/optimizer/peer-models.js';
import { calibrateAt, chooseTau, coverageAt, type Check } from './conformal.js';
import { sandboxWorld, trueDaily, type SimCampaign } from './world.js';

const TODAY = '2026-06-01';
const FACTORS = [0.6, 1, 1.5];
const LEVELS = SCORE_QUANTILES.map(([level]) => level);
const TAU_GRID = Array.from({ length: 61 }, (_, i) => Math.round(i * 0.005 * 1000) / 1000); // 0 … 0.30
const REPORT_LEVELS = [0.8, 0.9];

// ---- arguments ---------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
};
const known = new Set(['quick', 'calib', 'holdout', 'campaigns', 'history', 'prefix', 'days']);
for (const a of argv)
  if (a.startsWith('--') && !known.has(a.slice(2))) throw new Error(`unknown option ${a} (known: ${[...known].map((k) => `--${k}`).join(' ')})`);

/** "11-18" or "7,21-22" → the seeds. */
function seeds(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`seeds are numbers and ranges like 11-18 or 7,21-22; got "${spec}"`);
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (b < a) throw new Error(`seed range ${part} runs backwards`);
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}
const positive = (name: string, dflt: number) => {
  const v = Number(flag(name) ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} is a whole number ≥ 1`);
  return v;
};
const quick = argv.includes('--quick');
const calibSeeds = seeds(flag('calib') ?? (quick ? '11-13' : '11-18'));
const holdoutSeeds = seeds(flag('holdout') ?? (quick ? '21' : '21-22'));
const perAccount = positive('campaigns', 10);
const historyDays = positive('history', 120);
const days = positive('days', 14);
const prefix = flag('prefix') ?? 'sbx';
const overlap = calibSeeds.filter((s) => holdoutSeeds.includes(s));
if (overlap.length) throw new Error(`seeds ${overlap.join(', ')} are both calibration and held out`);

// ---- simulate and fit --------------------------------------------------------------------------------------------

interface Fitted {
  seed: number;
  campaign: SimCampaign;
  model: ResponseModel;
}

/** One world's active campaigns with their models (campaigns too short for a model are dropped, as the API shows them without an interval). */
function fitWorld(seed: number): { fitted: Fitted[]; active: number } {
  const world = sandboxWorld({ seed, historyDays, today: TODAY, prefix, perAccount });
  const modelOf = peerModels(world); // peers: the workspace's active campaigns, by platform — the forecast/what-if scope
  const fitted = world.flatMap((campaign) => {
    const model = modelOf(campaign.id);
    return model ? [{ seed, campaign, model }] : [];
  });
  return { fitted, active: world.length };
}

/** The what-if checks of a campaign: its model's prediction and the truth at 0.6×, 1× and 1.5× today's budget. */
const whatIfChecks = (f: Fitted): Check[] =>
  FACTORS.map((factor) => {
    const budget = Math.round(f.campaign.dailyBudget * factor * 100) / 100; // the plan's budget, in cents as the e2e test sends it
    const p = predictConversions(f.model, budget);
    return { factor, mean: p.mean, sd: p.sd, truth: trueDaily(f.campaign.truth, budget) };
  });

const started = performance.now();
const fitSeeds = (list: number[]) => {
  const all = list.map((s) => ({ seed: s, ...fitWorld(s) }));
  return { fitted: all.flatMap((w) => w.fitted), active: all.reduce((a, w) => a + w.active, 0) };
};
const calib = fitSeeds(calibSeeds);
const held = fitSeeds(holdoutSeeds);
const fitSeconds = (performance.now() - started) / 1000;

// ---- printing helpers --------------------------------------------------------------------------------------------

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
const seedList = (list: number[]) => {
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const contiguous = sorted.length > 1 && sorted.every((s, i) => i === 0 || s === sorted[i - 1]! + 1);
  return sorted.length === 1 ? `seed ${sorted[0]}` : contiguous ? `seeds ${sorted[0]}–${sorted.at(-1)}` : `seeds ${sorted.join(', ')}`;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`# Interval calibration (core/analytics/calibration.ts), reproduced on simulated sandbox worlds\n`);
console.log(
  `${perAccount} campaigns per account, ${historyDays} days of history before ${TODAY}, accounts ${prefix}-<platform>; fitted in ${fitSeconds.toFixed(1)} s`,
);
console.log(
  `calibration: ${seedList(calibSeeds)}, ${calib.fitted.length} campaigns with a model of ${calib.active} active; held out: ${seedList(holdoutSeeds)}, ${held.fitted.length} of ${held.active}\n`,
);

// ---- 1. calibration: τ and the conformal quantiles ---------------------------------------------------------------

const checks = calib.fitted.flatMap(whatIfChecks);
const { best, rows } = chooseTau(checks, LEVELS, TAU_GRID);
const committed = calibrateAt(checks, MODEL_DISCREPANCY, LEVELS);
const at = (r: (typeof rows)[number], level: number) => r.levels.find((l) => l.level === level)!;

console.log(`## τ (model discrepancy), from ${checks.length} scores\n`);
console.log(`chosen as the τ on a grid 0…0.30 (step 0.005) with the smallest mean |coverage at 1× − coverage at 0.6×/1.5×|`);
console.log(`over the levels ${LEVELS.join(', ')}, the quantiles at each τ being the conformal quantiles of all the scores.\n`);
console.log(`| τ | mean gap | 80%: at 1× / away | 90%: at 1× / away | q(0.8) | q(0.9) |`);
console.log(`| --- | --- | --- | --- | --- | --- |`);
const shown = rows.filter((r) => Math.round(r.tau * 1000) % 25 === 0 || r === best || r.tau === MODEL_DISCREPANCY);
for (const r of shown) {
  const [a, b] = [at(r, 0.8), at(r, 0.9)];
  const mark = r === best ? ' (chosen)' : r.tau === MODEL_DISCREPANCY ? ' (committed)' : '';
  console.log(`| ${r.tau.toFixed(3)}${mark} | ${f3(r.gap)} | ${f3(a.today)} / ${f3(a.away)} | ${f3(b.today)} / ${f3(b.away)} | ${f3(a.q)} | ${f3(b.q)} |`);
}
const byFactor = (tau: number, q: number) =>
  FACTORS.map((factor) =>
    f3(
      coverageAt(
        checks.filter((c) => c.factor === factor),
        tau,
        q,
      ),
    ),
  ).join(' / ');
console.log(`\ncoverage at 0.6× / 1× / 1.5× today's budget, on the calibration set:`);
for (const tau of [...new Set([0, MODEL_DISCREPANCY, best.tau])].sort((a, b) => a - b)) {
  const r = rows.find((x) => x.tau === tau)!;
  console.log(`  τ = ${tau.toFixed(3)}: 80% ${byFactor(tau, at(r, 0.8).q)}; 90% ${byFactor(tau, at(r, 0.9).q)}`);
}
console.log(`\nτ recomputed: ${best.tau.toFixed(3)}   committed MODEL_DISCREPANCY: ${MODEL_DISCREPANCY.toFixed(3)}\n`);

console.log(`## Conformal quantiles of the score (SCORE_QUANTILES)\n`);
console.log(`| level | committed q | recomputed at τ = ${MODEL_DISCREPANCY.toFixed(3)} (committed) | recomputed at τ = ${best.tau.toFixed(3)} (chosen) |`);
console.log(`| --- | --- | --- | --- |`);
for (const [level, q] of SCORE_QUANTILES) console.log(`| ${level} | ${q.toFixed(3)} | ${f3(at(committed, level).q)} | ${f3(at(best, level).q)} |`);
console.log('');

// ---- 2. held out: coverage and width, before and after -----------------------------------------------------------

interface Measured {
  coverage: number;
  width: number;
}
type Interval = { low: number; high: number; value: number };
const measure = (items: { truth: number; i: Interval }[]): Measured => ({
  coverage: items.filter(({ truth, i }) => truth >= i.low && truth <= i.high).length / items.length,
  width: mean(items.map(({ i }) => (i.high - i.low) / i.value)),
});
const around = (value: number, half: number): Interval => ({ value, low: Math.max(0, value - half), high: value + half });

/** The what-if of each campaign at each budget: before = mean ± z·sd; after = as the what-if use case (outcome()) computes it. */
function whatIfMeasured(fitted: Fitted[], level: number, tau?: number, quantile?: (level: number) => number) {
  const before: { truth: number; i: Interval }[] = [];
  const after: { truth: number; i: Interval }[] = [];
  for (const f of fitted)
    for (const c of whatIfChecks(f)) {
      before.push({ truth: c.truth, i: around(c.mean, zFor(level) * c.sd) });
      const s = tau === undefined ? predictiveSd(c.mean, c.sd) : Math.sqrt(c.sd ** 2 + (tau * c.mean) ** 2);
      after.push({ truth: c.truth, i: around(c.mean, (quantile ?? scoreQuantile)(level) * s) });
    }
  return { before: measure(before), after: measure(after), checks: before.length };
}

/** The forecast total of each campaign over `days` days at today's budget: after = core/analytics/forecast.ts; before = the same sum of sds at the normal quantile of the model sd. */
function forecastMeasured(fitted: Fitted[], level: number) {
  const last = fitted
    .flatMap((x) => x.campaign.history.map((h) => h.date))
    .sort()
    .at(-1)!;
  const start = addDays(last, 1); // as the forecast use case: the day after the last day of history
  const dates = Array.from({ length: days }, (_, d) => addDays(start, d));
  const before: { truth: number; i: Interval }[] = [];
  const after: { truth: number; i: Interval }[] = [];
  const f = forecast(
    fitted.map((x) => ({ campaignId: x.campaign.id, model: x.model, dailyBudget: x.campaign.dailyBudget })),
    start,
    days,
    level,
  );
  fitted.forEach((x, k) => {
    const t = x.campaign.truth;
    const truth = dates.reduce((a, date) => a + trueDaily(t, x.campaign.dailyBudget, t.season[dayOfWeek(date)]!), 0);
    const p = predictConversions(x.model, x.campaign.dailyBudget);
    const season = dates.map((date) => x.model.fit.season[dayOfWeek(date)] ?? 1);
    const value = season.reduce((a, s) => a + p.mean * s, 0);
    before.push({ truth, i: around(value, zFor(level) * season.reduce((a, s) => a + p.sd * s, 0)) });
    after.push({ truth, i: f.campaigns[k]!.total.conversions });
  });
  return { before: measure(before), after: measure(after), checks: before.length };
}

const pair = (a: number, b: number) => `${f3(a)} / ${f3(b)}`;
function tableRows(where: string, fitted: Fitted[]) {
  const w = REPORT_LEVELS.map((l) => whatIfMeasured(fitted, l));
  const fc = REPORT_LEVELS.map((l) => forecastMeasured(fitted, l));
  const lv = REPORT_LEVELS.map((l) => `${Math.round(l * 100)}%`).join(' / ');
  const row = (check: string, m: typeof w) =>
    `| ${where} | ${check} | ${lv} | ${pair(m[0]!.before.coverage, m[1]!.before.coverage)} | ${pair(m[0]!.after.coverage, m[1]!.after.coverage)} | ${pair(m[0]!.before.width, m[1]!.before.width)} | ${pair(m[0]!.after.width, m[1]!.after.width)} |`;
  console.log(row(`what-if, ${w[0]!.checks} checks`, w));
  console.log(row(`forecast ${days}-day total, ${fc[0]!.checks} checks`, fc));
}

console.log(`## Held out: coverage of the sandbox truth (committed calibration)\n`);
console.log(`Before = the normal-quantile intervals of the model sd. After = the calibrated intervals (committed τ and q).`);
console.log(`"Width" is the mean of (high − low) / value.\n`);
console.log(`| Where | Check | Level | Coverage before | Coverage after | Width before | Width after |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
tableRows(`simulation, ${seedList(holdoutSeeds)} (held out, ${held.fitted.length} campaigns)`, held.fitted);
if (holdoutSeeds.length > 1)
  for (const s of holdoutSeeds)
    tableRows(
      `simulation, seed ${s} (${held.fitted.filter((f) => f.seed === s).length} campaigns)`,
      held.fitted.filter((f) => f.seed === s),
    );

// The same held-out what-ifs with the recomputed calibration, for comparison with the committed one.
const recomputedQ = (level: number) => {
  const row = best.levels;
  if (level <= row[0]!.level || level >= row.at(-1)!.level) throw new RangeError('only levels within the table');
  const i = row.findIndex((r) => r.level >= level);
  const [a, b] = [row[i - 1]!, row[i]!];
  return b.level === level ? b.q : a.q + ((b.q - a.q) * (level - a.level)) / (b.level - a.level);
};
const re = REPORT_LEVELS.map((l) => whatIfMeasured(held.fitted, l, best.tau, recomputedQ).after);
console.log(
  `\nheld-out what-if with the recomputed calibration (τ = ${best.tau.toFixed(3)}, its own q): coverage ${pair(re[0]!.coverage, re[1]!.coverage)}, width ${pair(re[0]!.width, re[1]!.width)} at 80% / 90%`,
);
const se = (level: number, n: number) => 2 * Math.sqrt((level * (1 - level)) / n);
console.log(
  `two binomial standard errors: ±${f3(se(0.8, held.fitted.length))} / ±${f3(se(0.9, held.fitted.length))} over ${held.fitted.length} campaigns (a campaign's budgets share its level error); the calibration's own ±${f3(se(0.8, checks.length))} / ±${f3(se(0.9, checks.length))} over ${checks.length} scores`,
);
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
