import type { Command } from 'commander';
import { loadConfig } from '../../lib/config.js';
import { advanceSandbox } from '../../services/advance-sandbox.js';
import { bringDownStack, bringUpStack } from '../../stack/stack.js';
import { startSync } from '../../services/start-sync.js';
import { getStatus } from '../../services/get-status.js';
import { fail, printJson, table } from '../output.js';
import { withContext } from '../run.js';

export function registerStack(program: Command) {
  program
    .command('up')
    .description('bring up Postgres, Temporal + UI, the worker, sandbox data, the hourly sync schedule, and run a first sync')
    .option('--no-sync', 'skip the first sync')
    .option('--no-worker', 'do not start a worker process (when workers run elsewhere, e.g. docker-compose)')
    .action(async (opts: { sync: boolean; worker: boolean }) => {
      const config = (() => {
        try {
          return loadConfig();
        } catch (e) {
          return fail(e, false);
        }
      })();
      const step = (m: string) => console.log(`✓ ${m}`);
      try {
        const ctx = await bringUpStack(config, step, { worker: opts.worker });
        if (opts.sync) {
          const s = await startSync(ctx, {});
          console.log(`… first sync running: ${s.url}`);
          const r = await s.handle.result();
          step(`Sync: ${r.succeeded}/${r.accounts.length} accounts synced`);
          const status = await getStatus(ctx);
          console.log(
            '\n' +
              table(
                ['Platform', 'Active', 'Day', 'Spend', 'Revenue'],
                status.map((p) => [p.platform, p.activeCampaigns, p.yesterday.date, p.yesterday.spend, p.yesterday.revenue]),
                ['l', 'r', 'l', 'r', 'r'],
              ),
          );
        }
        console.log(`\nMBO is up. Temporal UI: ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
        console.log('Next: `npx mbo status`, `npx mbo sync --wait`, `npx mbo sandbox advance --days 7`; stop with `npx mbo down`.');
        await ctx.close();
      } catch (e) {
        fail(e, false);
      }
    });

  program
    .command('down')
    .description('stop the worker, the Temporal dev server and the embedded Postgres started by `mbo up` (data is kept)')
    .action(async () => {
      try {
        await bringDownStack(loadConfig(), (m) => console.log(`✓ ${m}`));
      } catch (e) {
        fail(e, false);
      }
    });

  const sandbox = program.command('sandbox').description('the simulated ad platform');
  sandbox
    .command('advance')
    .description('simulate the next N days from the budgets in force')
    .requiredOption('--days <n>', 'days to simulate', (v) => Number(v))
    .option('--account <id>', 'only this sandbox account (e.g. sbx-meta)')
    .option('--json', 'machine-readable output')
    .action((opts: { days: number; account?: string; json?: boolean }) =>
      withContext(opts, async (ctx) => {
        const r = await advanceSandbox(ctx, { days: opts.days, accountId: opts.account });
        if (opts.json) return printJson({ accounts: r });
        console.log(
          table(
            ['Sandbox account', 'Simulated through'],
            r.map((a) => [a.accountId, a.today]),
            ['l', 'l'],
          ),
        );
        console.log('Run `npx mbo sync --wait` to pull the new days.');
      }),
    );
}
