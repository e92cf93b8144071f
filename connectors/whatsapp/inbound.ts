// Reads the button replies out of a WhatsApp webhook delivery. Everything in it is untrusted text from the
// outside: only replies whose button id has MBO's own shape (`mbo:approve:<uuid>` / `mbo:reject:<uuid>`) are
// decisions; anything else (free text, statuses, other buttons) is reported as ignored.
import type { InboundMessage, WebhookPayload } from './wire.js';

export type Decision = 'approve' | 'reject';

export interface ButtonReply {
  messageId: string;
  from: string;
  timestamp: number;
  phoneNumberId?: string;
  /** The id of the message the button belongs to (our notice's wamid). */
  contextId?: string;
  decision: Decision;
  requestId: string;
}

export interface Ignored {
  messageId: string;
  from: string;
  why: string;
}

const ID = /^mbo:(approve|reject):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const decisionButtonId = (decision: Decision, requestId: string) => `mbo:${decision}:${requestId}`;

export function readButtonReplies(payload: WebhookPayload): { replies: ButtonReply[]; ignored: Ignored[] } {
  const replies: ButtonReply[] = [];
  const ignored: Ignored[] = [];
  if (payload?.object !== 'whatsapp_business_account') return { replies, ignored };
  for (const entry of payload.entry ?? [])
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages') continue;
      for (const m of change.value?.messages ?? []) {
        const id = buttonId(m);
        const match = id ? ID.exec(id) : null;
        if (!match) {
          ignored.push({ messageId: String(m.id), from: String(m.from), why: id ? 'not an MBO decision button' : `a ${m.type} message, not a button reply` });
          continue;
        }
        replies.push({
          messageId: String(m.id),
          from: String(m.from),
          timestamp: Number(m.timestamp),
          phoneNumberId: change.value?.metadata?.phone_number_id,
          contextId: m.context?.id,
          decision: match[1] as Decision,
          requestId: match[2]!,
        });
      }
    }
  return { replies, ignored };
}

function buttonId(m: InboundMessage): string | undefined {
  if (m.type === 'interactive' && m.interactive?.type === 'button_reply') return m.interactive.button_reply?.id;
  if (m.type === 'button') return m.button?.payload;
  return undefined;
}

/**
 * Who wrote, and when (seconds), for every inbound message of a delivery whatever its kind: each opens that
 * person's 24-hour customer-service window, in which free-form messages (reply buttons) may be sent to them.
 */
export function inboundSenders(payload: WebhookPayload): { from: string; timestamp: number }[] {
  const out: { from: string; timestamp: number }[] = [];
  if (payload?.object !== 'whatsapp_business_account') return out;
  for (const entry of payload.entry ?? [])
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages') continue;
      for (const m of change.value?.messages ?? []) {
        const timestamp = Number(m.timestamp);
        if (typeof m.from === 'string' && /^\d{6,15}$/.test(m.from) && Number.isFinite(timestamp)) out.push({ from: m.from, timestamp });
      }
    }
  return out;
}
