// `mbo login` / `mbo logout`: keep an API key for this CLI in MBO_HOME/login.key (0600) — a key an admin made with
// `mbo keys create` — after checking with the API whom it acts as. `logout` forgets it (the key itself stays valid
// until an admin revokes it). MBO_API_KEY and --key-file still win over it (cli/credential.ts).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { loadConfig } from '../../lib/config.js';
import { writePrivateFile } from '../../lib/private-files.js';
import { ApiClient } from '../api-client.js';
import { loginKeyFile } from '../credential.js';
import { examples } from '../help.js';
import { fail, printJson, say } from '../output.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Asks for the key on the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write(s.startsWith(question) ? question : '');
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export function registerLogin(program: Command) {
  examples(
    program
      .command('login')
      .description('store an API key for this CLI (checked with the API first) in MBO_HOME/login.key, readable by you only')
      .option('--key-stdin', 'read the key from standard input (default when input is not a terminal)')
      .option('--json', 'machine-readable output')
      .action(async (opts: { keyStdin?: boolean; json?: boolean }) => {
        try {
          const config = loadConfig();
          const key = (opts.keyStdin || !process.stdin.isTTY ? await readStdin() : await prompt('API key (mbo_…): ')).trim();
          if (!/^mbo_[0-9a-f]{8}_\S+$/.test(key))
            throw new AppError('INVALID_INPUT', 'that is not an MBO API key (mbo_xxxxxxxx_…); an admin makes one with `mbo keys create`', {
              fields: [{ path: 'key', message: 'an MBO API key' }],
            });
          const me = await new ApiClient(config.api.url, key).me(); // a bad, expired or revoked key: exit 5, nothing stored
          const file = loginKeyFile(config);
          mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
          writePrivateFile(file, key + '\n');
          if (opts.json) return printJson({ ...me, key: key.slice(0, 12), file, api: config.api.url });
          say(`Logged in as ${me.userId} (${me.role}) in "${me.workspace}" at ${config.api.url}.`);
          say(`Key ${key.slice(0, 12)}… stored in ${file} (0600). \`mbo logout\` forgets it.`);
        } catch (e) {
          fail(e, !!opts.json);
        }
      }),
    ['mbo keys create --name "laptop" --out laptop.key   # as an admin', 'mbo login --key-stdin < laptop.key', 'mbo login   # asks for the key'],
  );
  examples(
    program
      .command('logout')
      .description('forget the key `mbo login` stored (it stays valid until an admin revokes it: `mbo keys revoke`)')
      .option('--json', 'machine-readable output')
      .action(async (opts: { json?: boolean }) => {
        try {
          const file = loginKeyFile(loadConfig());
          const had = existsSync(file);
          if (had) rmSync(file);
          if (opts.json) return printJson({ loggedOut: had, file });
          say(had ? `Logged out: ${file} removed.` : `Not logged in (no ${file}).`);
        } catch (e) {
          fail(e, !!opts.json);
        }
      }),
    ['mbo logout'],
  );
}
