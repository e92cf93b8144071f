// `mbo status`: per platform, accounts, campaigns, the latest day's spend/revenue/ROAS and the last sync; then
// whether the database, Temporal and a worker answer (without a polling worker nothing approved is applied).
import type { Command } from 'commander';
import { checkReadiness } from '../../services/health/health.js';
import { getStatus } from '../../services/status/get-status.js';
import { printJson, printTable, say, when } from '../output.js';
import { withContext } from '../run.js';

export function registerStatus(program: Command) {
  program
    .command('status')
    .description("per platform: accounts, active campaigns, the latest day's spend / revenue / ROAS, last sync; and whether a worker is polling")
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withContext(opts, async (ctx) => {
        const [platforms, readiness] = await Promise.all([getStatus(ctx), checkReadiness(ctx.app)]);
        if (opts.json) return printJson({ workspace: ctx.actor.workspace, platforms, readiness });
        if (!platforms.length) say('No accounts yet. `npm run up` sets up the sandbox accounts.');
        else
          printTable(
            ['Platform', 'Accounts', 'Active', 'Day', 'Spend', 'Revenue', 'ROAS', 'Last sync'],
            platforms.map((p) => [
              p.platform,
              p.accounts.length,
              `${p.activeCampaigns}/${p.campaigns}`,
              p.yesterday.date,
              `${p.yesterday.spend} ${p.currency ?? ''}`.trim(),
              `${p.yesterday.revenue} ${p.currency ?? ''}`.trim(),
              p.yesterday.roas === null ? null : p.yesterday.roas.toFixed(2),
              p.lastSync ? `${p.lastSync.status.toLowerCase()} ${when(p.lastSync.at)}${p.lastSync.error ? ` (${p.lastSync.error})` : ''}` : 'never',
            ]),
            ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'l'],
          );
        for (const c of readiness.checks) if (!c.ok) say(`! ${c.name}: ${c.detail}`);
      }),
    );
}
