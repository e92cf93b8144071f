// `mbo members`: who belongs to the workspace and with which role (anyone may list; admins add, change and
// remove — never the last admin; every change audited). Removing a member revokes their keys.
import type { Command } from 'commander';
import { removeMemberSchema, setMemberSchema } from '../../services/members/members.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import { validate, withApi } from '../run.js';

const NAMES = { userId: '<user>', role: '<role>', displayName: '--name', email: '--email' };

export function registerMembers(program: Command) {
  const members = program.command('members').description('members of the workspace and their roles (viewer < analyst < approver < admin)');
  members
    .command('list', { isDefault: true })
    .description('members and roles')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const list = await api.members();
        if (opts.json) return printJson(list);
        printTable(
          ['Member', 'Name', 'Role', 'Web login', 'Since'],
          list.map((m) => [m.userId, m.displayName, m.role, m.canLogIn ? 'yes' : 'no', when(m.since)]),
        );
      }),
    );
  members
    .command('set')
    .description('add a member or change their role (admins)')
    .argument('<user>', 'user handle, e.g. maria.marketer')
    .argument('<role>', 'viewer | analyst | approver | admin')
    .option('--name <name>', 'display name')
    .option('--email <email>', 'email address')
    .option('--json', 'machine-readable output')
    .action((userId: string, role: string, opts: { name?: string; email?: string; json?: boolean }) => {
      const input = validate(setMemberSchema, { userId, role, displayName: opts.name, email: opts.email }, NAMES, opts.json);
      return withApi(opts, async ({ api }) => {
        const { userId: _u, ...rest } = input;
        const m = await api.setMember(input.userId, rest);
        const workspace = (await api.me()).workspace;
        if (opts.json) return printJson(m);
        say(
          `${m.userId} is ${m.role} in "${workspace}". Give them a key: mbo keys create --name "CLI of ${m.userId}" --user ${m.userId} --out ${m.userId}.key`,
        );
      });
    });
  members
    .command('remove')
    .description('remove a member (admins); their API keys in this workspace are revoked')
    .argument('<user>', 'user handle')
    .option('--json', 'machine-readable output')
    .action((userId: string, opts: { json?: boolean }) => {
      const input = validate(removeMemberSchema, { userId }, NAMES, opts.json);
      return withApi(opts, async ({ api }) => {
        await api.removeMember(input.userId);
        return opts.json ? printJson({ removed: input.userId }) : say(`Removed ${input.userId}; their keys in this workspace are revoked.`);
      });
    });
}
