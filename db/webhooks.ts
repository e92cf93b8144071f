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

export interface Delivery {
  delivered: number;
  /** The worst answer (599: unreachable) and what it said; no error when every target took it. */
  status: number;
  error?: string;
  /** Whether a retry could help (5xx, 429, unreachable), as opposed to a refusal by the receiver. */
  retryable: boolean;
}

/**
 * POSTs one JSON body to every target, signed with the target's secret when it has one (X-MBO-Timestamp,
 * X-MBO-Signature v1=HMAC over "<ts>.<body>"), with an Idempotency-Key so a receiver can drop a retried repeat.
 */
export async function deliverSigned(targets: { url: string; secret?: string | null }[], body: string, idempotencyKey: string): Promise<Delivery> {
  const out: Delivery = { delivered: 0, status: 0, retryable: true };
  for (const t of targets) {
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...(t.secret ? { [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: sign(t.secret, ts, body) } : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) out.delivered++;
      else {
        out.status = Math.max(out.status, res.status);
        out.error = `webhook answered ${res.status}`;
      }
    } catch (e) {
      out.status = 599;
      out.error = `webhook unreachable: ${(e as Error).message}`;
    }
  }
  out.retryable = !(out.status >= 400 && out.status < 500 && out.status !== 429);
  return out;
}
