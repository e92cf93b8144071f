// The `mbo` command line: a client of the MBO HTTP API (cli/api-client.ts; MBO_API_URL, default the local API),
// checking input with the use cases' own schemas first. It acts as the member its API key belongs to
// (cli/credential.ts); there is no way to name someone else on the command line. Only `up`/`down` and the offline
// `optimize --scenario` run without the API.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAccounts } from './commands/accounts.js';
import { registerAlerts } from './commands/alerts.js';
import { registerApprovals } from './commands/approvals.js';
import { registerAi } from './commands/ai.js';
import { registerAudit } from './commands/audit.js';
import { registerBid } from './commands/bid.js';
import { registerBudget } from './commands/budget.js';
import { registerCampaigns } from './commands/campaigns.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerGuardrails } from './commands/guardrails.js';
import { registerKeys } from './commands/keys.js';
import { registerLogin } from './commands/login.js';
import { registerMembers } from './commands/members.js';
import { registerOptimize } from './commands/optimize.js';
import { registerPredict } from './commands/predict.js';
import { registerReport } from './commands/report.js';
import { registerRules } from './commands/rules.js';
import { registerStack } from './commands/stack.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';
import { registerWebhooks } from './commands/webhooks.js';
import { registerWhoami } from './commands/whoami.js';
import { applyExamples } from './help.js';
import { EXIT, printJson } from './output.js';
import { setGlobalOptions } from './run.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('mbo')
  .description('MBO — the Marketing Budget Optimizer (a client of the MBO API at MBO_API_URL)')
  .version(version, '-V, --version', 'the version of this CLI')
  .option(
    '--key-file <path>',
    'act with the API key in this file (default: MBO_API_KEY, else the key of `mbo login`, else MBO_HOME/keys/<you>.key written by `mbo up`)',
  )
  .showHelpAfterError('(run the command with --help for its options)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  // Before any subcommand exists, so every one inherits it: a usage error (unknown option such as --as, a missing
  // argument, a group without its subcommand) is exit 2 — in JSON too with --json. --help stays exit 0.
  .exitOverride((err: CommanderError) => {
    if (err.exitCode === 0) process.exit(0); // --help, --version
    if (process.argv.includes('--json')) printJson({ error: { code: 'INVALID_INPUT', message: err.message.replace(/^error: /, '') } });
    process.exit(EXIT.INVALID_INPUT);
  })
  .hook('preAction', (_program, action) => setGlobalOptions(action.optsWithGlobals()));

// `mbo … | head`: a closed pipe ends the output quietly, not with an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

registerStack(program);
registerLogin(program);
registerWhoami(program);
registerStatus(program);
registerCampaigns(program);
registerAccounts(program);
registerSync(program);
registerOptimize(program);
registerPredict(program);
registerReport(program);
registerBudget(program);
registerBid(program);
registerApprovals(program);
registerRules(program);
registerGuardrails(program);
registerAlerts(program);
registerAudit(program);
registerMembers(program);
registerKeys(program);
registerWebhooks(program);
registerAi(program);
registerDashboard(program);

const withoutExamples = applyExamples(program);
// For cli/help.test.ts: which commands still have no examples under --help.
if (process.env.MBO_LIST_COMMANDS_WITHOUT_EXAMPLES === '1') {
  printJson(withoutExamples);
  process.exit(0);
}

await program.parseAsync(process.argv);
