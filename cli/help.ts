// Examples under every command's --help: a new user learns a command from what it looks like when used. Commands
// either call `examples()` where they are defined, or get theirs from EXAMPLES (by command path) when main.ts
// calls `applyExamples()`; cli/help.test.ts checks that no command is left without.
import type { Command } from 'commander';

const given = new WeakSet<Command>();

export function examples<C extends Command>(cmd: C, lines: string[]): C {
  given.add(cmd);
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

export const EXAMPLES: Record<string, string[]> = {
  up: ['npm run up', 'npx mbo up --no-sync'],
  down: ['npx mbo down'],
  sandbox: ['mbo sandbox advance --days 7'],
  'sandbox advance': ['mbo sandbox advance --days 7', 'mbo sandbox advance --days 1 --account sbx-meta && mbo sync --wait'],
  optimize: [
    'mbo optimize                      # the whole workspace, one request per account',
    'mbo optimize --platform meta tiktok --objective profit --margin 0.35 --dry-run',
    'mbo optimize --account sbx-google_ads --budget 5000',
    'mbo optimize --dry-run --explain            # the plan, then why, in plain language',
    'mbo optimize --scenario plan.json --risk 0.8 --json   # offline',
  ],
  'optimize schedule': ['mbo optimize schedule sbx-google_ads --hour 6', 'mbo optimize schedule 1234567890 --hour 7 --objective profit --margin 0.35'],
  'optimize unschedule': ['mbo optimize unschedule sbx-google_ads'],
  'optimize runs': ['mbo optimize runs', 'mbo optimize runs --limit 5 --json'],
  'optimize show': ['mbo optimize show 1c2d', 'mbo optimize show 1c2d3e4f --json'],
  budget: ['mbo budget set sbx-google_ads-c01 250'],
  'budget set': ['mbo budget set sbx-google_ads-c01 250 --reason "brand week"', 'mbo budget set sbx-meta-c02 99.50 --wait --json'],
  'budget pause': ['mbo budget pause sbx-tiktok-c03 --reason "creative expired"', 'mbo budget pause sbx-tiktok-c03 --emergency --wait'],
  'budget resume': ['mbo budget resume sbx-tiktok-c03 --reason "new creative"'],
  approvals: ['mbo approvals', 'mbo approvals approve 3f2a 9b1c --note "ok"'],
  'approvals list': ['mbo approvals list', 'mbo approvals list --all --limit 20', 'mbo approvals list --status REJECTED BLOCKED --json'],
  'approvals show': ['mbo approvals show 3f2a', 'mbo approvals show 3f2a9c1e --json'],
  'approvals approve': ['mbo approvals approve 3f2a', 'mbo approvals approve 3f2a 9b1c --note "fine" --wait'],
  'approvals reject': ['mbo approvals reject 3f2a --note "not during the sale"'],
  rules: ['mbo rules', 'mbo rules test'],
  'rules list': ['mbo rules list', 'mbo rules list --json'],
  'rules show': ['mbo rules show "High CPA"'],
  'rules add': [
    'mbo rules add --name "High CPA" --when "cpa(7d) > 50 and spend(7d) > 200" --then pause',
    'mbo rules add --name "Scale winners" --when "roas(7d) > 4" --then "budget +10%" --platform meta --cooldown 48',
  ],
  'rules update': ['mbo rules update "High CPA" --when "cpa(7d) > 60"', 'mbo rules update "High CPA" --no-approval'],
  'rules enable': ['mbo rules enable "High CPA"'],
  'rules disable': ['mbo rules disable "High CPA"'],
  'rules delete': ['mbo rules delete "High CPA"'],
  'rules test': ['mbo rules test', 'mbo rules test --rule "High CPA" --json'],
  guardrails: ['mbo guardrails', 'mbo guardrails set --max-change-pct 0.3'],
  'guardrails show': ['mbo guardrails show', 'mbo guardrails show --account sbx-meta --json'],
  'guardrails set': [
    'mbo guardrails set --max-change-pct 0.3 --daily-cap 5000',
    'mbo guardrails set --account sbx-meta --learning-days 3',
    'mbo guardrails set --blackout 22:00-06:00 --four-eyes on',
  ],
  alerts: ['mbo alerts --open', 'mbo alerts ack 7c1d'],
  'alerts list': ['mbo alerts list --open', 'mbo alerts list --severity critical --json'],
  'alerts ack': ['mbo alerts ack 7c1d', 'mbo alerts ack 7c1d 8e2f'],
  'alerts resolve': ['mbo alerts resolve 7c1d --note "tracking tag restored on the landing page"'],
  audit: [
    'mbo audit --since 24h',
    'mbo audit --actor paul.approver --action change_request. --since 7d',
    'mbo audit --entity rule --since 2026-06-01 --until 2026-06-02 --json',
  ],
  members: ['mbo members', 'mbo members set maria.marketer analyst'],
  'members list': ['mbo members list --json'],
  'members set': ['mbo members set maria.marketer analyst --name "Maria" --email maria@example.com', 'mbo members set paul.approver approver'],
  'members remove': ['mbo members remove old.colleague'],
  keys: ['mbo keys', 'mbo keys create --name CI --out ci.key'],
  'keys list': ['mbo keys list --json'],
  'keys create': ['mbo keys create --name "Claude Desktop"', 'mbo keys create --name laptop --user maria.marketer --expires-days 90 --out maria.key'],
  'keys revoke': ['mbo keys revoke mbo_1a2b3c4d'],
  webhooks: ['mbo webhooks', 'mbo webhooks add https://hooks.slack.com/services/T000/B000/XXX --event alert'],
  'webhooks list': ['mbo webhooks list --json'],
  'webhooks add': ['mbo webhooks add https://hooks.slack.com/services/T000/B000/XXX --event alert approval.requested'],
  'webhooks remove': ['mbo webhooks remove 5d2e'],
  'webhooks test': ['mbo webhooks test 5d2e', 'mbo webhooks test 5d2e --json'],
  'webhooks inbound-secret': ['mbo webhooks inbound-secret'],
  campaigns: ['mbo campaigns', 'mbo campaigns search brand', 'mbo campaigns show sbx-google_ads-c01'],
};

const pathOf = (c: Command): string => (c.parent && c.parent.parent ? `${pathOf(c.parent)} ${c.name()}` : c.name());

/** Adds the examples of EXAMPLES to every command that has none yet; returns the paths still without. */
export function applyExamples(program: Command): string[] {
  const missing: string[] = [];
  const walk = (c: Command) => {
    for (const sub of c.commands) {
      const p = pathOf(sub);
      if (!given.has(sub)) {
        const lines = EXAMPLES[p];
        if (lines) examples(sub, lines);
        else missing.push(p);
      }
      walk(sub);
    }
  };
  walk(program);
  return missing;
}
