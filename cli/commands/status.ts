import type { Command } from 'commander';
import { getStatus } from '../../services/get-status.js';
import { stackProcesses } from '../../stack/stack.js';
import { printJson, table } from '../output.js';
import { withContext } from '../run.js';

export function registerStatus(program: Command) {
  program
    .command('status')
    .description("per platform: accounts, active campaigns, yesterday's spend / revenue / ROAS, last sync")
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace (default: MBO_WORKSPACE or "default")')
    .action((opts: { json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const platforms = await getStatus(ctx, opts.workspace);
        if (opts.json) return printJson({ workspace: opts.workspace ?? ctx.config.workspace, platforms, processes: stackProcesses(ctx.config) });
        if (!platforms.length) return console.log('No accounts yet. `npm run up` sets up the sandbox accounts.');
        console.log(
          table(
            ['Platform', 'Accounts', 'Active', 'Day', 'Spend', 'Revenue', 'ROAS', 'Last sync'],
            platforms.map((p) => [
              p.platform,
              p.accounts.length,
              `${p.activeCampaigns}/${p.campaigns}`,
              p.yesterday.date,
              `${p.yesterday.spend} ${p.currency ?? ''}`.trim(),
              `${p.yesterday.revenue} ${p.currency ?? ''}`.trim(),
              p.yesterday.roas === null ? null : p.yesterday.roas.toFixed(2),
              p.lastSync
                ? `${p.lastSync.status.toLowerCase()} ${p.lastSync.at.slice(0, 16).replace('T', ' ')}Z${p.lastSync.error ? ` (${p.lastSync.error})` : ''}`
                : 'never',
            ]),
            ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'l'],
          ),
        );
      }),
    );
}
