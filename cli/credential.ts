// Where the CLI's API key comes from — the CLI acts as the member its key belongs to, never as a name typed on
// the command line. In order: `--key-file PATH` (an explicit choice on this command), MBO_API_KEY, the key
// `mbo login` stored (MBO_HOME/login.key, 0600), then the key `mbo up` wrote for the local user,
// MBO_HOME/keys/<MBO_USER or OS user>.key (0600).
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import type { Config } from '../lib/config.js';

export interface FoundKey {
  key: string;
  /** Where it was found, for `mbo whoami` and error messages (never the key itself). */
  from: string;
}

/** The local user's key file, as `mbo up` writes it (stack/local-identity.ts keyFile). */
export function localKeyFile(config: Config): string {
  return path.join(config.home, 'keys', `${config.localUser ?? userInfo().username}.key`);
}

/** Where `mbo login` keeps the key it was given (0600); `mbo logout` deletes it. */
export function loginKeyFile(config: Config): string {
  return path.join(config.home, 'login.key');
}

const exists = (file: string) => {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
};

function readKeyFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new AppError('UNAUTHENTICATED', `cannot read key file ${file}: ${why}`);
  }
  // Like ssh with a private key: a key others can read is not a secret any more; say so, but still use it.
  if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32')
    process.stderr.write(`mbo: warning: key file ${file} is readable by others; run \`chmod 600 ${file}\`\n`);
  const key = text.trim();
  if (!key) throw new AppError('UNAUTHENTICATED', `key file ${file} is empty`);
  return key;
}

export function findApiKey(config: Config, keyFile?: string): FoundKey {
  if (keyFile) return { key: readKeyFile(path.resolve(keyFile)), from: `key file ${path.resolve(keyFile)}` };
  if (config.apiKey) return { key: config.apiKey, from: 'MBO_API_KEY' };
  const login = loginKeyFile(config);
  if (exists(login)) return { key: readKeyFile(login), from: `key file ${login} (mbo login)` };
  const file = localKeyFile(config);
  if (!exists(file)) throw new AppError('UNAUTHENTICATED', 'no API key: run `npm run up` or `mbo login`, or set MBO_API_KEY (or give --key-file PATH)');
  return { key: readKeyFile(file), from: `key file ${file}` };
}
