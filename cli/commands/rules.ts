import type { Command } from 'commander';
import { addRule, listRules, testRules } from '../../services/rules.js';
import { currentUser } from '../identity.js';
import { printJson, table } from '../output.js';
import { withContext } from '../run.js';

export function registerRules(program: Command) {
  const rules = program.command('rules').description('automation rules: run after every sync; actions become change requests or alerts');
  rules
    .command('list', { isDefault: true })
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action((opts: { json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const list = await listRules(ctx, opts.workspace);
        if (opts.json) return printJson(list);
        if (!list.length) return console.log('No rules yet. Add one: mbo rules add --name "High CPA" --when "cpa(7d) > 50 and spend(7d) > 200" --then pause');
        console.log(
          table(
            ['Rule', 'When', 'Then', 'Enabled', 'Last fired'],
            list.map((r) => [
              r.name,
              r.condition,
              r.action,
              r.enabled ? 'yes' : 'no',
              r.firings[0]?.firedAt.toISOString().slice(0, 16).replace('T', ' ') ?? 'never',
            ]),
          ),
        );
      }),
    );
  rules
    .command('add')
    .requiredOption('--name <name>', 'rule name (unique in the workspace)')
    .requiredOption(
      '--when <condition>',
      'e.g. "cpa(7d) > 50 and spend(7d) > 200" (metrics: spend revenue conversions clicks impressions cpa roas cpc ctr cvr)',
    )
    .requiredOption('--then <action>', 'pause | resume | alert | "budget -20%" | "budget to 150"')
    .option('--platform <p...>', 'only these platforms')
    .option('--account <id...>', 'only these account ids')
    .option('--match <pattern>', 'only campaigns whose name matches (glob: * and ?)')
    .option('--cooldown <hours>', 'hours before the rule may act on the same campaign again', (v) => Number(v), 24)
    .option('--days <list>', 'only on these UTC weekdays, 0 = Sunday (e.g. 1,2,3,4,5)')
    .option('--hours <list>', 'only at these UTC hours (e.g. 6,18)')
    .option('--no-approval', 'let the guardrail policy auto-approve what it allows (default: always ask a human)')
    .option('--as <user>', 'author')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action(
      (opts: {
        name: string;
        when: string;
        then: string;
        platform?: string[];
        account?: string[];
        match?: string;
        cooldown: number;
        approval: boolean;
        as?: string;
        json?: boolean;
        workspace?: string;
      }) =>
        withContext(opts, async (ctx) => {
          const r = await addRule(ctx, {
            workspace: opts.workspace,
            name: opts.name,
            when: opts.when,
            then: opts.then,
            platforms: opts.platform,
            accounts: opts.account,
            namePattern: opts.match,
            cooldownHours: opts.cooldown,
            requiresApproval: opts.approval,
            createdBy: currentUser(opts.as),
          });
          if (opts.json) return printJson(r);
          console.log(`Added rule "${r.name}". Try it without acting: mbo rules test --rule "${r.name}"`);
        }),
    );
  rules
    .command('test')
    .description('dry run: what would fire now, and why (changes nothing)')
    .option('--rule <name>', 'only this rule')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action((opts: { rule?: string; json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const out = await testRules(ctx, { workspace: opts.workspace, rule: opts.rule });
        if (opts.json) return printJson(out);
        if (!out.length) return console.log('Nothing would fire.');
        const act = (o: (typeof out)[number]) => (o.action.type === 'budget_pct' || o.action.type === 'budget_to' ? `budget → ${o.newBudget}` : o.action.type);
        console.log(
          table(
            ['Rule', 'Campaign', 'Would', 'Because', 'Note'],
            out.map((o) => [o.rule, o.campaignName, act(o), o.explanation, o.skipped ?? '']),
          ),
        );
      }),
    );
}
