// The first run on a new machine builds the Temporal CLI: its messages must reach the terminal (they were swallowed),
// a "still building" line must show while Go works, and a failure must say why and where the whole output is.
// A stand-in temporal/install.sh under a scratch project root plays the script (the real Go build takes minutes).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { ensureTemporalCli } from './dev-server.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function projectWith(script: string) {
  const root = mkdtempSync(path.join(tmpdir(), 'mbo-install-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'temporal'));
  writeFileSync(path.join(root, 'temporal', 'install.sh'), script);
  const base = loadConfig({ MBO_HOME: path.join(root, 'home') });
  return { ...base, projectRoot: root, temporal: { ...base.temporal, binary: path.join(root, '.tools', 'bin', 'temporal') } };
}

describe('ensureTemporalCli', () => {
  it("passes the install script's messages on, counts Go's downloads and packages in a periodic line, keeps the whole output in a log", async () => {
    const config = projectWith(`
echo "mbo: building the Temporal CLI v1.5.1 with go1.24 into /x (first run only)" >&2
echo "go: downloading github.com/temporalio/cli v1.5.1" >&2
echo "go: downloading go.temporal.io/server v1.28.0" >&2
echo "runtime" >&2
echo "github.com/temporalio/cli/internal/temporalcli" >&2
sleep 1.5
echo "mbo: the Temporal CLI v1.5.1 is installed at /x/temporal" >&2
`);
    const notes: string[] = [];
    await ensureTemporalCli(config, (m) => notes.push(m), { tickMs: 500 });
    expect(notes[0]).toBe('building the Temporal CLI v1.5.1 with go1.24 into /x (first run only)');
    expect(notes).toContainEqual(expect.stringMatching(/^still building the Temporal CLI… \d+ s \(2 modules downloaded, 2 packages compiled\)$/));
    expect(notes.at(-1)).toBe('the Temporal CLI v1.5.1 is installed at /x/temporal');
    expect(notes.filter((n) => n.startsWith('go: ') || n === 'runtime')).toEqual([]);
    expect(readFileSync(path.join(config.home, 'logs', 'temporal-install.log'), 'utf8')).toMatch(/go: downloading go\.temporal\.io\/server/);
  });

  it('a failed build says why (the script and Go have the last word) and where the whole output is', async () => {
    const config = projectWith(`
echo "mbo: building the Temporal CLI v1.5.1 with go1.19 into /x" >&2
echo "go: downloading github.com/temporalio/cli v1.5.1" >&2
echo "go: github.com/temporalio/cli@v1.5.1 requires go >= 1.23 (running go 1.19)" >&2
exit 1
`);
    const notes: string[] = [];
    const err = (await ensureTemporalCli(config, (m) => notes.push(m)).catch((e: Error) => e)) as Error & { code: string };
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/could not be installed:[\s\S]*requires go >= 1\.23/);
    expect(err.message).toContain(path.join(config.home, 'logs', 'temporal-install.log'));
    expect(notes).toContain('go: github.com/temporalio/cli@v1.5.1 requires go >= 1.23 (running go 1.19)');
  });

  it('uses MBO_TEMPORAL_BIN as it is, and refuses one that does not exist', async () => {
    const config = projectWith('exit 1');
    const missing = { ...config, temporal: { ...config.temporal, binary: path.join(config.projectRoot, 'nowhere', 'temporal') } };
    await expect(ensureTemporalCli(missing)).rejects.toThrow(/does not exist/);
    const mine = path.join(config.projectRoot, 'my-temporal');
    writeFileSync(mine, '');
    await expect(ensureTemporalCli({ ...config, temporal: { ...config.temporal, binary: mine } })).resolves.toBe(mine);
  });
});
