// `mbo optimize`: recommend daily budgets. Offline on a scenario file (no stack needed), or live on an account
// through the OptimizationWorkflow (sync, fit, allocate, store the run, open a change request), now or daily;
// --explain then has the stored workspace plan explained (the AI engine, as `mbo ai explain --plan`).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { OptimizeResult } from '../../core/optimizer/optimize.js';
import { riskSchema, scheduleOptimizationSchema, unscheduleOptimizationSchema } from '../../services/optimization/optimization.schema.js';
import type { getOptimizationPlan, listOptimizationPlans } from '../../services/optimization/read-plans.js';
import { listPlansSchema, startWorkspaceOptimizationSchema } from '../../services/optimization/workspace-optimization.schema.js';
import { optimizeScenario } from '../../services/optimization/optimization.js';
import { fail, printJson, printTable, progress, say, when } from '../output.js';
import { resolveIds } from '../resolve.js';
import type { ApiClient } from '../api-client.js';
import { num, offline, validate, withApi } from '../run.js';
import { explainAnswer } from './ai.js';

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
  accounts: '--account',
  platforms: '--platform',
  risk: '--risk',
  reportCurrency: '--currency',
  objective: '--objective',
  totalBudget: '--budget',
  margin: '--margin',
  dryRun: '--dry-run',
  sync: '--no-sync',
};

interface Opts {
  scenario?: string;
  account?: string[];
  platform?: string[];
  currency?: string;
  objective?: string;
  budget?: string;
  margin?: string;
  dryRun?: boolean;
  sync: boolean;
  risk?: string;
  explain?: boolean;
  json?: boolean;
}

type Plan = Awaited<ReturnType<typeof getOptimizationPlan>>;
type PlanSummary = Awaited<ReturnType<typeof listOptimizationPlans>>['items'][number];

/** Polls the stored plans until the one of this workflow is there (the workflow stores it once it has planned). */
async function planOf(api: ApiClient, workflowId: string, timeoutMs = 600_000): Promise<Plan> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await api.optimizationPlans({ limit: 20 });
    const found = page.items.find((p) => p.workflowId === workflowId);
    if (found) return api.optimizationPlan(found.id);
    if (Date.now() > deadline) throw new AppError('TRANSIENT', `optimization ${workflowId} has stored no plan after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const n2 = (v: number) => v.toFixed(2);

function printWorkspacePlan(p: Plan) {
  const m = p.objective === 'profit' ? ` (margin ${p.margin ?? 0.3})` : '';
  say(`Plan ${p.id.slice(0, 8)}: objective ${p.objective}${m}, ${p.totalBudget} ${p.reportCurrency}/day over ${p.accounts.length} account(s)`);
  say(
    `Expected ${p.objective}/day: ${n2(p.expected.value)} (90%: ${n2(p.expected.low)}–${n2(p.expected.high)}) vs ${n2(p.expected.atCurrent)} at current budgets (${p.expectedUplift === null ? 'n/a' : pct(p.expectedUplift)})`,
  );
  printTable(
    ['Platform', 'Current', 'Planned', 'Share now', 'Share planned'],
    p.platforms.map((x) => [x.platform, x.current, x.planned, pct(x.currentShare), pct(x.plannedShare)]),
    ['l', 'r', 'r', 'r', 'r'],
  );
  const moved = p.campaigns.filter((c) => c.from !== c.to);
  if (moved.length)
    printTable(
      ['Platform', 'Campaign', 'Budget', 'Change', `Expected ${p.objective}`, 'Why'],
      moved.map((c) => [
        c.platform,
        c.name,
        `${c.from} → ${c.to} ${c.currency}`,
        `${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(0)}%`,
        n2(c.expected.value),
        c.reasons.map((r) => r.code).join(', '),
      ]),
      ['l', 'l', 'r', 'r', 'r', 'l'],
    );
  printTable(
    ['Account', 'Platform', 'Moves', 'Request', 'Status'],
    p.accounts.map((a) => [a.name, a.platform, a.moves, a.requestId?.slice(0, 8) ?? '', a.status?.toLowerCase() ?? (a.moves ? 'not requested' : 'no move')]),
    ['l', 'l', 'r', 'l', 'l'],
  );
  for (const w of p.warnings) say(`warning: ${w}`);
}

function live(opts: Opts) {
  const input = validate(
    startWorkspaceOptimizationSchema,
    {
      platforms: opts.platform,
      accounts: opts.account,
      objective: opts.objective,
      margin: num(opts.margin),
      risk: num(opts.risk),
      totalBudget: opts.budget,
      reportCurrency: opts.currency,
      dryRun: !!opts.dryRun,
      sync: opts.sync,
    },
    NAMES,
    opts.json,
  );
  return withApi(opts, async ({ api }) => {
    const started = await api.startOptimizationPlan(input);
    if (!opts.json) say(`Started ${started.workflowId}\nTemporal UI: ${started.url}`);
    const bar = progress('optimizing (sync, fit, allocate)', opts.json);
    bar.update(0, 1);
    const plan = await planOf(api, started.workflowId).finally(() => bar.stop());
    if (opts.json) return printJson(opts.explain ? { plan, explanation: await explainPlan(api, plan.id, true) } : plan);
    printWorkspacePlan(plan);
    const opened = plan.accounts.filter((a) => a.requestId);
    if (opened.length) say(`Opened ${opened.length} change request(s), one per account: \`mbo approvals list\``);
    else say(opts.dryRun ? 'Dry run: no change request opened.' : 'No move worth making: no change request opened.');
    if (opts.explain) {
      say('');
      await explainPlan(api, plan.id);
    }
  });
}

