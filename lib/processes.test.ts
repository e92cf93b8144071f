import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunning, portProblem, readPid, startDetached, stopNamed } from './processes.js';

// A home whose path a shell would split or expand: children get it as an argument, never through a shell.
const home = mkdtempSync(path.join(tmpdir(), `mbo home 'q' $HOME `));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('processes', () => {
  it('portProblem: free, taken by a listener, or not an address of this machine', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(await portProblem('127.0.0.1', port)).toBe('taken');
    await new Promise((r) => server.close(r));
    expect(await portProblem('127.0.0.1', port)).toBeNull();
    expect(await portProblem('192.0.2.1', port)).toBe('unavailable'); // TEST-NET-1: never local
  });

  it('startDetached: pid file and private log under MBO_HOME, arguments passed as they are; stopNamed stops it', async () => {
    const pid = startDetached(home, 'echoer', process.execPath, ['-e', 'console.log(process.argv[1]); setInterval(() => {}, 1000)', path.join(home, 'a b')]);
    expect(readPid(home, 'echoer')).toBe(pid);
    const log = path.join(home, 'logs', 'echoer.log');
    for (let i = 0; i < 100 && !readFileSync(log, 'utf8'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(log, 'utf8').trim()).toBe(path.join(home, 'a b'));
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, 'run', 'echoer.pid')).mode & 0o777).toBe(0o600);
    expect(await stopNamed(home, 'echoer')).toBe(true);
    expect(isRunning(pid)).toBe(false);
    expect(readPid(home, 'echoer')).toBeUndefined();
    expect(await stopNamed(home, 'echoer')).toBe(false);
  });
});
