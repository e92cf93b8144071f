// `mbo keys`: API keys of the workspace (admins). A new key is printed once — or written to a file only its
// owner can read (--out), ready for `mbo --key-file FILE …` — and never shown again; revoking one is immediate.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { writePrivateFile } from '../../lib/private-files.js';
import { createApiKeySchema, revokeApiKeySchema } from '../../services/auth/api-keys.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import { num, validate, withApi } from '../run.js';

export function registerKeys(program: Command) {
  const keys = program.command('keys').description('API keys: what programs (and this CLI) act as');
  keys
    .command('list', { isDefault: true })
    .description('keys of the workspace (admins); never the secrets')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const list = await api.keys();
        if (opts.json) return printJson(list);
        printTable(
          ['Key', 'Name', 'Acts as', 'Created', 'By', 'Expires', 'Last used', 'Revoked'],
          list.map((k) => [
            k.prefix,
            k.name,
            k.userId,
            when(k.createdAt),
            k.createdBy,
            when(k.expiresAt) ?? 'never',
            when(k.lastUsedAt) ?? 'never',
            when(k.revokedAt) ?? '',
          ]),
        );
      }),
    );
  keys
    .command('create')
    .description('a new key (admins); shown once')
    .requiredOption('--name <name>', 'what the key is for, e.g. "CI" or "Claude Desktop"')
    .option('--user <user>', 'the member the key acts as (default: you)')
    .option('--expires-days <n>', 'the key stops working after this many days (default: never)')
    .option('--out <file>', 'write the key to this file (0600) instead of printing it')
    .option('--json', 'machine-readable output')
    .action((opts: { name: string; user?: string; expiresDays?: string; out?: string; json?: boolean }) => {
      const input = validate(
        createApiKeySchema,
        { name: opts.name, userId: opts.user, expiresInDays: num(opts.expiresDays) },
        { name: '--name', userId: '--user', expiresInDays: '--expires-days' },
        opts.json,
      );
      return withApi(opts, async ({ api }) => {
        const out = opts.out ? path.resolve(opts.out) : undefined;
        if (out && existsSync(out)) throw new AppError('CONFLICT', `${out} exists; choose another file (a key is never overwritten)`);
        const k = await api.createKey(input);
        if (out) writePrivateFile(out, k.key + '\n');
        const shown = out ? { ...k, key: undefined, file: out } : k;
        if (opts.json) return printJson(shown);
        say(`Key ${k.prefix} "${k.name}" acts as ${k.userId}${k.expiresAt ? ` until ${when(k.expiresAt)}` : ''}.`);
        if (out) say(`Written to ${out} (0600). Use it: mbo --key-file ${out} whoami`);
        else say(`\n  ${k.key}\n\nShown once: store it now (e.g. MBO_API_KEY, or a 0600 file for --key-file).`);
      });
    });
  keys
    .command('revoke')
    .description('revoke a key (admins); it stops working at once')
    .argument('<prefix>', 'the key prefix, e.g. mbo_1a2b3c4d')
    .option('--json', 'machine-readable output')
    .action((prefix: string, opts: { json?: boolean }) => {
      const input = validate(revokeApiKeySchema, { prefix }, { prefix: '<prefix>' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const k = await api.revokeKey(input.prefix);
        return opts.json ? printJson(k) : say(`Revoked ${k.prefix} ("${k.name}", ${k.userId}) at ${when(k.revokedAt)}.`);
      });
    });
}
