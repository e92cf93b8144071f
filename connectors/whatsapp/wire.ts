// The WhatsApp Business Cloud API's wire format as MBO uses it (Graph API, POST /{version}/{phone-number-id}/messages):
// an interactive "reply buttons" message, a plain text message, the answer { messaging_product, contacts, messages:
// [{ id: "wamid…" }] }, the error envelope { error: { message, type, code, error_subcode, error_data, fbtrace_id } },
// and the inbound webhook { object: "whatsapp_business_account", entry: [{ changes: [{ field: "messages", value }] }] }.
// Limits from the reference: body ≤ 1024 characters, ≤ 3 buttons, button title ≤ 20, button id ≤ 256.

export const GRAPH_API_VERSION = 'v24.0';
export const GRAPH_API_BASE = 'https://graph.facebook.com';

export const LIMITS = { body: 1024, buttons: 3, buttonTitle: 20, buttonId: 256, footer: 60, headerText: 60 } as const;

export interface ReplyButton {
  id: string;
  title: string;
}

export interface InteractiveButtonsMessage {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'interactive';
  interactive: {
    type: 'button';
    header?: { type: 'text'; text: string };
    body: { text: string };
    footer?: { text: string };
    action: { buttons: { type: 'reply'; reply: ReplyButton }[] };
  };
}

export interface TextMessage {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'text';
  text: { body: string; preview_url?: boolean };
  context?: { message_id: string };
}

/**
 * A message from a pre-approved template (the only kind WhatsApp delivers outside the 24-hour customer-service
 * window): the template's name and language, its body's {{n}} values, and a payload per quick-reply button.
 */
export interface TemplateMessage {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'template';
  template: {
    name: string;
    language: { code: string };
    components: (
      | { type: 'body'; parameters: { type: 'text'; text: string }[] }
      | { type: 'button'; sub_type: 'quick_reply'; index: string; parameters: { type: 'payload'; payload: string }[] }
    )[];
  };
}

export type OutboundMessage = InteractiveButtonsMessage | TextMessage | TemplateMessage;

export interface SendAnswer {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id: string }[];
  messages: { id: string; message_status?: string }[];
}

export interface GraphError {
  error: {
    message: string;
    type?: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product?: string; details?: string };
    fbtrace_id?: string;
  };
}

/** An inbound message as the webhook delivers it (only what MBO reads). */
export interface InboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from?: string; id?: string };
  interactive?: { type: string; button_reply?: { id: string; title: string } };
  button?: { payload: string; text: string };
  text?: { body: string };
}

export interface WebhookPayload {
  object: string;
  entry?: {
    id: string;
    changes?: {
      field: string;
      value?: {
        messaging_product?: string;
        metadata?: { display_phone_number?: string; phone_number_id?: string };
        contacts?: { profile?: { name?: string }; wa_id: string }[];
        messages?: InboundMessage[];
        statuses?: { id: string; status: string; timestamp: string; recipient_id: string }[];
      };
    }[];
  }[];
}

/** A phone number as WhatsApp writes it (wa_id: digits only, country code first). */
export const waId = (phone: string) => phone.replace(/[^0-9]/g, '');

/** Cuts text to a limit on a character boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

export function buttonsMessage(to: string, body: string, buttons: ReplyButton[], opts: { header?: string; footer?: string } = {}): InteractiveButtonsMessage {
  if (!buttons.length || buttons.length > LIMITS.buttons) throw new Error(`a reply-buttons message has 1 to ${LIMITS.buttons} buttons`);
  for (const b of buttons) if (b.id.length > LIMITS.buttonId) throw new Error(`button id longer than ${LIMITS.buttonId} characters`);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId(to),
    type: 'interactive',
    interactive: {
      type: 'button',
      ...(opts.header ? { header: { type: 'text' as const, text: clip(opts.header, LIMITS.headerText) } } : {}),
      body: { text: clip(body, LIMITS.body) },
      ...(opts.footer ? { footer: { text: clip(opts.footer, LIMITS.footer) } } : {}),
      action: { buttons: buttons.map((b) => ({ type: 'reply' as const, reply: { id: b.id, title: clip(b.title, LIMITS.buttonTitle) } })) },
    },
  };
}

/**
 * A template message: body values (a template parameter may not hold a newline or tab or more than four spaces in a
 * row, so each is made one line; at most 1024 characters together) and one payload per quick-reply button, in order.
 */
export function templateMessage(to: string, template: { name: string; language: string }, body: string[], quickReplies: string[] = []): TemplateMessage {
  const each = Math.max(16, Math.floor(LIMITS.body / Math.max(1, body.length)));
  const oneLine = (t: string) =>
    clip(
      t
        .replace(/[\r\n\t]+/g, ' · ')
        .replace(/ {4,}/g, '   ')
        .trim() || '-',
      each,
    );
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId(to),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        { type: 'body', parameters: body.map((t) => ({ type: 'text' as const, text: oneLine(t) })) },
        ...quickReplies.map((payload, i) => ({
          type: 'button' as const,
          sub_type: 'quick_reply' as const,
          index: String(i),
          parameters: [{ type: 'payload' as const, payload }],
        })),
      ],
    },
  };
}

/** The approval template MBO expects in WhatsApp Manager unless the connection names another (README, "Approvals from chat"). */
export const DEFAULT_APPROVAL_TEMPLATE = { name: 'mbo_approval_request', language: 'en' } as const;

export function textMessage(to: string, body: string, replyTo?: string): TextMessage {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: waId(to),
    type: 'text',
    text: { body: clip(body, 4096) },
    ...(replyTo ? { context: { message_id: replyTo } } : {}),
  };
}
