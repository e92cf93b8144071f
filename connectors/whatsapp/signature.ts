// The signature Meta puts on every webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body,
// keyed with the app secret>`. Compared in constant time; the raw bytes matter (never a re-serialized JSON).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUB_SIGNATURE_HEADER = 'x-hub-signature-256';

export function hubSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function hubSignatureMatches(appSecret: string, rawBody: string | Buffer, header: string | undefined | null): boolean {
  if (!header) return false;
  const want = Buffer.from(hubSignature(appSecret, rawBody));
  const got = Buffer.from(header.trim());
  return want.length === got.length && timingSafeEqual(want, got);
}
