// `mbo predict`: what a budget would bring, and what the next days will bring, with intervals — for a campaign, an
// account or the whole workspace (the insights routes: POST /insights/what-if, GET /insights/forecast).
// `--budget` (a campaign) or `--total` (an account or the workspace) asks what-if; `--days N` asks for a forecast.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { forecastSchema, whatIfSchema } from '../../services/forecasts/forecasts.schema.js';
import type { ForecastView, WhatIfView } from '../api-client.js';
import { examples } from '../help.js';
import { fail, printJson, printTable, say } from '../output.js';
import { num, validate, withApi } from '../run.js';

interface Opts {
  campaign?: string;
  account?: string;
  budget?: string;
  total?: string;
  days?: string;
  level?: string;
  json?: boolean;
}

const NAMES = { campaign: '--campaign', account: '--account', budget: '--budget', totalBudget: '--total', days: '--days', level: '--level' };
const iv = (x: { value: string | number; low: string | number; high: string | number }, d = 2) =>
  `${Number(x.value).toFixed(d)} (${Number(x.low).toFixed(d)}–${Number(x.high).toFixed(d)})`;
const scopeText = (s: { kind: string; ref: string | null }) => (s.kind === 'workspace' ? 'the workspace' : `${s.kind} ${s.ref}`);

function printWhatIf(r: WhatIfView) {
  const pc = Math.round(r.level * 100);
  say(`What-if for ${scopeText(r.scope)} (${r.currency}/day; intervals ${pc}%):`);
  printTable(
    ['', 'Budget', 'Revenue', 'Conversions', 'ROAS'],
    [
      [
        'at current budgets',
        r.total.currentBudget,
        iv(r.total.atCurrent.revenue),
        iv(r.total.atCurrent.conversions, 1),
        r.total.atCurrent.roas ? iv(r.total.atCurrent.roas) : null,
      ],
      [
        'at the asked budget',
        r.total.budget,
        iv(r.total.predicted.revenue),
        iv(r.total.predicted.conversions, 1),
        r.total.predicted.roas ? iv(r.total.predicted.roas) : null,
      ],
    ],
    ['l', 'r', 'r', 'r', 'r'],
  );
  if (r.campaigns.length > 1)
    printTable(
      ['Platform', 'Campaign id', 'Campaign', 'Budget', 'Revenue', 'Fitted'],
      r.campaigns.map((c) => [
        c.platform,
        c.externalId,
        c.name,
        `${c.currentBudget} → ${c.budget}`,
        iv(c.predicted.revenue),
        c.identified ? 'yes' : 'no (wide)',
      ]),
      ['l', 'l', 'l', 'r', 'r', 'l'],
    );
  for (const n of r.notes) say(`note: ${n}`);
}

function printForecast(r: ForecastView) {
  const pc = Math.round(r.level * 100);
  say(`Forecast for ${scopeText(r.scope)}: ${r.days.length} days from ${r.start} at today's budgets (${r.currency}; intervals ${pc}%)`);
  printTable(
    ['Day', 'Spend', 'Revenue', 'Conversions'],
    [...r.days.map((d) => [d.date, d.spend, iv(d.revenue), iv(d.conversions, 1)]), ['Total', r.total.spend, iv(r.total.revenue), iv(r.total.conversions, 1)]],
    ['l', 'r', 'r', 'r'],
  );
  if (r.total.roas !== null) say(`ROAS over the period: ${r.total.roas.toFixed(2)}`);
  for (const n of r.notes) say(`note: ${n}`);
}

export function registerPredict(program: Command) {
  examples(
    program
      .command('predict')
      .description('what-if (a budget for a campaign, a total for an account or the workspace) or a forecast of the next days, with intervals')
      .option('--campaign <id>', "one campaign (MBO's id or the platform's)")
      .option('--account <id>', 'one account; neither: the whole workspace')
      .option('--budget <amount>', 'what-if: this daily budget for the campaign')
      .option('--total <amount>', "what-if: this total daily budget for the account or workspace (spread like today's)")
      .option('--days <n>', 'forecast the next N days at today’s budgets (1–90)')
      .option('--level <p>', 'probability of the intervals (0.5–0.99, default 0.9)')
      .option('--json', 'machine-readable output')
      .action((opts: Opts) => {
        const level = num(opts.level);
        if (opts.days !== undefined) {
          if (opts.budget !== undefined || opts.total !== undefined)
            return fail(new AppError('INVALID_INPUT', '--days forecasts at today’s budgets: leave out --budget / --total'), !!opts.json);
          const q = validate(forecastSchema, { campaign: opts.campaign, account: opts.account, days: num(opts.days), level }, NAMES, opts.json);
          return withApi(opts, async ({ api }) => {
            const r = await api.forecast(q);
            return opts.json ? printJson(r) : printForecast(r);
          });
        }
        const input = validate(
          whatIfSchema,
          { campaign: opts.campaign, account: opts.account, budget: opts.budget, totalBudget: opts.total, level },
          NAMES,
          opts.json,
        );
        return withApi(opts, async ({ api }) => {
          const r = await api.whatIf(input);
          return opts.json ? printJson(r) : printWhatIf(r);
        });
      }),
    [
      'mbo predict --campaign sbx-google_ads-c01 --budget 300',
      'mbo predict --account sbx-meta --total 2500 --level 0.8',
      'mbo predict --total 12000 --json',
      'mbo predict --days 14',
      'mbo predict --campaign sbx-tiktok-c02 --days 7',
    ],
  );
}
