// Credential material: API keys (random, a visible prefix, the secret stored as SHA-256 — a high-entropy key
// needs no slow hash), session and CSRF tokens, and passwords (scrypt: memory-hard, in node:crypto).
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const b64url = (b: Buffer) => b.toString('base64url');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `mbo_<8-char prefix>_<43-char secret>`: the prefix is shown in lists and logs, the secret never. */
export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = `mbo_${randomBytes(6).toString('hex').slice(0, 8)}`;
  const secret = b64url(randomBytes(32));
  return { key: `${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function splitApiKey(key: string): { prefix: string; secret: string } | null {
  const m = /^(mbo_[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/.exec(key.trim());
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

export function newToken(): { token: string; hash: string } {
  const token = b64url(randomBytes(32));
  return { token, hash: sha256(token) };
}

// scrypt N=2^15, r=8, p=1 (≈32 MiB per hash): OWASP's minimum for scrypt.
const N = 32768;
const R = 8;
const P = 1;
const scryptAsync = (pw: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(pw.normalize('NFKC'), salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  // Without a stored hash, still spend the time of one (no timing oracle for unknown users).
  const [alg, , , , salt, key] = (stored ?? '').split('$');
  const want = alg === 'scrypt' && salt && key ? Buffer.from(key, 'base64') : randomBytes(32);
  const got = await scryptAsync(password, salt ? Buffer.from(salt, 'base64') : randomBytes(16));
  return alg === 'scrypt' && got.length === want.length && timingSafeEqual(got, want);
}
