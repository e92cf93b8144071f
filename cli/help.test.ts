// Every `mbo` command shows examples under --help (from where it is defined, or from cli/help.ts EXAMPLES).
// `accounts` and `ai` belong to other helpers this session and bring their own help.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../lib/config.js';

describe('mbo --help', { timeout: 60_000 }, () => {
  it('has examples for every command', () => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, MBO_LIST_COMMANDS_WITHOUT_EXAMPLES: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const missing = (JSON.parse(r.stdout) as string[]).filter((c) => !/^(accounts|ai)\b/.test(c));
    expect(missing).toEqual([]);
  });
});
