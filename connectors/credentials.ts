// Where a live connector's secrets come from: the account's sealed credential row (platform_credential), opened
// with the process's keyring only when a call needs it, and sealed again after an OAuth refresh. The keyring is
// handed over once at process start (`useKeyring`: the worker, the API, tests); without it a live account fails
// with a clear AuthError instead of calling the platform with nothing.
import type pg from 'pg';
import { AuthError } from './errors.js';
import { activeKeyring, needsRotation, open, seal, useKeyring, type Keyring } from '../lib/secrets.js';
import type { ConnectorSecrets } from './types.js';

/** What is sealed for an account: its secrets and its connection options (base URL, conversion types, …). */
export interface StoredCredentials {
  secrets: ConnectorSecrets;
  options?: Record<string, unknown>;
}

export { useKeyring };

function ring(platform: string): Keyring {
  const keyring = activeKeyring();
  if (!keyring) throw new AuthError('this process has no secret key to open stored credentials (MBO_SECRET_KEY)', platform);
  return keyring;
}

export function sealCredentials(k: Keyring, c: StoredCredentials): string {
  return seal(k, JSON.stringify(c));
}

export async function loadCredentials(pool: pg.Pool, ref: string | null | undefined, platform: string): Promise<StoredCredentials> {
  if (!ref) throw new AuthError(`the ${platform} account has no credentials: connect it again (mbo accounts connect)`, platform);
  const { rows } = await pool.query<{ sealed: string }>('select sealed from platform_credential where id = $1', [ref]);
  if (!rows[0]) throw new AuthError(`the ${platform} account's credentials are gone: connect it again`, platform);
  const k = ring(platform);
  const creds = JSON.parse(open(k, rows[0].sealed)) as StoredCredentials;
  // Sealed with an older key (MBO_SECRET_KEYS_PREVIOUS): sealed again with the current one on this first use, unless
  // a refresh wrote the row meanwhile. Once every account has been used, the old key can go.
  if (needsRotation(k, rows[0].sealed))
    await pool.query('update platform_credential set sealed = $2, updated_at = now() where id = $1 and sealed = $3', [
      ref,
      sealCredentials(k, creds),
      rows[0].sealed,
    ]);
  return creds;
}

export async function saveRefreshedSecrets(pool: pg.Pool, ref: string, platform: string, c: StoredCredentials): Promise<void> {
  await pool.query('update platform_credential set sealed = $2, updated_at = now() where id = $1', [ref, sealCredentials(ring(platform), c)]);
}