/** --explain: the stored plan explained as `mbo ai explain --plan` does (Claude, or MBO's own words without a key). */
function explainPlan(api: ApiClient, planId: string, json?: boolean) {
  return explainAnswer(api, { planId }, json).catch((e: unknown) => {
    process.stderr.write(`The plan is stored (${planId}); explain it again with \`mbo ai explain --plan ${planId.slice(0, 8)}\`.\n`);
    throw e;
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
  const optimize = program
    .command('optimize')
    .description('recommend daily budgets across the whole workspace (or chosen platforms/accounts); offline on a scenario file with --scenario')
    .option('--scenario <file>', 'answer a scenario file offline, no stack needed (format: ../shared/optimizer/README.md)')
    .option('--platform <platform...>', 'only these platforms (google_ads meta tiktok linkedin)')
    .option('--account <id...>', "only these accounts (MBO's id or the platform's)")
    .option('--objective <name>', 'revenue | conversions | profit (default revenue)')
    .option('--budget <amount>', "total daily budget to plan, in the report currency (default: today's total)")
    .option('--currency <code>', 'report currency of the plan (default: the accounts’ one currency)')
    .option('--margin <share>', 'profit objective: share of revenue that is gross profit (default 0.3)')
    .option('--risk <k>', "risk aversion: standard deviations of a move's uncertainty to pay for (default 0.4)")
    .option('--dry-run', 'plan only: store the plan, open no change request')
    .option('--no-sync', 'do not sync fresh data first')
    .option('--explain', 'then explain the plan in plain language (as `mbo ai explain --plan`: by Claude, or MBO’s own words without a key)')
    .option('--json', 'machine-readable output')
    .action((opts: Opts) => {
      if (opts.scenario && opts.explain)
        fail(new AppError('INVALID_INPUT', '--explain explains a stored workspace plan: it needs the stack, not --scenario'), !!opts.json);
      return opts.scenario ? scenario(opts.scenario, opts) : live(opts);
    });
  // `optimize`'s own options are parsed wherever they stand (commander's default for a parent), so the
  // subcommands take the account as an argument and read --objective/--margin/--dry-run through optsWithGlobals.
  optimize
    .command('schedule')
    .description(
      "optimize one account every day at an hour of the account's own time zone (analysts); replaces its schedule. --objective, --margin and --dry-run as for `mbo optimize`",
    )
    .argument('<account>', "the account (MBO's id or the platform's)")
    .option('--hour <h>', 'hour of the day, 0–23, in the account’s time zone', '6')
    .option('--json', 'machine-readable output')
    .action((account: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ hour: string; objective?: string; margin?: string; dryRun?: boolean; json?: boolean }>();
      const body = validate(
        scheduleOptimizationSchema,
        { account, hour: num(opts.hour), objective: opts.objective, margin: opts.margin === undefined ? undefined : num(opts.margin), dryRun: !!opts.dryRun },
        { account: '<account>', hour: '--hour', objective: '--objective', margin: '--margin' },
        opts.json,
      );
      return withApi(opts, async ({ api }) => {
        const s = await api.call<{ scheduleId: string; hour: number; timeZone: string; objective: string; dryRun: boolean }>('PUT', '/optimization-schedules', {
          body,
        });
        if (opts.json) return printJson(s);
        say(
          `Scheduled: ${s.objective} optimization of ${account} every day at ${String(s.hour).padStart(2, '0')}:00 ${s.timeZone}${s.dryRun ? ' (dry run: no change requests)' : '; its change requests wait for approval'} (Temporal schedule ${s.scheduleId}).`,
        );
      });
    });
  optimize
    .command('unschedule')
    .description("stop an account's daily optimization (analysts)")
    .argument('<account>', "the account (MBO's id or the platform's)")
    .option('--json', 'machine-readable output')
    .action((account: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ json?: boolean }>();
      const q = validate(unscheduleOptimizationSchema, { account }, { account: '<account>' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const r = await api.call<{ removed: boolean }>('DELETE', `/optimization-schedules/${encodeURIComponent(q.account)}`);
        if (opts.json) return printJson(r);
        say(r.removed ? `Stopped the daily optimization of ${account}.` : `${account} had no daily optimization.`);
      });
    });
  optimize
    .command('runs')
    .description('stored workspace plans, newest first: what was recommended, each account’s request and its state')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'machine-readable output')
    .action((opts: { limit: string; json?: boolean }) => {
      const q = validate(listPlansSchema, { limit: num(opts.limit) }, { limit: '--limit' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const page = await api.optimizationPlans(q);
        if (opts.json) return printJson(page);
        if (!page.items.length) return say('No plans yet: `mbo optimize --dry-run` makes one without opening requests.');
        printTable(
          ['Plan', 'Created', 'By', 'Objective', 'Budget/day', 'Expected uplift', 'Moves', 'Requests'],
          page.items.map((p: PlanSummary) => [
            p.id.slice(0, 8),
            when(p.createdAt),
            p.requestedBy,
            p.objective === 'profit' ? `profit (margin ${p.margin ?? 0.3})` : p.objective,
            `${p.totalBudget} ${p.reportCurrency}`,
            p.expectedUplift === null ? null : pct(p.expectedUplift),
            p.moves,
            p.dryRun ? 'dry run' : p.accounts.map((a) => `${a.platform}:${a.status?.toLowerCase() ?? '—'}`).join(' '),
          ]),
          ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'l'],
        );
      });
    });
  optimize
    .command('show')
    .description('one plan: platform shares, campaign moves from → to, each account’s request, the realised outcome')
    .argument('<plan>', 'plan id, or a unique prefix of it')
    .option('--json', 'machine-readable output')
    .action((ref: string, opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const [planId] = await resolveIds([ref], 'optimization plan', (cursor) => api.optimizationPlans({ limit: 500, cursor }));
        const p = await api.optimizationPlan(planId!);
        if (opts.json) return printJson(p);
        printWorkspacePlan(p);
        const o = p.outcome;
        if (o.realisedPerDay !== null)
          say(
            `Realised ${p.objective}/day over ${o.days} day(s) after applying: ${n2(o.realisedPerDay)} (predicted ${n2(o.predictedPerDay.value)}, 90%: ${n2(o.predictedPerDay.low)}–${n2(o.predictedPerDay.high)}${o.withinInterval ? ', inside' : ', outside'})`,
          );
        else say(`Realised outcome: ${o.status === 'not-applied' ? 'nothing applied yet' : 'waiting for days after the apply date'}.`);
      }),
    );
}
