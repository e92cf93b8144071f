// A loopback fake of the WhatsApp Business Cloud API for tests (node:http on 127.0.0.1, port 0), speaking the
// documented wire format so the real client runs unchanged against it:
// - POST /{version}/{phone-number-id}/messages with `Authorization: Bearer <token>` and a JSON message →
//   200 { messaging_product: "whatsapp", contacts: [{ input, wa_id }], messages: [{ id: "wamid.…" }] };
// - errors in the Graph envelope { error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }:
//   401/190 bad token, 400/100 unknown phone number id or invalid parameter (≤ 3 buttons, title ≤ 20, body ≤ 1024),
//   400/131030 recipient not in the allowed list (test numbers), 429/130429 throughput limit with Retry-After,
//   500/131000 "Something went wrong";
// - template messages (type "template") checked against the templates it knows (name:language → number of body
//   values and quick-reply buttons): 404-like 400/132001 unknown template or language, 400/132000 parameter count
//   mismatch, 400/132018 a parameter with a newline, tab or more than four spaces in a row;
// - with `enforceWindow`, WhatsApp's 24-hour customer-service window: a free-form message (text, interactive) to a
//   number that has not written within 24 hours (`customerWrote`) is refused with 400/131047 "Re-engagement
//   message"; templates always go out.
// It also builds the inbound webhook a button tap produces (`buttonReplyWebhook`), for tests to sign and post.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS, type InteractiveButtonsMessage, type OutboundMessage, type TemplateMessage, type WebhookPayload } from './wire.js';

export interface FakeSent {
  id: string;
  to: string;
  message: OutboundMessage;
  at: number;
}

export class FakeWhatsAppCloud {
  readonly sent: FakeSent[] = [];
  /** Recipients (digits) the number may send to; empty: anyone. */
  allowed = new Set<string>();
  /** Refused sends (code and the type that was refused), newest last. */
  readonly refused: { to: string; code: number; type: string }[] = [];
  /** Approved templates, `name:language` → body values and quick-reply buttons. */
  readonly templates = new Map<string, { body: number; quickReplies: number }>([['mbo_approval_request:en', { body: 5, quickReplies: 2 }]]);
  /** Refuse free-form messages outside the 24-hour customer-service window (code 131047). */
  enforceWindow = false;
  private readonly lastInbound = new Map<string, number>();
  private rateLimited = 0;
  private failing = 0;
  private server?: Server;
  url = '';

  constructor(
    readonly phoneNumberId = '106540352242922',
    readonly accessToken = `EAAG${randomBytes(12).toString('hex')}`,
    readonly version = 'v24.0',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }

  /** The customer (digits or +digits) wrote to the business at `at`: a 24-hour window for free-form messages opens. */
  customerWrote(from: string, at = Date.now()): void {
    this.lastInbound.set(from.replace(/^\+/, ''), at);
  }

  /** The window closes (as if the last message were more than 24 hours old). */
  windowClosed(from: string): void {
    this.lastInbound.delete(from.replace(/^\+/, ''));
  }

  /** Template messages sent to a number (digits): name, language, body values, quick-reply payloads. */
  templatesSentTo(to: string): { messageId: string; name: string; language: string; body: string[]; payloads: string[] }[] {
    return this.sent
      .filter((s) => s.to === to && s.message.type === 'template')
      .map((s) => {
        const t = (s.message as TemplateMessage).template;
        const body = t.components.find((c) => c.type === 'body');
        return {
          messageId: s.id,
          name: t.name,
          language: t.language.code,
          body: body?.type === 'body' ? body.parameters.map((p) => p.text) : [],
          payloads: t.components.flatMap((c) => (c.type === 'button' ? c.parameters.map((p) => p.payload) : [])),
        };
      });
  }

  rateLimitNext(n: number): void {
    this.rateLimited = n;
  }

  failNext(n: number): void {
    this.failing = n;
  }

