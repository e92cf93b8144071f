// A loopback fake of Anthropic's Messages API (POST /v1/messages) for tests, so the REAL @anthropic-ai/sdk runs
// unchanged against it (baseURL = this server). It speaks the documented wire format:
// - request: headers x-api-key (or Authorization: Bearer) and anthropic-version; body { model, max_tokens, messages, system?, tools?, stream? };
//   checked as the API checks it: roles alternate starting with user, and every tool_use of the previous assistant
//   turn is answered by a tool_result right after (else 400 invalid_request_error);
// - answer: { id: "msg_…", type: "message", role: "assistant", model, content: [text | tool_use], stop_reason,
//   stop_sequence, usage: { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens } },
//   or with stream: true, server-sent events message_start, content_block_start, ping, content_block_delta
//   (text_delta / input_json_delta), content_block_stop, message_delta (stop_reason, usage.output_tokens), message_stop;
// - errors: { type: "error", error: { type, message }, request_id } with request-id header — 401
//   authentication_error, 400 invalid_request_error, 429 rate_limit_error and 529 overloaded_error with retry-after.
// The "model" is a script: a function of the request (and the turn number) that returns the content blocks.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeBlock = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: Record<string, unknown> };

export interface FakeTurn {
  content: FakeBlock[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
  /** Usage to report (default: about a token per 4 characters in and out). */
  usage?: { input: number; output: number; cacheCreation?: number; cacheRead?: number };
}

/** The request as the fake saw it (what the model "reads"). */
export interface FakeRequest {
  model: string;
  max_tokens: number;
  system?: string | { type: 'text'; text: string }[];
  tools?: { name: string; description?: string; input_schema: unknown }[];
  messages: { role: 'user' | 'assistant'; content: string | Record<string, unknown>[] }[];
  stream?: boolean;
}

export type FakeModel = (req: FakeRequest, turn: number) => FakeTurn;

export interface QueuedError {
  status: 429 | 529 | 500 | 400;
  retryAfter?: string;
}

const ERROR_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export class FakeAnthropic {
  readonly requests: { at: number; body: FakeRequest; headers: IncomingMessage['headers'] }[] = [];
  /** Errors answered before the model is asked, one per request, in order. */
  readonly errors: QueuedError[] = [];
  model: FakeModel = () => ({ content: [{ type: 'text', text: 'Hello from the fake.' }] });
  private turns = 0;
  private server?: Server;
  url = '';

  constructor(readonly apiKey = `sk-ant-test-${randomBytes(8).toString('hex')}`) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }

  /** A new script; the turn count starts again at 1. */
  script(model: FakeModel): void {
    this.model = model;
    this.turns = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
      res.end(JSON.stringify({ type: 'error', error: { type: ERROR_TYPE[status] ?? 'api_error', message }, request_id: requestId }));
    };
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') return fail(404, `${req.method} ${req.url} is not an endpoint of this fake`);
    // The key comes as x-api-key, or (as this SDK sends it) Authorization: Bearer.
    const key = req.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (key !== this.apiKey) return fail(401, 'invalid x-api-key');
    if (!req.headers['anthropic-version']) return fail(400, 'anthropic-version: header is required');
    let body: FakeRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequest;
    } catch {
      return fail(400, 'the request body is not valid JSON');
    }
    this.requests.push({ at: Date.now(), body, headers: req.headers });
    const queued = this.errors.shift();
    if (queued)
      return fail(
        queued.status,
        queued.status === 429
          ? 'Number of request tokens has exceeded your per-minute rate limit'
          : queued.status === 529
            ? 'Overloaded'
            : 'Internal server error',
        queued.retryAfter ? { 'retry-after': queued.retryAfter } : {},
      );
    const invalid = validate(body);
    if (invalid) return fail(400, invalid);
    const turn = this.model(body, ++this.turns);
    const content = turn.content.map((b) => (b.type === 'tool_use' ? { ...b, id: b.id ?? `toolu_${randomBytes(12).toString('hex')}` } : b));
    const stopReason = turn.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const size = (v: unknown) => Math.max(1, Math.ceil(JSON.stringify(v).length / 4));
    const usage = {
      input_tokens: turn.usage?.input ?? size([body.system, body.tools, body.messages]),
      output_tokens: turn.usage?.output ?? size(content),
      cache_creation_input_tokens: turn.usage?.cacheCreation ?? 0,
      cache_read_input_tokens: turn.usage?.cacheRead ?? 0,
    };
    const message = {
      id: `msg_${randomBytes(12).toString('hex')}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      return res.end(JSON.stringify(message));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
    send('ping', { type: 'ping' });
    content.forEach((b, index) => {
      if (b.type === 'text') {
        send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const piece of b.text.match(/.{1,12}/gs) ?? [''])
          send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
      } else {
        send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
        const json = JSON.stringify(b.input);
        for (const piece of json.match(/.{1,16}/gs) ?? [''])
          send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    });
    send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }
}

function validate(b: FakeRequest): string | undefined {
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (!Number.isInteger(b.max_tokens) || b.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(b.messages) || !b.messages.length) return 'messages: at least one message is required';
  let expectResults: string[] = [];
  for (const [i, m] of b.messages.entries()) {
    if (m.role !== (i % 2 === 0 ? 'user' : 'assistant')) return `messages.${i}.role: roles must alternate between "user" and "assistant", starting with "user"`;
    const blocks = typeof m.content === 'string' ? [] : m.content;
    if (m.role === 'user') {
      const answered = blocks.filter((c) => c.type === 'tool_result').map((c) => String(c.tool_use_id));
      const missing = expectResults.filter((id) => !answered.includes(id));
      if (missing.length)
        return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      expectResults = [];
    } else expectResults = blocks.filter((c) => c.type === 'tool_use').map((c) => String(c.id));
  }
  for (const t of b.tools ?? []) if (!/^[a-zA-Z0-9_-]{1,128}$/.test(t.name) || typeof t.input_schema !== 'object') return `tools: invalid tool ${t.name}`;
  return undefined;
}
