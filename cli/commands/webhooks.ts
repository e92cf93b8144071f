// `mbo webhooks`: outbound webhooks of the workspace (alerts, approval requests, closed requests; signed) and the
// secret that signs inbound approval decisions from chat tools. Admins only; secrets are shown once.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { addWebhookSchema, WEBHOOK_EVENTS, webhookIdSchema } from '../../services/webhooks/webhooks.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import { resolveIds } from '../resolve.js';
import { validate, withApi } from '../run.js';

export function registerWebhooks(program: Command) {
  const hooks = program.command('webhooks').description('outbound webhooks and the inbound signing secret (admins)');
  hooks
    .command('list', { isDefault: true })
    .description('outbound webhooks')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const list = await api.webhooks();
        if (opts.json) return printJson(list);
        if (!list.length) return say('No webhooks. Add one: mbo webhooks add https://hooks.slack.com/services/… --event alert');
        printTable(
          ['Webhook', 'URL', 'Events', 'Enabled', 'Added by', 'Added'],
          list.map((w) => [w.id.slice(0, 8), w.url, w.events.join(', '), w.enabled ? 'yes' : 'no', w.createdBy, when(w.createdAt)]),
        );
      }),
    );
  hooks
    .command('add')
    .description('send these events to a URL (Slack-compatible JSON, signed with a secret shown once)')
    .argument('<url>', 'http(s) URL')
    .option('--event <event...>', `events (${WEBHOOK_EVENTS.join(', ')}; default alert)`)
    .option('--json', 'machine-readable output')
    .action((url: string, opts: { event?: string[]; json?: boolean }) => {
      const input = validate(addWebhookSchema, { url, events: opts.event }, { url: '<url>', events: '--event' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const w = await api.addWebhook(input);
        if (opts.json) return printJson(w);
        say(`Added webhook ${w.id.slice(0, 8)} → ${w.url} (${w.events.join(', ')}).`);
        say(`Signing secret (shown once): ${w.secret}`);
      });
    });
  hooks
    .command('remove')
    .description('stop sending to a webhook')
    .argument('<webhook>', 'webhook id, or a unique prefix of it')
    .option('--json', 'machine-readable output')
    .action((ref: string, opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const [webhookId] = await resolveIds([ref], 'webhook', async () => ({ items: await api.webhooks(), nextCursor: null }));
        const input = validate(webhookIdSchema, { webhookId }, { webhookId: '<webhook>' }, opts.json);
        await api.removeWebhook(input.webhookId);
        return opts.json ? printJson({ removed: webhookId }) : say(`Removed webhook ${webhookId}.`);
      }),
    );
  hooks
    .command('test')
    .description('send one signed test message to a webhook and say whether the receiver took it')
    .argument('<webhook>', 'webhook id, or a unique prefix of it')
    .option('--json', 'machine-readable output')
    .action((ref: string, opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const [webhookId] = await resolveIds([ref], 'webhook', async () => ({ items: await api.webhooks(), nextCursor: null }));
        const r = await api.call<{ delivered: boolean; status: number; error: string | null }>('POST', `/webhooks/${webhookId}/test`);
        if (opts.json) return printJson(r);
        if (r.delivered) say(`Delivered: the receiver answered HTTP ${r.status}.`);
        else throw new AppError('TRANSIENT', `not delivered: ${r.error ?? `the receiver answered HTTP ${r.status}`}`);
      }),
    );
  hooks
    .command('inbound-secret')
    .description('a new secret for signed approval decisions from chat tools (the previous one stops working); shown once')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const s = await api.rotateInboundSecret();
        if (opts.json) return printJson(s);
        say(`Inbound signing secret (shown once): ${s.secret}`);
        say(`Chat tools sign each decision: ${s.header}, with X-MBO-Timestamp (unix seconds; 5-minute window).`);
      }),
    );
}
