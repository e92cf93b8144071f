// `mbo whoami`: who the CLI acts as — the member its API key belongs to, with the role the workspace gives them now.
import type { Command } from 'commander';
import { printJson, say } from '../output.js';
import { withContext } from '../run.js';

export function registerWhoami(program: Command) {
  program
    .command('whoami')
    .description('the member this CLI acts as (from its API key), the workspace and the role')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withContext(opts, async ({ actor, key }) => {
        const out = {
          userId: actor.userId,
          workspace: actor.workspace,
          role: actor.role,
          roles: actor.roles,
          key: actor.credential ?? null,
          keyFrom: key.from,
        };
        if (opts.json) return printJson(out);
        say(`${actor.userId} — ${actor.role} in "${actor.workspace}"`);
        say(`  key ${actor.credential ?? '?'} from ${key.from}`);
        say(`  roles: ${actor.roles.join(', ')}`);
      }),
    );
}
