// `mbo optimize`: recommend daily budgets. Offline on a scenario file (no stack needed), or live on an account
// through the OptimizationWorkflow (sync, fit, allocate, store the run, open a change request), now or daily.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { OptimizeResult } from '../../core/optimizer/optimize.js';
import { riskSchema, startOptimizationSchema } from '../../services/optimization/optimization.schema.js';
import { optimizeScenario } from '../../services/optimization/optimization.js';
import { fail, printJson, printTable, progress, say } from '../output.js';
import type { ApiClient } from '../api-client.js';
import { num, offline, validate, withApi } from '../run.js';

function printPlan(r: OptimizeResult, margin?: number | string | null) {
  const money = (v: number) => v.toFixed(2);
  const m = r.objective === 'profit' ? ` (margin ${margin ?? 0.3})` : '';
  say(`${r.name}: objective ${r.objective}${m}, total ${money(r.totalDailyBudget)} ${r.currency}/day, planned ${money(r.allocatedDailyBudget)}`);
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
};

interface Opts {
  scenario?: string;
  account?: string;
  objective?: string;
  budget?: string;
  margin?: string;
  dryRun?: boolean;
  sync: boolean;
  risk?: string;
  json?: boolean;
}

/** Polls the stored runs until the one of this workflow is there (the workflow stores it when it has planned). */
async function runOf(api: ApiClient, workflowId: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await api.optimizationRuns({ limit: 20 });
    const run = page.items.find((r) => r.workflowId === workflowId);
    if (run) return api.optimizationRun(String(run.id));
    if (Date.now() > deadline) throw new AppError('TRANSIENT', `optimization ${workflowId} has stored no run after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function live(opts: Opts) {
  const base = { account: opts.account, objective: opts.objective, totalBudget: opts.budget, margin: num(opts.margin), dryRun: !!opts.dryRun, sync: opts.sync };
  const input = validate(startOptimizationSchema, base, NAMES, opts.json);
  return withApi(opts, async ({ api }) => {
    const started = await api.startOptimization(input);
    if (!opts.json) say(`Started ${started.workflowId}\nTemporal UI: ${started.url}`);
    const bar = progress('optimizing (sync, fit, allocate)', opts.json);
    bar.update(0, 1);
    const run = await runOf(api, started.workflowId).finally(() => bar.stop());
    const margin = (started.margin as number | null | undefined) ?? input.margin ?? null;
    if (opts.json) return printJson({ workflowId: started.workflowId, margin, ...run });
    printPlan(run.result as unknown as OptimizeResult, margin);
    const cr = run.changeRequestId as string | null;
    if (cr) say(`Opened change request ${cr}: \`mbo approvals show ${cr.slice(0, 8)}\``);
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
    const margins = [...new Set(((input as { campaigns?: { margin?: number }[] }).campaigns ?? []).map((c) => c.margin).filter((m): m is number => m != null))];
    const range = margins.length > 1 ? `${Math.min(...margins).toFixed(2)}–${Math.max(...margins).toFixed(2)} by campaign` : null;
    printPlan(r, margins.length === 1 ? margins[0] : range);
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
    .option('--risk <k>', "offline: risk aversion, standard deviations of a move's uncertainty to pay for (default 0.4)")
    .option('--json', 'machine-readable output')
    .action((opts: Opts) => {
      if (opts.scenario) return scenario(opts.scenario, opts);
      if (!opts.account) return fail(new AppError('INVALID_INPUT', 'give --scenario FILE (offline) or --account ID (live, through Temporal)'), !!opts.json);
      return live(opts);
    });
}