  /** The reply buttons of messages sent to a number (digits). */
  buttonsSentTo(to: string): { messageId: string; body: string; buttons: { id: string; title: string }[] }[] {
    return this.sent
      .filter((s) => s.to === to && s.message.type === 'interactive')
      .map((s) => {
        const m = s.message as InteractiveButtonsMessage;
        return { messageId: s.id, body: m.interactive.body.text, buttons: m.interactive.action.buttons.map((b) => b.reply) };
      });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const error = (status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'www-authenticate': status === 401 ? 'OAuth "Facebook Platform" "invalid_token"' : '',
        ...headers,
      });
      res.end(JSON.stringify({ error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }));
    };
    const m = /^\/(v\d+\.\d+)\/(\d+)\/messages$/.exec(req.url?.split('?')[0] ?? '');
    if (req.method !== 'POST' || !m) return error(400, 100, `Unsupported ${req.method?.toLowerCase()} request.`, { error_subcode: 33 });
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) return error(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (m[2] !== this.phoneNumberId)
      return error(
        400,
        100,
        `Unsupported post request. Object with ID '${m[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        {
          error_subcode: 33,
        },
      );
    if (this.failing > 0) {
      this.failing--;
      return error(500, 131000, 'Something went wrong', { error_data: { messaging_product: 'whatsapp', details: 'Something went wrong' } });
    }
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return error(
        429,
        130429,
        'Rate limit hit',
        { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } },
        { 'retry-after': '1' },
      );
    }
    let msg: OutboundMessage;
    try {
      msg = JSON.parse(raw) as OutboundMessage;
    } catch {
      return error(400, 100, 'Invalid parameter', { error_data: { messaging_product: 'whatsapp', details: 'the body is not JSON' } });
    }
    const refuse = (status: number, code: number, message: string, details: string) => {
      this.refused.push({ to: String(msg?.to), code, type: String(msg?.type) });
      return error(status, code, message, { error_data: { messaging_product: 'whatsapp', details } });
    };
    const invalid = validate(msg);
    if (invalid) return refuse(400, 131009, 'Parameter value is not valid', invalid);
    if (msg.type === 'template') {
      const t = msg.template;
      const known = this.templates.get(`${t.name}:${t.language?.code}`);
      if (!known)
        return refuse(400, 132001, 'Template name does not exist in the translation', `template name (${t.name}) does not exist in ${t.language?.code}`);
      const body = t.components?.find((c) => c.type === 'body');
      const values = body?.type === 'body' ? body.parameters : [];
      const buttons = (t.components ?? []).filter((c) => c.type === 'button');
      if (values.length !== known.body || buttons.length > known.quickReplies)
        return refuse(
          400,
          132000,
          'Number of parameters does not match the expected number of params',
          `body: number of localizable_params (${values.length}) does not match the expected number of params (${known.body})`,
        );
      if (values.some((v) => v.type !== 'text' || typeof v.text !== 'string' || !v.text || /[\n\t]| {5,}/.test(v.text)))
        return refuse(
          400,
          132018,
          'There was an issue with the parameters in your template.',
          'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
        );
    } else if (this.enforceWindow) {
      const last = this.lastInbound.get(msg.to);
      if (last === undefined || Date.now() - last > 24 * 3_600_000)
        return refuse(
          400,
          131047,
          'Re-engagement message',
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        );
    }
    if (this.allowed.size && !this.allowed.has(msg.to))
      return error(400, 131030, 'Recipient phone number not in allowed list', {
        error_data: {
          messaging_product: 'whatsapp',
          details: 'Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.',
        },
      });
    const id = `wamid.${Buffer.from(`${msg.to}-${randomBytes(9).toString('hex')}`).toString('base64')}`;
    this.sent.push({ id, to: msg.to, message: msg, at: Date.now() });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: msg.to, wa_id: msg.to }], messages: [{ id }] }));
  }
}

function validate(m: OutboundMessage): string | undefined {
  if (m?.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (typeof m.to !== 'string' || !/^\d{6,15}$/.test(m.to)) return '"to" must be a phone number';
  if (m.type === 'text') return typeof m.text?.body === 'string' && m.text.body.length ? undefined : 'text.body is required';
  if (m.type === 'template') {
    const t = m.template;
    if (!t?.name || !t.language?.code) return 'template.name and template.language.code are required';
    for (const c of t.components ?? []) {
      if (c.type === 'button' && (c.sub_type !== 'quick_reply' || !/^\d$/.test(c.index) || !c.parameters?.[0]?.payload))
        return 'a quick_reply button component has an index and a payload parameter';
      if (c.type === 'button' && c.parameters[0]!.payload.length > LIMITS.buttonId) return `button payload longer than ${LIMITS.buttonId} characters`;
    }
    return undefined;
  }
  if (m.type !== 'interactive') return `type ${(m as { type: string }).type} is not supported here`;
  const i = m.interactive;
  if (i?.type !== 'button') return 'interactive.type must be "button"';
  if (!i.body?.text || i.body.text.length > LIMITS.body) return `interactive.body.text is required, at most ${LIMITS.body} characters`;
  const buttons = i.action?.buttons ?? [];
  if (!buttons.length || buttons.length > LIMITS.buttons) return `1 to ${LIMITS.buttons} buttons`;
  for (const b of buttons) {
    if (b.type !== 'reply' || !b.reply?.id || !b.reply.title) return 'each button is { type: "reply", reply: { id, title } }';
    if ([...b.reply.title].length > LIMITS.buttonTitle) return `button title longer than ${LIMITS.buttonTitle} characters`;
    if (b.reply.id.length > LIMITS.buttonId) return `button id longer than ${LIMITS.buttonId} characters`;
  }
  if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length) return 'button titles must be unique';
  return undefined;
}

/** The webhook Meta posts when a user taps a reply button (a `messages` change with an interactive button_reply). */
export function buttonReplyWebhook(o: {
  phoneNumberId: string;
  from: string;
  buttonId: string;
  title: string;
  contextId?: string;
  messageId?: string;
  timestamp?: number;
  /** A quick-reply button of a template message (type "button" with its payload) instead of an interactive reply. */
  template?: boolean;
}): WebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: o.phoneNumberId },
              contacts: [{ profile: { name: 'Approver' }, wa_id: o.from }],
              messages: [
                {
                  ...(o.contextId ? { context: { from: '15550783881', id: o.contextId } } : {}),
                  from: o.from,
                  id: o.messageId ?? `wamid.${randomBytes(12).toString('hex')}`,
                  timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
                  ...(o.template
                    ? { type: 'button', button: { payload: o.buttonId, text: o.title } }
                    : { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: o.buttonId, title: o.title } } }),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
