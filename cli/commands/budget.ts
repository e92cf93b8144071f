import type { Command } from 'commander';
import { getChangeRequest } from '../../services/decide-change-request.js';
import { requestBudgetChange } from '../../services/request-budget-change.js';
import { currentUser } from '../identity.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';
import { printRequest } from './approvals.js';

export function registerBudget(program: Command) {
  const budget = program.command('budget').description('request budget changes (applied after approval, through guardrails)');
  const common = (c: Command) =>
    c
      .option('--reason <text>', 'why (kept in the audit trail)', 'requested from the CLI')
      .option('--as <user>', 'requester (default: MBO_USER or your OS user)')
      .option('--emergency', 'mark as an emergency (the policy may auto-approve emergency pauses)')
      .option('--wait', 'wait until the request settles or needs a human')
      .option('--json', 'machine-readable output')
      .option('--workspace <slug>', 'workspace');
  type Opts = { reason: string; as?: string; emergency?: boolean; wait?: boolean; json?: boolean; workspace?: string };
  const run = (items: Parameters<typeof requestBudgetChange>[1]['items'], opts: Opts) =>
    withContext(opts, async (ctx) => {
      const r = await requestBudgetChange(ctx, {
        workspace: opts.workspace,
        requestedBy: currentUser(opts.as),
        source: 'cli',
        reason: opts.reason,
        emergency: opts.emergency,
        items,
      });
      if (opts.wait) {
        const settled = ['BLOCKED', 'PENDING_APPROVAL', 'REJECTED', 'EXPIRED', 'APPLIED', 'NEEDS_REAPPROVAL', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'FAILED'];
        for (let i = 0; i < 600; i++) {
          const s = await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: r.requestId } });
          if (settled.includes(s.status)) break;
          await new Promise((res) => setTimeout(res, 250));
        }
      }
      const detail = await getChangeRequest(ctx, r.requestId);
      if (opts.json) return printJson({ ...r, status: detail.status, guardrails: detail.guardrails });
      printRequest(detail);
      console.log(`Temporal UI: ${r.url}`);
    });
  common(
    budget
      .command('set')
      .description("set a campaign's daily budget")
      .argument('<campaign>', 'campaign id or platform id')
      .argument('<amount>', 'new daily budget, e.g. 250 or 250.50'),
  ).action((campaign: string, amount: string, opts: Opts) => run([{ campaign, kind: 'budget', toBudget: amount }], opts));
  common(budget.command('pause').description('pause a campaign').argument('<campaign>')).action((campaign: string, opts: Opts) =>
    run([{ campaign, kind: 'pause' }], opts),
  );
  common(budget.command('resume').description('resume a paused campaign').argument('<campaign>')).action((campaign: string, opts: Opts) =>
    run([{ campaign, kind: 'resume' }], opts),
  );
}
