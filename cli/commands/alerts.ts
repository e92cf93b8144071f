// `mbo alerts`: rule alerts and anomalies of the workspace (anyone may read them), and acknowledging them
// (analysts and above; audited). Ids by unique prefix.
import type { Command } from 'commander';
import { listAlertsSchema, resolveAlertSchema } from '../../services/alerts/alerts.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import { resolveIds } from '../resolve.js';
import { num, validate, withApi } from '../run.js';

export function registerAlerts(program: Command) {
  const alerts = program.command('alerts').description('rule alerts and anomalies');
  alerts
    .command('list', { isDefault: true })
    .description('alerts, newest first')
    .option('--severity <level>', 'info | warning | critical')
    .option('--kind <kind>', 'e.g. rule or anomaly')
    .option('--open', 'only alerts nobody has acknowledged')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'machine-readable output')
    .action((opts: { severity?: string; kind?: string; open?: boolean; limit: string; json?: boolean }) => {
      const q = validate(
        listAlertsSchema,
        { severity: opts.severity, kind: opts.kind, unacknowledged: opts.open, limit: num(opts.limit) },
        { severity: '--severity', kind: '--kind', unacknowledged: '--open', limit: '--limit' },
        opts.json,
      );
      return withApi(opts, async ({ api }) => {
        const page = await api.alerts(q);
        if (opts.json) return printJson(page);
        if (!page.items.length) return say(opts.open ? 'No open alerts.' : 'No alerts.');
        printTable(
          ['Alert', 'When', 'Severity', 'Kind', 'Message', 'Delivered', 'Acknowledged'],
          page.items.map((a) => [
            a.id.slice(0, 8),
            when(a.createdAt),
            a.severity,
            a.kind,
            a.message,
            a.delivered ? 'yes' : a.lastError ? `no (${a.lastError})` : 'no',
            a.acknowledgedBy ? `${a.acknowledgedBy} ${when(a.acknowledgedAt)}` : '',
          ]),
        );
      });
    });
  alerts
    .command('ack')
    .description('acknowledge alerts (analysts and above)')
    .argument('<alerts...>', 'alert ids, or unique prefixes of them')
    .option('--json', 'machine-readable output')
    .action((refs: string[], opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const ids = await resolveIds(refs, 'alert', (cursor) => api.alerts({ limit: 500, cursor }));
        const done = [];
        for (const alertId of ids) done.push(await api.ackAlert(alertId));
        if (opts.json) return printJson(done);
        for (const a of done) say(`Acknowledged ${a.id.slice(0, 8)} (${a.acknowledgedBy} ${when(a.acknowledgedAt)}): ${a.message}`);
      }),
    );
  alerts
    .command('resolve')
    .description('resolve an alert with a note on how (analysts and above); acknowledges it too')
    .argument('<alert>', 'alert id, or a unique prefix of it')
    .requiredOption('--note <text>', 'how the cause was dealt with')
    .option('--json', 'machine-readable output')
    .action((ref: string, opts: { note: string; json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const [alertId] = await resolveIds([ref], 'alert', (cursor) => api.alerts({ limit: 500, cursor }));
        const { note } = validate(resolveAlertSchema, { alertId, note: opts.note }, { note: '--note' }, opts.json);
        const a = await api.call<{ id: string; message: string; resolvedBy: string; resolvedAt: string }>('POST', `/alerts/${alertId}/resolve`, {
          body: { note },
        });
        if (opts.json) return printJson(a);
        say(`Resolved ${a.id.slice(0, 8)} (${a.resolvedBy} ${when(a.resolvedAt)}): ${a.message}`);
      }),
    );
}
