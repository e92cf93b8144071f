import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFrom, needsRotation, open, seal } from './secrets.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('hex');

describe('secrets at rest', () => {
  it('seals and opens, never the same ciphertext twice', () => {
    const ring = keyringFrom(k1);
    const a = seal(ring, 'refresh-token-123');
    expect(a).not.toContain('refresh-token');
    expect(seal(ring, 'refresh-token-123')).not.toBe(a);
    expect(open(ring, a)).toBe('refresh-token-123');
  });

  it('rotates: an old key still opens, and the secret is flagged for re-sealing', () => {
    const old = keyringFrom(k1);
    const sealed = seal(old, 's3cret');
    const ring = keyringFrom(k2, [k1]);
    expect(open(ring, sealed)).toBe('s3cret');
    expect(needsRotation(ring, sealed)).toBe(true);
    expect(needsRotation(ring, seal(ring, 's3cret'))).toBe(false);
    expect(() => open(keyringFrom(k2), sealed)).toThrow(/not configured/);
  });

  it('refuses a tampered secret', () => {
    const ring = keyringFrom(k1);
    const parts = seal(ring, 'value').split(':');
    parts[4] = Buffer.from('other').toString('base64');
    expect(() => open(ring, parts.join(':'))).toThrow(/integrity/);
  });
});
