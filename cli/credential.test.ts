// Where the CLI's key comes from: --key-file, then MBO_API_KEY, then `mbo login`'s key, then MBO_HOME/keys/<MBO_USER or OS user>.key; and
// what it says when there is none (exit 5 in the CLI: UNAUTHENTICATED).
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { findApiKey, localKeyFile, loginKeyFile } from './credential.js';

const KEY_A = `mbo_0000000a_${'a'.repeat(43)}`;
const KEY_B = `mbo_0000000b_${'b'.repeat(43)}`;
const KEY_C = `mbo_0000000c_${'c'.repeat(43)}`;

function home() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mbo-cred-'));
  mkdirSync(path.join(dir, 'keys'), { mode: 0o700 });
  writeFileSync(path.join(dir, 'keys', 'maria.marketer.key'), `${KEY_A}\n`, { mode: 0o600 });
  return dir;
}

describe('findApiKey', () => {
  it('uses the local user’s key file that `mbo up` wrote', () => {
    const config = loadConfig({ MBO_HOME: home(), MBO_USER: 'maria.marketer' });
    expect(findApiKey(config)).toEqual({ key: KEY_A, from: `key file ${localKeyFile(config)}` });
  });

  it('prefers MBO_API_KEY to the local file, and an explicit --key-file to both', () => {
    const dir = home();
    const config = loadConfig({ MBO_HOME: dir, MBO_USER: 'maria.marketer', MBO_API_KEY: KEY_B });
    expect(findApiKey(config)).toEqual({ key: KEY_B, from: 'MBO_API_KEY' });
    const other = path.join(dir, 'alex.key');
    writeFileSync(other, `  ${KEY_C}  \n`, { mode: 0o600 });
    expect(findApiKey(config, other)).toEqual({ key: KEY_C, from: `key file ${other}` });
  });

  it('uses the key `mbo login` stored before the one `mbo up` wrote; MBO_API_KEY still wins', () => {
    const dir = home();
    writeFileSync(path.join(dir, 'login.key'), `${KEY_C}\n`, { mode: 0o600 });
    const config = loadConfig({ MBO_HOME: dir, MBO_USER: 'maria.marketer' });
    expect(findApiKey(config)).toEqual({ key: KEY_C, from: `key file ${loginKeyFile(config)} (mbo login)` });
    expect(findApiKey(loadConfig({ MBO_HOME: dir, MBO_API_KEY: KEY_B }))).toEqual({ key: KEY_B, from: 'MBO_API_KEY' });
  });

  it('says how to get a key when there is none, and names a key file it cannot read', () => {
    const config = loadConfig({ MBO_HOME: home(), MBO_USER: 'nobody' });
    expect(() => findApiKey(config)).toThrow(/no API key: run `npm run up` or `mbo login`, or set MBO_API_KEY/);
    expect(() => findApiKey(config, '/nonexistent/x.key')).toThrow(/cannot read key file \/nonexistent\/x\.key: no such file/);
    const empty = path.join(config.home, 'empty.key');
    writeFileSync(empty, '\n', { mode: 0o600 });
    chmodSync(empty, 0o600);
    expect(() => findApiKey(config, empty)).toThrow(/is empty/);
  });
});
