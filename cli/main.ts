// The `mbo` command line: a thin door over services/ (the same use cases the API and MCP servers call).
import { Command } from 'commander';
import { registerStack } from './commands/stack.js';
import { registerApprovals } from './commands/approvals.js';
import { registerBudget } from './commands/budget.js';
import { registerGuardrails } from './commands/guardrails.js';
import { registerOptimize } from './commands/optimize.js';
import { registerRules } from './commands/rules.js';
import { registerStatus } from './commands/status.js';
import { registerSync } from './commands/sync.js';

const program = new Command('mbo')
  .description('MBO — the Marketing Budget Optimizer')
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerStack(program);
registerStatus(program);
registerSync(program);
registerOptimize(program);
registerBudget(program);
registerApprovals(program);
registerRules(program);
registerGuardrails(program);

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

await program.parseAsync(process.argv);
