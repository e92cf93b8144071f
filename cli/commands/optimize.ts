// `mbo optimize`: recommend daily budgets. Offline on a scenario file (no stack needed), or live on an account
// through the OptimizationWorkflow (sync, fit, allocate, store the run, open a change request), now or daily.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { OptimizeResult } from '../../core/optimizer/optimize.js';
import { riskSchema, scheduleOptimizationSchema, startOptimizationSchema } from '../../services/optimization/optimization.schema.js';
import { getOptimizationRun, optimizeScenario, scheduleOptimization, startOptimization } from '../../services/optimization/optimization.js';
import { fail, printJson, printTable, say } from '../output.js';
import { num, offline, validate, withContext } from '../run.js';

function printPlan(r: OptimizeResult) {
  const money = (v: number) => v.toFixed(2);
  say(`${r.name}: objective ${r.objective}, total ${money(r.totalDailyBudget)} ${r.currency}/day, planned ${money(r.allocatedDailyBudget)}`);
  printTable(
    [
      'Campaign',
      'Platform',
      'Current',
      'Recommended',
      'Change',
      `Expected ${r.objective}`,
      '90% interval',
      `Marginal ${r.allocations[0]?.marginal.metric.toUpperCase() ?? ''} now→after`,
      'Why',
    ],
    r.allocations.map((a) => [
      a.name,
      a.platform,
      money(a.currentDailyBudget),
      money(a.dailyBudget),
      `${a.changePct >= 0 ? '+' : ''}${a.changePct.toFixed(0)}%`,
      money(a.expected.value),
      `${money(a.expected.low)}–${money(a.expected.high)}`,
      `${a.marginal.now?.toFixed(2) ?? 'n/a'} → ${a.marginal.after?.toFixed(2) ?? 'n/a'}`,
      a.reasons.map((x) => x.code).join(', '),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  const t = r.expectedTotal;
  say(
    `Expected ${r.objective}/day: ${money(t.value)} (90%: ${money(t.low)}–${money(t.high)}) vs ${money(t.atCurrent)} at current budgets (${(t.uplift * 100).toFixed(1)}%)`,
  );
  const sumCurrent = r.allocations.reduce((a, x) => a + x.currentDailyBudget, 0);
  if (Math.abs(sumCurrent - r.totalDailyBudget) > 0.01 && t.atNeutral !== 0)
    say(`With today's budgets scaled to the new total: ${money(t.atNeutral)} (this plan ${((t.value / t.atNeutral - 1) * 100).toFixed(1)}% better)`);
  for (const w of r.warnings) say(`warning: ${w}`);
}

const NAMES = {
  account: '--account',
  objective: '--objective',
  totalBudget: '--budget',
  margin: '--margin',
  dryRun: '--dry-run',
  sync: '--no-sync',
  hour: '--schedule',
};

interface Opts {
  scenario?: string;
  account?: string;
  objective?: string;
  budget?: string;
  margin?: string;
  dryRun?: boolean;
  sync: boolean;
  schedule?: string | boolean;
  risk?: string;
  json?: boolean;
}

function live(opts: Opts) {
  const base = { account: opts.account, objective: opts.objective, totalBudget: opts.budget, margin: num(opts.margin), dryRun: !!opts.dryRun, sync: opts.sync };
  if (opts.schedule !== undefined) {
    const input = validate(scheduleOptimizationSchema, { ...base, hour: opts.schedule === true ? undefined : num(opts.schedule as string) }, NAMES, opts.json);
    return withContext(opts, async (ctx) => {
      const s = await scheduleOptimization(ctx, input);
      if (opts.json) return printJson(s);
      say(`Scheduled ${s.scheduleId}: daily at ${String(s.hour).padStart(2, '0')}:00 ${s.timeZone}`);
    });
  }
  const input = validate(startOptimizationSchema, base, NAMES, opts.json);
  return withContext(opts, async (ctx) => {
    const started = await startOptimization(ctx, input);
    if (!opts.json) say(`Started ${started.workflowId}\nTemporal UI: ${started.url}`);
    const r = await started.handle.result();
    const run = await getOptimizationRun(ctx, { runId: r.runId });
    if (opts.json) return printJson({ workflowId: started.workflowId, ...r, plan: run.result });
    printPlan(run.result as unknown as OptimizeResult);
    if (r.changeRequest)
      say(`Opened change request ${r.changeRequest.requestId} for ${r.moves} move(s): \`mbo approvals show ${r.changeRequest.requestId.slice(0, 8)}\``);
    else say(opts.dryRun ? 'Dry run: no change request opened.' : 'No move worth making: no change request opened.');
  });
}

function scenario(file: string, opts: Opts) {
  const risk = opts.risk === undefined ? undefined : validate(riskSchema, num(opts.risk), { '': '--risk' }, opts.json);
  return offline(opts, () => {
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AppError('VALIDATION', `cannot read scenario ${file}: ${(e as Error).message}`);
    }
    const r = optimizeScenario(input, { riskAversion: risk });
    if (opts.json) return printJson(r);
    printPlan(r);
  });
}

export function registerOptimize(program: Command) {
  program
    .command('optimize')
    .description("recommend daily budgets: fit each campaign's response to budget and allocate where it earns most")
    .option('--scenario <file>', 'answer a scenario file offline (format: ../shared/optimizer/README.md)')
    .option('--account <id>', "optimize this ad account (MBO's id or the platform's) through Temporal; opens a change request")
    .option('--objective <name>', 'revenue | conversions | profit (default revenue)')
    .option('--budget <amount>', "total daily budget to plan (default: today's total)")
    .option('--margin <share>', 'profit objective: share of revenue that is gross profit (default 0.3)')
    .option('--dry-run', 'plan only: store the run, open no change request')
    .option('--no-sync', 'do not sync fresh data first')
    .option('--schedule [hour]', 'instead of running now, schedule it daily at this hour (default 6) in the account time zone')
    .option('--risk <k>', "offline: risk aversion, standard deviations of a move's uncertainty to pay for (default 0.4)")
    .option('--json', 'machine-readable output')
    .action((opts: Opts) => {
      if (opts.scenario) return scenario(opts.scenario, opts);
      if (!opts.account) return fail(new AppError('INVALID_INPUT', 'give --scenario FILE (offline) or --account ID (live, through Temporal)'), !!opts.json);
      return live(opts);
    });
}
