// `mbo status`: per platform, accounts, campaigns, the latest day's spend/revenue/ROAS and the last sync, with a
// totals row (summed exactly; in one currency only when the platforms share one); then whether the database,
// Temporal and a worker answer (without a polling worker nothing approved is applied).
import type { Command } from 'commander';
import { formatMoney, parseMoney, ratio } from '../../core/money.js';
import type { StatusRow } from '../api-client.js';
import { examples } from '../help.js';
import { printJson, printTable, say, when } from '../output.js';
import { withApi } from '../run.js';

/** The totals row: counts always; money only when every platform is in the same currency. */
export function totals(platforms: StatusRow[]) {
  const currencies = [...new Set(platforms.map((p) => p.currency))];
  const one = currencies.length === 1 && currencies[0] ? currencies[0] : null;
  const spend = platforms.reduce((s, p) => s + parseMoney(p.yesterday.spend), 0n);
  const revenue = platforms.reduce((s, p) => s + parseMoney(p.yesterday.revenue), 0n);
  return {
    accounts: platforms.reduce((s, p) => s + p.accounts.length, 0),
    activeCampaigns: platforms.reduce((s, p) => s + p.activeCampaigns, 0),
    campaigns: platforms.reduce((s, p) => s + p.campaigns, 0),
    currency: one,
    spend: one ? formatMoney(spend) : null,
    revenue: one ? formatMoney(revenue) : null,
    roas: one ? ratio(revenue, spend) : null,
  };
}

export function registerStatus(program: Command) {
  examples(
    program
      .command('status')
      .description("per platform: accounts, active campaigns, the latest day's spend / revenue / ROAS, last sync; a totals row; whether a worker is polling")
      .option('--json', 'machine-readable output')
      .action((opts: { json?: boolean }) =>
        withApi(opts, async ({ api }) => {
          const [me, platforms, readiness] = await Promise.all([api.me(), api.status(), api.readiness()]);
          const total = totals(platforms);
          if (opts.json) return printJson({ workspace: me.workspace, platforms, totals: total, readiness });
          if (!platforms.length) say('No accounts yet. `npm run up` sets up the sandbox accounts; `mbo accounts` connects live ones.');
          else {
            const cur = (v: string | null, c: string | null) => (v === null ? (c === null ? 'mixed currencies' : null) : `${v} ${c ?? ''}`.trim());
            printTable(
              ['Platform', 'Accounts', 'Active', 'Day', 'Spend', 'Revenue', 'ROAS', 'Last sync'],
              [
                ...platforms.map((p) => [
                  p.platform,
                  p.accounts.length,
                  `${p.activeCampaigns}/${p.campaigns}`,
                  p.yesterday.date,
                  cur(p.yesterday.spend, p.currency),
                  cur(p.yesterday.revenue, p.currency),
                  p.yesterday.roas === null ? null : p.yesterday.roas.toFixed(2),
                  p.lastSync ? `${p.lastSync.status.toLowerCase()} ${when(p.lastSync.at)}${p.lastSync.error ? ` (${p.lastSync.error})` : ''}` : 'never',
                ]),
                [
                  'Total',
                  total.accounts,
                  `${total.activeCampaigns}/${total.campaigns}`,
                  '',
                  total.currency ? `${total.spend} ${total.currency}` : 'mixed currencies',
                  total.currency ? `${total.revenue} ${total.currency}` : 'mixed currencies',
                  total.roas === null ? null : total.roas.toFixed(2),
                  '',
                ],
              ],
              ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'l'],
            );
          }
          for (const c of readiness.checks) if (!c.ok) say(`! ${c.name}: ${c.detail}`);
        }),
      ),
    ['mbo status', 'mbo status --json | jq .totals'],
  );
}
