// `mbo rules`: automation rules — list (anyone), add / update / enable / disable / delete (analysts and above,
// audited), and test (a dry run: what would fire now and why, changing nothing).
import type { Command } from 'commander';
import { addRuleSchema, ruleRefSchema, testRulesSchema, updateRuleSchema } from '../../services/rules/rules.schema.js';
import type { RuleView } from '../../services/rules/rules.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import type { ApiClient } from '../api-client.js';
import { num, numList, validate, withApi } from '../run.js';

const NAMES = {
  rule: '<rule>',
  name: '--name',
  when: '--when',
  then: '--then',
  platforms: '--platform',
  accounts: '--account',
  namePattern: '--match',
  cooldownHours: '--cooldown',
  requiresApproval: '--approval/--no-approval',
  'schedule.weekdays': '--days',
  'schedule.hours': '--hours',
  changes: 'options',
};

interface FieldOpts {
  name?: string;
  when?: string;
  then?: string;
  platform?: string[];
  account?: string[];
  match?: string;
  cooldown?: string;
  days?: string;
  hours?: string;
  approval?: boolean;
  json?: boolean;
}

/** The rule fields given on the command line (absent ones left out, so an update touches only those). */
function fields(o: FieldOpts) {
  const schedule = o.days !== undefined || o.hours !== undefined ? { weekdays: numList(o.days), hours: numList(o.hours) } : undefined;
  const all = {
    name: o.name,
    when: o.when,
    then: o.then,
    platforms: o.platform,
    accounts: o.account,
    namePattern: o.match,
    cooldownHours: num(o.cooldown),
    requiresApproval: o.approval,
    schedule,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

const withFieldOptions = (c: Command) =>
  c
    .option('--platform <p...>', 'only these platforms (google_ads meta tiktok linkedin)')
    .option('--account <id...>', "only these accounts (MBO's id or the platform's)")
    .option('--match <pattern>', 'only campaigns whose name matches (glob: * and ?)')
    .option('--cooldown <hours>', 'hours before the rule may act on the same campaign again (default 24)')
    .option('--days <list>', 'only on these UTC weekdays, 0 = Sunday (e.g. 1,2,3,4,5)')
    .option('--hours <list>', 'only at these UTC hours (e.g. 6,18)')
    .option('--approval', 'a human approves every change it asks for (the default)')
    .option('--no-approval', 'let the guardrail policy auto-approve what it allows')
    .option('--json', 'machine-readable output');

/** "meta,tiktok; 2 account(s); name Brand*" — empty when the rule covers every campaign. */
const scopeOf = (r: RuleView) =>
  [
    r.scope.platforms?.join(','),
    r.scope.accounts?.length ? `${r.scope.accounts.length} account(s)` : '',
    r.scope.namePattern ? `name ${r.scope.namePattern}` : '',
  ]
    .filter(Boolean)
    .join('; ');

function printRule(r: RuleView) {
  say(`Rule "${r.name}" (${r.id.slice(0, 8)}) — ${r.enabled ? 'enabled' : 'disabled'}`);
  say(`  when ${r.when}`);
  say(`  then ${r.then}${r.requiresApproval ? ' (a human approves)' : ' (the policy may auto-approve)'}, cooldown ${r.cooldownHours} h`);
  const scope = scopeOf(r);
  if (scope) say(`  scope: ${scope}`);
  if (r.schedule) say(`  schedule: ${JSON.stringify(r.schedule)}`);
  say(
    `  by ${r.createdBy} ${when(r.createdAt)}${r.updatedBy ? `, changed by ${r.updatedBy} ${when(r.updatedAt)}` : ''}; last fired ${when(r.lastFiredAt) ?? 'never'}`,
  );
}

export function registerRules(program: Command) {
  const rules = program.command('rules').description('automation rules: run after every sync; actions become change requests or alerts');
  rules
    .command('list', { isDefault: true })
    .description('the rules of the workspace')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const list = await api.rules();
        if (opts.json) return printJson(list);
        if (!list.length) return say('No rules yet. Add one: mbo rules add --name "High CPA" --when "cpa(7d) > 50 and spend(7d) > 200" --then pause');
        printTable(
          ['Rule', 'Id', 'When', 'Then', 'Scope', 'Cooldown', 'Approval', 'Enabled', 'Last fired'],
          list.map((r) => [
            r.name,
            r.id.slice(0, 8),
            r.when,
            r.then,
            scopeOf(r) || 'all campaigns',
            `${r.cooldownHours} h`,
            r.requiresApproval ? 'human' : 'policy',
            r.enabled ? 'yes' : 'no',
            when(r.lastFiredAt) ?? 'never',
          ]),
        );
      }),
    );

  /** A command on one rule (by name or id). */
  const onRule = (name: string, description: string, act: (api: ApiClient, input: { rule: string }, json: boolean) => Promise<void>) =>
    rules
      .command(name)
      .description(description)
      .argument('<rule>', 'rule name or id')
      .option('--json', 'machine-readable output')
      .action((rule: string, opts: { json?: boolean }) => {
        const input = validate(ruleRefSchema, { rule }, NAMES, opts.json);
        return withApi(opts, ({ api }) => act(api, input, !!opts.json));
      });

  onRule('show', 'one rule', async (api, input, json) => {
    const r = await api.rule(input.rule);
    return json ? printJson(r) : printRule(r);
  });

  withFieldOptions(
    rules
      .command('add')
      .description('add a rule (checked in full before it is saved)')
      .requiredOption('--name <name>', 'rule name (unique in the workspace)')
      .requiredOption(
        '--when <condition>',
        'e.g. "cpa(7d) > 50 and spend(7d) > 200" (metrics: spend revenue conversions clicks impressions cpa roas cpc ctr cvr)',
      )
      .requiredOption('--then <action>', 'pause | resume | alert | "budget -20%" | "budget to 150"'),
  ).action((opts: FieldOpts) => {
    const input = validate(addRuleSchema, fields(opts), NAMES, opts.json);
    return withApi(opts, async ({ api }) => {
      const r = await api.addRule(input);
      if (opts.json) return printJson(r);
      say(`Added rule "${r.name}". Try it without acting: mbo rules test --rule "${r.name}"`);
    });
  });

  withFieldOptions(
    rules
      .command('update')
      .description('change fields of a rule (the rest stays)')
      .argument('<rule>', 'rule name or id')
      .option('--name <name>', 'new name')
      .option('--when <condition>', 'new condition')
      .option('--then <action>', 'new action'),
  ).action((rule: string, opts: FieldOpts) => {
    const input = validate(updateRuleSchema, { rule, changes: fields(opts) }, NAMES, opts.json);
    return withApi(opts, async ({ api }) => {
      const r = await api.updateRule(input.rule, input.changes);
      return opts.json ? printJson(r) : printRule(r);
    });
  });

  for (const verb of ['enable', 'disable'] as const)
    onRule(verb, `${verb} a rule`, async (api, input, json) => {
      const r = await api.updateRule(input.rule, { enabled: verb === 'enable' });
      return json ? printJson(r) : say(`Rule "${r.name}" is ${r.enabled ? 'enabled' : 'disabled'}.`);
    });

  onRule('delete', 'delete a rule (kept for the record, disabled; its name is free again)', async (api, input, json) => {
    await api.deleteRule(input.rule);
    return json ? printJson({ deleted: input.rule }) : say(`Deleted rule "${input.rule}".`);
  });

  rules
    .command('test')
    .description('dry run: what would fire now, and why (changes nothing)')
    .option('--rule <name>', 'only this rule')
    .option('--json', 'machine-readable output')
    .action((opts: { rule?: string; json?: boolean }) => {
      const input = validate(testRulesSchema, { rule: opts.rule }, { rule: '--rule' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const plan = await api.testRules(input);
        if (opts.json) return printJson(plan);
        for (const e of plan.ruleErrors) say(`! rule "${e.rule}" cannot run: ${e.error}`);
        if (!plan.asOf) return say('No metrics yet: sync first (`mbo sync --wait`).');
        if (!plan.firings.length) return say(`Nothing would fire (as of ${plan.asOf}).`);
        const act = (f: (typeof plan.firings)[number]) =>
          f.newBudget ? `budget → ${f.newBudget}` : f.newBid ? `${f.newBid.kind} ${f.fromBid?.value ?? '?'} → ${f.newBid.value}` : f.action.type;
        printTable(
          ['Rule', 'Campaign', 'Would', 'Because', 'Skipped'],
          plan.firings.map((f) => [f.rule, f.campaignName, act(f), f.explanation, f.skipped ? `${f.skipped}${f.note ? `: ${f.note}` : ''}` : '']),
        );
      });
    });
}
