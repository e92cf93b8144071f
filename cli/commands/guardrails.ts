import type { Command } from 'commander';
import { getGuardrails, setGuardrails } from '../../services/guardrails.js';
import { currentUser } from '../identity.js';
import { printJson } from '../output.js';
import { withContext } from '../run.js';

export function registerGuardrails(program: Command) {
  const g = program.command('guardrails').description('the limits every budget change must pass, per workspace or account');
  g.command('show', { isDefault: true })
    .option('--account <id>', 'the effective policy of this account')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action((opts: { account?: string; json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const p = await getGuardrails(ctx, { workspace: opts.workspace, account: opts.account });
        if (opts.json) return printJson(p);
        for (const [k, v] of Object.entries(p)) console.log(`${k.padEnd(22)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      }),
    );
  g.command('set')
    .description('change fields of the workspace policy (or of one account with --account)')
    .option('--account <id>', 'set for this account only')
    .option('--daily-cap <amount>', 'account daily budgets may not total more than this')
    .option('--max-change-pct <share>', 'max change of a campaign per day, e.g. 0.3', Number)
    .option('--min-budget <amount>', 'no daily budget below this')
    .option('--learning-days <n>', 'no change within N days of the previous one', Number)
    .option('--max-changes <n>', 'max applied changes per account per day', Number)
    .option('--blackout <HH:MM-HH:MM...>', 'no changes in these windows (account time)')
    .option('--auto-approve-pct <share>', 'auto-approve budget moves up to this share (0 = never)', Number)
    .option('--four-eyes <on|off>', 'the requester may not approve their own request')
    .option('--ttl-hours <h>', 'pending requests expire after this many hours', Number)
    .option('--on-failure <rollback|stop>', 'roll back applied items or stop at a partial state')
    .option('--as <user>', 'who changes it (audit)')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace')
    .action((o: Record<string, string | number | string[] | boolean | undefined> & { json?: boolean; account?: string; workspace?: string; as?: string }) =>
      withContext(o, async (ctx) => {
        const changes: Record<string, unknown> = {};
        if (o.dailyCap !== undefined) changes.dailySpendCap = o.dailyCap;
        if (o.maxChangePct !== undefined) changes.maxChangePct = o.maxChangePct;
        if (o.minBudget !== undefined) changes.minBudget = o.minBudget;
        if (o.learningDays !== undefined) changes.learningPhaseDays = o.learningDays;
        if (o.maxChanges !== undefined) changes.maxChangesPerDay = o.maxChanges;
        if (o.blackout !== undefined) changes.blackouts = (o.blackout as string[]).map((w) => ({ from: w.split('-')[0], to: w.split('-')[1] }));
        if (o.autoApprovePct !== undefined) changes.autoApprove = { maxChangePct: o.autoApprovePct, emergencyPause: true };
        if (o.fourEyes !== undefined) changes.fourEyes = o.fourEyes === 'on' ? true : o.fourEyes === 'off' ? false : o.fourEyes;
        if (o.ttlHours !== undefined) changes.approvalTtlHours = o.ttlHours;
        if (o.onFailure !== undefined) changes.onFailure = o.onFailure;
        const p = await setGuardrails(ctx, { workspace: o.workspace, account: o.account, changes, actor: currentUser(o.as) });
        if (o.json) return printJson(p);
        console.log('Guardrails updated. Effective policy:');
        for (const [k, v] of Object.entries(p)) console.log(`  ${k.padEnd(22)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      }),
    );
}
