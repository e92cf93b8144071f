// `mbo guardrails`: the limits every budget change must pass — the effective policy of the workspace or an account
// (anyone), and setting fields of it (admins; audited; pending requests keep the policy they were evaluated with).
import type { Command } from 'commander';
import { setGuardrailsSchema, getGuardrailsSchema } from '../../services/guardrails/guardrails.schema.js';
import type { EffectivePolicy } from '../../services/guardrails/guardrails.js';
import { printJson, printTable, say } from '../output.js';
import { num, validate, withApi } from '../run.js';

type Effective = EffectivePolicy;

const NAMES = {
  account: '--account',
  changes: 'options',
  dailySpendCap: '--daily-cap',
  maxChangePct: '--max-change-pct',
  minBudget: '--min-budget',
  learningPhaseDays: '--learning-days',
  maxChangesPerDay: '--max-changes',
  blackouts: '--blackout',
  'changes.blackouts.from': '--blackout',
  'changes.blackouts.to': '--blackout',
  autoApprove: '--auto-approve-pct',
  'changes.autoApprove.maxChangePct': '--auto-approve-pct',
  fourEyes: '--four-eyes',
  approvalTtlHours: '--ttl-hours',
  reminderBeforeHours: '--reminder-hours',
  onFailure: '--on-failure',
};

function print(p: Effective) {
  const scope = p.scope.account ? `account ${p.scope.account.platform} ${p.scope.account.externalId}` : `workspace "${p.scope.workspace}"`;
  say(`Guardrails of ${scope}:`);
  printTable(
    ['Setting', 'Value', 'From'],
    Object.entries(p.policy).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v), p.origin[k] ?? 'default']),
  );
  const phases = p.platformDefaults?.learningPhaseDays;
  if (phases && !p.policy.learningPhaseDays)
    say(
      `Per-platform defaults (learningPhaseDays is 0, so each platform's own applies): ${Object.entries(phases)
        .map(([k, v]) => `${k} ${v} d`)
        .join(', ')}`,
    );
}

const onOff = (v: string | undefined) => (v === undefined ? undefined : /^(on|true|yes)$/i.test(v) ? true : /^(off|false|no)$/i.test(v) ? false : v);

interface SetOpts {
  account?: string;
  dailyCap?: string;
  maxChangePct?: string;
  minBudget?: string;
  learningDays?: string;
  maxChanges?: string;
  blackout?: string[];
  autoApprovePct?: string;
  fourEyes?: string;
  ttlHours?: string;
  reminderHours?: string;
  onFailure?: string;
  json?: boolean;
}

function changesOf(o: SetOpts): Record<string, unknown> {
  const c: Record<string, unknown> = {
    dailySpendCap: o.dailyCap,
    maxChangePct: num(o.maxChangePct),
    minBudget: o.minBudget,
    learningPhaseDays: num(o.learningDays),
    maxChangesPerDay: num(o.maxChanges),
    blackouts: o.blackout?.map((w) => {
      const [from, to] = w.split('-');
      return { from, to };
    }),
    autoApprove: o.autoApprovePct === undefined ? undefined : { maxChangePct: num(o.autoApprovePct), emergencyPause: true },
    fourEyes: onOff(o.fourEyes),
    approvalTtlHours: num(o.ttlHours),
    reminderBeforeHours: num(o.reminderHours),
    onFailure: o.onFailure,
  };
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

export function registerGuardrails(program: Command) {
  const g = program.command('guardrails').description('the limits every budget change must pass, per workspace or account');
  g.command('show', { isDefault: true })
    .description('the effective policy, and where each setting comes from (default, workspace, account)')
    .option('--account <id>', 'the effective policy of this account')
    .option('--json', 'machine-readable output')
    .action((opts: { account?: string; json?: boolean }) => {
      const input = validate(getGuardrailsSchema, { account: opts.account }, NAMES, opts.json);
      return withApi(opts, async ({ api }) => {
        const p = await api.guardrails(input);
        return opts.json ? printJson(p) : print(p);
      });
    });
  g.command('set')
    .description('change settings of the workspace policy (or of one account with --account); admins only')
    .option('--account <id>', 'set for this account only')
    .option('--daily-cap <amount>', 'account daily budgets may not total more than this')
    .option('--max-change-pct <share>', 'max change of a campaign per day, e.g. 0.3')
    .option('--min-budget <amount>', 'no daily budget below this')
    .option('--learning-days <n>', 'no change within N days of the previous one')
    .option('--max-changes <n>', 'max applied changes per account per day')
    .option('--blackout <HH:MM-HH:MM...>', 'no changes in these windows (account time)')
    .option('--auto-approve-pct <share>', 'auto-approve budget moves up to this share (0 = never); emergency pauses too')
    .option('--four-eyes <on|off>', 'the requester may not approve their own request')
    .option('--ttl-hours <h>', 'pending requests expire after this many hours')
    .option('--reminder-hours <h>', 'remind approvers this many hours before a request expires')
    .option('--on-failure <rollback|stop>', 'roll back applied items or stop at a partial state')
    .option('--json', 'machine-readable output')
    .action((o: SetOpts) => {
      const input = validate(setGuardrailsSchema, { account: o.account, changes: changesOf(o) }, NAMES, o.json);
      return withApi(o, async ({ api }) => {
        const p = await api.setGuardrails(input);
        if (o.json) return printJson(p);
        say('Guardrails updated (requests already pending keep the policy they were evaluated with).');
        print(p);
      });
    });
}
