// Examples under every command's --help: a new user learns a command from what it looks like when used.
import type { Command } from 'commander';

export function examples<C extends Command>(cmd: C, lines: string[]): C {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
