// Workspace webhooks as the worker needs them: the enabled endpoints for an event with their signing secrets
// opened, and the one signature scheme MBO uses both ways (inbound decisions, outbound alerts):
// HMAC-SHA256 over "<unix seconds>.<raw body>", sent as `X-MBO-Timestamp` and `X-MBO-Signature: v1=<hex>`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { open, type Keyring } from '../lib/secrets.js';
import type { PrismaClient } from './prisma.js';

export const SIGNATURE_HEADER = 'x-mbo-signature';
export const TIMESTAMP_HEADER = 'x-mbo-timestamp';
export const REPLAY_WINDOW_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signatureMatches(secret: string, timestamp: number, body: string, signature: string): boolean {
  const want = Buffer.from(sign(secret, timestamp, body));
  const got = Buffer.from(signature.trim());
  return want.length === got.length && timingSafeEqual(want, got);
}

export async function webhooksFor(prisma: PrismaClient, keyring: Keyring, workspaceId: string, event: string) {
  const rows = await prisma.workspaceWebhook.findMany({ where: { workspaceId, enabled: true, events: { has: event } } });
  return rows.map((w) => ({ id: w.id, url: w.url, secret: open(keyring, w.secretSealed) }));
}
