import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { optimizeScenario } from '../../services/optimize-scenario.js';
import type { OptimizeResult } from '../../core/optimizer/optimize.js';
import { scheduleOptimization, startOptimization } from '../../services/start-optimization.js';
import { currentUser } from '../identity.js';
import { fail, printJson, table } from '../output.js';
import { withContext } from '../run.js';

function printPlan(r: OptimizeResult) {
  const money = (v: number) => v.toFixed(2);
  console.log(`${r.name}: objective ${r.objective}, total ${money(r.totalDailyBudget)} ${r.currency}/day, planned ${money(r.allocatedDailyBudget)}`);
  console.log(
    table(
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
    ),
  );
  const t = r.expectedTotal;
  console.log(
    `Expected ${r.objective}/day: ${money(t.value)} (90%: ${money(t.low)}–${money(t.high)}) vs ${money(t.atCurrent)} at current budgets (${(t.uplift * 100).toFixed(1)}%)`,
  );
  const sumCurrent = r.allocations.reduce((a, x) => a + x.currentDailyBudget, 0);
  if (Math.abs(sumCurrent - r.totalDailyBudget) > 0.01 && t.atNeutral !== 0)
    console.log(`With today's budgets scaled to the new total: ${money(t.atNeutral)} (this plan ${((t.value / t.atNeutral - 1) * 100).toFixed(1)}% better)`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
}

export function registerOptimize(program: Command) {
  program
    .command('optimize')
    .description("recommend daily budgets: fit each campaign's response to budget and allocate where it earns most")
    .option('--scenario <file>', 'answer a scenario file offline (format: ../shared/optimizer/README.md)')
    .option('--account <id>', 'optimize this ad account (MBO id or platform id) through Temporal; opens a change request')
    .option('--objective <name>', 'revenue | conversions | profit', 'revenue')
    .option('--budget <amount>', "total daily budget to plan (default: today's total)")
    .option('--margin <share>', 'profit objective: share of revenue that is gross profit', (v) => Number(v))
    .option('--dry-run', 'plan only: store the run, open no change request')
    .option('--no-sync', 'do not sync fresh data first')
    .option('--schedule [hour]', 'instead of running now, schedule it daily at this hour (default 6) in the account time zone')
    .option('--as <user>', 'requester of the change request (default: MBO_USER or your OS user)')
    .option('--risk <k>', "risk aversion: standard deviations of a move's uncertainty to pay for (default 0.4)", (v) => Number(v))
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action(
      (opts: {
        scenario?: string;
        account?: string;
        objective: string;
        budget?: string;
        margin?: number;
        dryRun?: boolean;
        sync: boolean;
        schedule?: string | boolean;
        as?: string;
        risk?: number;
        json?: boolean;
        workspace?: string;
      }) => {
        if (!opts.scenario) {
          if (!opts.account) return fail(new AppError('VALIDATION', 'give --scenario FILE (offline) or --account ID (live, through Temporal)'), !!opts.json);
          return withContext(opts, async (ctx) => {
            const input = {
              workspace: opts.workspace,
              account: opts.account!,
              objective: opts.objective as 'revenue',
              totalBudget: opts.budget,
              margin: opts.margin,
              requestedBy: currentUser(opts.as),
              dryRun: opts.dryRun,
              sync: opts.sync,
            };
            if (opts.schedule !== undefined) {
              const hour = opts.schedule === true ? 6 : Number(opts.schedule);
              if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new AppError('VALIDATION', '--schedule takes an hour from 0 to 23');
              const s = await scheduleOptimization(ctx, { ...input, hour });
              return opts.json ? printJson(s) : console.log(`Scheduled ${s.scheduleId}: daily at ${String(s.hour).padStart(2, '0')}:00 ${s.timeZone}`);
            }
            const started = await startOptimization(ctx, input);
            if (!opts.json) console.log(`Started ${started.workflowId}\nTemporal UI: ${started.url}`);
            const r = await started.handle.result();
            const run = await ctx.prisma.optimizationRun.findUniqueOrThrow({ where: { id: r.runId } });
            if (opts.json) return printJson({ workflowId: started.workflowId, ...r, plan: run.result });
            printPlan(run.result as unknown as OptimizeResult);
            if (r.changeRequest)
              console.log(`Opened change request ${r.changeRequest.requestId} for ${r.moves} move(s): \`mbo approvals show ${r.changeRequest.requestId}\``);
            else console.log(opts.dryRun ? 'Dry run: no change request opened.' : 'No move worth making: no change request opened.');
          });
        }
        try {
          let input: unknown;
          try {
            input = JSON.parse(readFileSync(opts.scenario, 'utf8'));
          } catch (e) {
            throw new AppError('VALIDATION', `cannot read scenario ${opts.scenario}: ${(e as Error).message}`);
          }
          if (opts.risk !== undefined && !(opts.risk >= 0 && opts.risk <= 5)) throw new AppError('VALIDATION', '--risk must be a number from 0 to 5');
          const r = optimizeScenario(input, { riskAversion: opts.risk });
          if (opts.json) return printJson(r);
          printPlan(r);
        } catch (e) {
          fail(e, !!opts.json);
        }
      },
    );
}
