// Secrets at rest (platform credentials, webhook signing keys): AES-256-GCM with a key from the environment
// (MBO_SECRET_KEY) or, on the local stack, a key file `mbo up` creates in MBO_HOME (0600). Sealed text names the
// key it was sealed with, so keys can be rotated: open with any known key, seal again with the current one.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import type { Config } from './config.js';

export interface Keyring {
  current: Buffer;
  all: Map<string, Buffer>;
}

const keyId = (k: Buffer) => createHash('sha256').update(k).digest('hex').slice(0, 8);

function decodeKey(text: string): Buffer {
  const k = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (k.length !== 32) throw new AppError('CONFIG_INVALID', 'a secret key must be 32 bytes (base64 or hex)');
  return k;
}

export function keyringFrom(current: string, previous: string[] = []): Keyring {
  const cur = decodeKey(current);
  const all = new Map<string, Buffer>([[keyId(cur), cur]]);
  for (const p of previous) {
    const k = decodeKey(p);
    all.set(keyId(k), k);
  }
  return { current: cur, all };
}

/** The key file of the local stack: created once (0600, in a 0700 folder) when no MBO_SECRET_KEY is set. */
export function localKeyFile(home: string): string {
  return path.join(home, 'secret.key');
}

export function loadKeyring(config: Pick<Config, 'secretKey' | 'previousSecretKeys' | 'home'>, opts: { create?: boolean } = {}): Keyring {
  if (config.secretKey) return keyringFrom(config.secretKey, config.previousSecretKeys);
  const file = localKeyFile(config.home);
  if (!existsSync(file)) {
    if (!opts.create) throw new AppError('CONFIG_INVALID', 'no secret key: set MBO_SECRET_KEY (32 bytes, base64) or run `mbo up` to create a local one');
    mkdirSync(config.home, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return keyringFrom(readFileSync(file, 'utf8').trim(), config.previousSecretKeys);
}

export function seal(keyring: Keyring, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', keyId(keyring.current), iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

export function open(keyring: Keyring, sealed: string): string {
  const [v, id, iv, tag, body] = sealed.split(':');
  if (v !== 'v1' || !id || !iv || !tag || body === undefined) throw new AppError('INTERNAL', 'a stored secret is not in a known format');
  const key = keyring.all.get(id);
  if (!key) throw new AppError('CONFIG_INVALID', `a stored secret was sealed with key ${id}, which is not configured (MBO_SECRET_KEYS_PREVIOUS)`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('INTERNAL', `a stored secret failed its integrity check (key ${id})`);
  }
}

/** True when the sealed text uses an older key (rotate it by opening and sealing again). */
export function needsRotation(keyring: Keyring, sealed: string): boolean {
  return sealed.split(':')[1] !== keyId(keyring.current);
}

let processKeyring: Keyring | undefined;

/** The process's keyring, handed over once at start (worker, API, CLI, tests): what opens stored secrets. */
export function useKeyring(k: Keyring): void {
  processKeyring = k;
}

export function activeKeyring(): Keyring | undefined {
  return processKeyring;
}
