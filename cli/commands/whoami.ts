// `mbo whoami`: who the CLI acts as — the member its API key belongs to, with the role the workspace gives them
// now (asked of the API: a revoked or expired key is exit 5 here too).
import type { Command } from 'commander';
import { examples } from '../help.js';
import { printJson, say } from '../output.js';
import { withApi } from '../run.js';

export function registerWhoami(program: Command) {
  examples(
    program
      .command('whoami')
      .description('the member this CLI acts as (from its API key), the workspace and the role')
      .option('--json', 'machine-readable output')
      .action((opts: { json?: boolean }) =>
        withApi(opts, async ({ api, key, config }) => {
          const me = await api.me();
          const out = { userId: me.userId, workspace: me.workspace, role: me.role, roles: me.roles, key: key.prefix, keyFrom: key.from, api: config.api.url };
          if (opts.json) return printJson(out);
          say(`${me.userId} — ${me.role} in "${me.workspace}"`);
          say(`  key ${key.prefix}… from ${key.from}`);
          say(`  API ${config.api.url}`);
          say(`  roles: ${me.roles.join(', ')}`);
        }),
      ),
    ['mbo whoami', 'mbo whoami --json', 'MBO_API_KEY=$(cat paul.key) mbo whoami'],
  );
}
