import type { Command } from 'commander';
import { decideChangeRequest, getChangeRequest, listChangeRequests } from '../../services/decide-change-request.js';
import { currentUser } from '../identity.js';
import { printJson, table } from '../output.js';
import { withContext } from '../run.js';

type Detail = Awaited<ReturnType<typeof getChangeRequest>>;

export function printRequest(r: Detail) {
  console.log(`Change request ${r.id} — ${r.status}`);
  console.log(`  requested by ${r.requestedBy} (${r.source}) at ${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}Z: ${r.reason}`);
  if (r.decidedBy) console.log(`  decided by ${r.decidedBy}${r.decisionNote ? `: ${r.decisionNote}` : ''}`);
  const g = r.guardrails as { violations?: { message: string }[]; notes?: string[] } | null;
  for (const v of g?.violations ?? []) console.log(`  ✗ guardrail: ${v.message}`);
  for (const n of g?.notes ?? []) console.log(`  · ${n}`);
  if (r.workflowState?.expiresAt && r.status === 'PENDING_APPROVAL')
    console.log(`  expires ${r.workflowState.expiresAt}; approvers: ${r.workflowState.approvers.join(', ') || '(none)'}`);
  if (r.outcome) console.log(`  outcome: ${r.outcome}`);
  console.log(
    table(
      ['#', 'Campaign', 'Change', 'From', 'To', 'Status', 'Note'],
      r.items.map((i) => [
        i.seq + 1,
        i.campaign?.name ?? i.campaignId,
        i.kind,
        Number(i.fromBudget).toFixed(2),
        i.toBudget ? Number(i.toBudget).toFixed(2) : '',
        i.status.toLowerCase(),
        i.error ?? '',
      ]),
      ['r', 'l', 'l', 'r', 'r', 'l', 'l'],
    ),
  );
}

export function registerApprovals(program: Command) {
  const approvals = program.command('approvals').description('change requests waiting for (or past) a decision');
  approvals
    .command('list', { isDefault: true })
    .description('list change requests (default: pending approval)')
    .option('--all', 'every status, newest first')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action((opts: { all?: boolean; json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const list = await listChangeRequests(ctx, { workspace: opts.workspace, status: opts.all ? undefined : ['PENDING_APPROVAL'] });
        if (opts.json) return printJson(list);
        if (!list.length) return console.log(opts.all ? 'No change requests yet.' : 'Nothing is waiting for approval.');
        console.log(
          table(
            ['Request', 'Status', 'Requested by', 'Items', 'Reason', 'Created'],
            list.map((r) => [r.id, r.status.toLowerCase(), r.requestedBy, r.items.length, r.reason, r.createdAt.toISOString().slice(0, 16).replace('T', ' ')]),
          ),
        );
      }),
    );
  approvals
    .command('show')
    .argument('<request>', 'change request id')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: { json?: boolean }) =>
      withContext(opts, async (ctx) => {
        const r = await getChangeRequest(ctx, id);
        if (opts.json) return printJson(r);
        printRequest(r);
      }),
    );
  for (const verb of ['approve', 'reject'] as const) {
    approvals
      .command(verb)
      .argument('<request>', 'change request id')
      .option('--note <text>', 'note kept with the decision')
      .option('--as <user>', 'approver (default: MBO_USER or your OS user)')
      .option('--json', 'machine-readable output')
      .action((id: string, opts: { note?: string; as?: string; json?: boolean }) =>
        withContext(opts, async (ctx) => {
          const state = await decideChangeRequest(ctx, { requestId: id, approver: currentUser(opts.as), approve: verb === 'approve', note: opts.note });
          if (opts.json) return printJson(state);
          console.log(`${verb === 'approve' ? 'Approved' : 'Rejected'} ${id}. Follow it with \`mbo approvals show ${id}\`.`);
        }),
      );
  }
}
