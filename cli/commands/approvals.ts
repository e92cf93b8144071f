// `mbo approvals`: the approval inbox. Lists requests with their items from → to (platform, campaign id), shows
// one, and approves or rejects one or several (by id or unique prefix) as the key's member, through the same
// decision use case as every door: only approvers, never one's own request under four-eyes, first decision wins.
import type { Command } from 'commander';
import { isAppError } from '../../core/errors.js';
import { CHANGE_STATUSES, decideChangeSchema, listChangeRequestsSchema } from '../../services/change-requests/change-requests.schema.js';
import { change, exitForStatus, printRequest, resolveRequestIds, waitUntilSettled } from '../change-requests.js';
import { safeText } from '../../core/text.js';
import { EXIT, printJson, printTable, say, when } from '../output.js';
import { num, validate, withApi } from '../run.js';

export function registerApprovals(program: Command) {
  const approvals = program.command('approvals').description('change requests waiting for (or past) a decision');
  approvals
    .command('list', { isDefault: true })
    .description('change requests, newest first (default: those waiting for approval)')
    .option('--all', 'every status')
    .option('--status <status...>', `only these statuses (${CHANGE_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many requests', '50')
    .option('--json', 'machine-readable output')
    .action((opts: { all?: boolean; status?: string[]; limit: string; json?: boolean }) => {
      const status = opts.status?.map((s) => s.toUpperCase()) ?? (opts.all ? undefined : ['PENDING_APPROVAL']);
      const q = validate(listChangeRequestsSchema, { status, limit: num(opts.limit) }, { status: '--status', limit: '--limit' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const page = await api.changes(q);
        if (opts.json) return printJson(page);
        if (!page.items.length)
          return say(status?.length === 1 && status[0] === 'PENDING_APPROVAL' ? 'Nothing is waiting for approval.' : 'No change requests.');
        printTable(
          ['Request', 'Status', 'Requested by', 'Platform', 'Campaign id', 'Campaign', 'Change', 'Reason', 'Created'],
          page.items.flatMap((r) =>
            r.items.map((i, n) =>
              n === 0
                ? [
                    r.id.slice(0, 8),
                    r.status.toLowerCase(),
                    r.requestedBy,
                    i.campaign.platform,
                    i.campaign.externalId,
                    i.campaign.name,
                    change(i),
                    r.reason,
                    when(r.createdAt),
                  ]
                : ['', '', '', i.campaign.platform, i.campaign.externalId, i.campaign.name, change(i), '', ''],
            ),
          ),
          ['l', 'l', 'l', 'l', 'l', 'l', 'r', 'l', 'l'],
        );
        if (page.nextCursor) say(`(more: --limit ${q.limit * 2})`);
      });
    });

  approvals
    .command('show')
    .description('one change request: items, guardrail results, decision, outcome')
    .argument('<request>', 'change request id, or a unique prefix of it')
    .option('--json', 'machine-readable output')
    .action((ref: string, opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const [requestId] = await resolveRequestIds(api, [ref]);
        const r = await api.change(requestId!);
        if (opts.json) return printJson(r);
        printRequest(r);
      }),
    );

  for (const verb of ['approve', 'reject'] as const) {
    approvals
      .command(verb)
      .description(verb === 'approve' ? 'approve change requests (approvers; never your own under four-eyes)' : 'reject change requests (approvers)')
      .argument('<requests...>', 'change request ids, or unique prefixes of them')
      .option('--note <text>', 'note kept with the decision')
      .option('--wait', verb === 'approve' ? 'wait until each approved request is applied (or stopped)' : 'no effect (a rejection is final at once)')
      .option('--json', 'machine-readable output')
      .action((refs: string[], opts: { note?: string; wait?: boolean; json?: boolean }) => {
        validate(decideChangeSchema.pick({ note: true }), { note: opts.note }, { note: '--note' }, opts.json);
        return withApi(opts, async ({ api }) => {
          const ids = await resolveRequestIds(api, refs);
          const results: { requestId: string; status?: string; error?: { code: string; message: string } }[] = [];
          let exit: number = EXIT.OK;
          for (const requestId of ids) {
            try {
              const state = await api.decide(requestId, { approve: verb === 'approve', note: opts.note });
              let status: string = state.status;
              if (opts.wait && verb === 'approve') {
                const settled = await waitUntilSettled(api, requestId);
                status = settled.status;
                if (exit === EXIT.OK) exit = exitForStatus(settled.status);
              }
              results.push({ requestId, status });
              if (!opts.json) say(`${verb === 'approve' ? 'Approved' : 'Rejected'} ${requestId}: ${status.toLowerCase()}`);
            } catch (e) {
              if (!isAppError(e) || ids.length === 1) throw e;
              results.push({ requestId, error: { code: e.code, message: e.message } });
              if (!opts.json) process.stderr.write(`mbo: ${requestId}: ${safeText(e.message)}\n`);
              if (exit === EXIT.OK) exit = EXIT[e.code] ?? EXIT.INTERNAL;
            }
          }
          if (opts.json) printJson(results.length === 1 ? results[0] : results);
          else if (ids.length === 1 && !opts.wait) say(`Follow it with \`mbo approvals show ${ids[0]!.slice(0, 8)}\`.`);
          process.exitCode = exit;
        });
      });
  }
}
