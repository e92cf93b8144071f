// `mbo budget set|pause|resume`: ask for a change to a campaign, as the key's member (analysts and above). The
// request goes through guardrails and approval in its BudgetChangeWorkflow; --wait follows it until it applies,
// needs a human, or is stopped (BLOCKED, REJECTED, … exit 8).
import type { Command } from 'commander';
import { requestChangeSchema } from '../../services/change-requests/change-requests.schema.js';
import { exitForStatus, printRequest, waitUntilEvaluated, waitUntilSettled } from '../change-requests.js';
import { printJson, say } from '../output.js';
import { validate, withApi } from '../run.js';

type Opts = { reason: string; emergency?: boolean; wait?: boolean; json?: boolean };
type Item = { kind: 'budget'; campaign: string; toBudget: string } | { kind: 'pause' | 'resume'; campaign: string };

const NAMES = { reason: '--reason', emergency: '--emergency', 'items.campaign': '<campaign>', 'items.toBudget': '<amount>', items: '<campaign>' };

function run(item: Item, opts: Opts) {
  const input = validate(requestChangeSchema, { reason: opts.reason, emergency: opts.emergency, items: [item] }, NAMES, opts.json);
  return withApi(opts, async ({ api }) => {
    const created = await api.requestChange(input);
    // Always until the guardrails have spoken (a BLOCKED request is never exit 0); with --wait until it applies too.
    const r = opts.wait ? await waitUntilSettled(api, created.id) : await waitUntilEvaluated(api, created.id);
    if (opts.json) printJson(r);
    else {
      printRequest(r);
      if (r.status === 'PENDING_APPROVAL') say(`Waiting for an approver: \`mbo approvals approve ${r.id.slice(0, 8)}\``);
    }
    process.exitCode = exitForStatus(r.status);
  });
}

export function registerBudget(program: Command) {
  const budget = program.command('budget').description('request budget changes, pauses and resumes (applied after approval, through guardrails)');
  const common = (c: Command) =>
    c
      .option('--reason <text>', 'why (kept in the audit trail)', 'requested from the CLI')
      .option('--emergency', 'mark as an emergency (the policy may auto-approve emergency pauses)')
      .option('--wait', 'wait until the request is applied, needs a human, or is stopped (exit 8 when BLOCKED, REJECTED, …)')
      .option('--json', 'machine-readable output');
  common(
    budget
      .command('set')
      .description("set a campaign's daily budget")
      .argument('<campaign>', "MBO's campaign id or the platform's (e.g. sbx-google_ads-c01)")
      .argument('<amount>', 'new daily budget in the account currency, e.g. 250 or 250.50'),
  ).action((campaign: string, amount: string, opts: Opts) => run({ kind: 'budget', campaign, toBudget: amount }, opts));
  common(budget.command('pause').description('pause a campaign').argument('<campaign>', "MBO's campaign id or the platform's")).action(
    (campaign: string, opts: Opts) => run({ kind: 'pause', campaign }, opts),
  );
  common(budget.command('resume').description('resume a paused campaign').argument('<campaign>', "MBO's campaign id or the platform's")).action(
    (campaign: string, opts: Opts) => run({ kind: 'resume', campaign }, opts),
  );
}
