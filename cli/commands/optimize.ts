import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { optimizeScenario } from '../../services/optimize-scenario.js';
import { fail, printJson, table } from '../output.js';

export function registerOptimize(program: Command) {
  program
    .command('optimize')
    .description("recommend daily budgets: fit each campaign's response to budget and allocate where it earns most")
    .requiredOption('--scenario <file>', 'answer a scenario file offline (format: ../shared/optimizer/README.md)')
    .option('--risk <k>', "risk aversion: standard deviations of a move's uncertainty to pay for (default 0.75)", (v) => Number(v))
    .option('--json', 'machine-readable output (the scenario answer format)')
    .action((opts: { scenario: string; risk?: number; json?: boolean }) => {
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
              a.campaignId,
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
        for (const w of r.warnings) console.log(`warning: ${w}`);
      } catch (e) {
        fail(e, !!opts.json);
      }
    });
}
