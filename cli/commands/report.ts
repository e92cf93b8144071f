// `mbo report`: the performance report of a period (spend, revenue, ROAS, CPA per platform, top/bottom campaigns,
// change on the previous period, anomalies, pending approvals, the last plan's predicted vs realised) as Markdown,
// self-contained HTML with charts, CSV or JSON — printed or written to a file — and its scheduled delivery to the
// workspace webhooks (the reports routes of the API).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { reportSchema, runReportSchema, scheduleReportSchema } from '../../services/reports/reports.schema.js';
import { examples } from '../help.js';
import { printJson, say, when } from '../output.js';
import { num, validate, withApi } from '../run.js';

const NAMES = { days: '--days', from: '--from', to: '--to', format: '--format', cron: '--cron', timeZone: '--tz' };

export function registerReport(program: Command) {
  const report = examples(
    program
      .command('report')
      .description('the performance report of a period (default: the last 7 days) as markdown, html (with charts), csv or json')
      .option('--days <n>', 'days in the period (1–92, default 7)')
      .option('--from <date>', 'first day, YYYY-MM-DD')
      .option('--to <date>', 'last day, YYYY-MM-DD (default: the latest day with metrics)')
      .option('--format <format>', 'markdown | html | csv | json', 'markdown')
      .option('--out <file>', 'write it to this file instead of printing it')
      .action((opts: { days?: string; from?: string; to?: string; format: string; out?: string }) => {
        const q = validate(reportSchema, { days: num(opts.days), from: opts.from, to: opts.to, format: opts.format }, NAMES, opts.format === 'json');
        return withApi({ json: q.format === 'json' }, async ({ api }) => {
          const body = await api.report(q);
          if (opts.out) {
            writeFileSync(path.resolve(opts.out), body);
            return say(`Wrote the ${q.format} report to ${path.resolve(opts.out)} (${body.length} bytes).`);
          }
          process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
        });
      }),
    ['mbo report', 'mbo report --days 30 --format html --out report.html', 'mbo report --from 2026-05-01 --to 2026-05-31 --format csv'],
  );
  examples(
    report
      .command('schedule')
      .description('deliver the report to the workspace webhooks (event `report`) on a schedule; replaces the current one (analysts)')
      .option('--cron <expr>', 'five-field cron (default "0 8 * * 1": Mondays 08:00)')
      .option('--tz <zone>', 'IANA time zone of the cron (default UTC)')
      .option('--days <n>', 'days in each report (default 7)')
      .option('--show', 'show the current schedule and its recent runs instead')
      .option('--json', 'machine-readable output')
      .action((opts: { cron?: string; tz?: string; days?: string; show?: boolean; json?: boolean }) => {
        if (opts.show)
          return withApi(opts, async ({ api }) => {
            const s = await api.reportSchedule();
            if (opts.json) return printJson(s);
            say(
              Object.entries(s)
                .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                .join('\n'),
            );
          });
        const input = validate(scheduleReportSchema, { cron: opts.cron, timeZone: opts.tz, days: num(opts.days) }, NAMES, opts.json);
        return withApi(opts, async ({ api }) => {
          const s = await api.scheduleReport(input);
          if (opts.json) return printJson(s);
          say(`Scheduled ${s.scheduleId}: "${s.cron}" (${s.timeZone}), ${s.days}-day reports to the webhooks that take the report event.`);
        });
      }),
    ['mbo report schedule --cron "0 8 * * 1" --tz Europe/Berlin', 'mbo report schedule --show'],
  );
  examples(
    report
      .command('unschedule')
      .description('stop the scheduled report (analysts)')
      .option('--json', 'machine-readable output')
      .action((opts: { json?: boolean }) =>
        withApi(opts, async ({ api }) => {
          const r = await api.unscheduleReport();
          return opts.json ? printJson(r) : say(r.removed ? 'The scheduled report is stopped.' : 'No report was scheduled.');
        }),
      ),
    ['mbo report unschedule'],
  );
  examples(
    report
      .command('send')
      .description('deliver the report to the workspace webhooks now (analysts)')
      .option('--days <n>', 'days in the report (default 7)')
      .option('--json', 'machine-readable output')
      .action((opts: { days?: string; json?: boolean }) => {
        const input = validate(runReportSchema, { days: num(opts.days) }, NAMES, opts.json);
        return withApi(opts, async ({ api }) => {
          const r = await api.deliverReport(input);
          if (opts.json) return printJson(r);
          say(`Delivered the report of ${r.period.from}..${r.period.to} to ${r.delivered} of ${r.webhooks} webhook(s) at ${when(new Date().toISOString())}.`);
        });
      }),
    ['mbo report send', 'mbo report send --days 30'],
  );
}
