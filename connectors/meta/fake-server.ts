// A loopback fake of the Meta Graph API (Marketing API subset, v24.0) for tests: node:http on 127.0.0.1, port 0.
// It speaks the documented wire format so the real SDK and connector run unchanged against it:
// - paths /v24.0/act_<id>[/campaigns|/adsets|/insights], /v24.0/<object id>[/adsets|/insights]; `fields` selects
//   what comes back and absent fields are omitted, as Graph does;
// - access_token in the query (the SDK puts it there for GET and POST), appsecret_proof checked when the fake has
//   an app secret (HMAC-SHA256 of the token, hex);
// - edges paged as { data, paging: { cursors: { before, after }, next } }, `next` a full URL, absent on the last page;
// - insights rows { campaign_id, date_start, date_stop, spend, impressions, clicks, actions, action_values } with
//   numbers as strings (Ads Insights reference); async report runs: POST act_X/insights → { report_run_id },
//   GET /<run> → { id, async_status: "Job Not Started" | "Job Running" | "Job Completed" | "Job Failed",
//   async_percent_completion }, GET /<run>/insights paged like the synchronous edge;
// - writes POST /<id> with the fields in the body → { success: true };
// - errors { error: { message, type, code, error_subcode, fbtrace_id, is_transient } } with HTTP 400 (auth,
//   validation, throttling) or 5xx, and the x-business-use-case-usage header
//   { "<account id>": [{ type, call_count, total_cputime, total_time, estimated_time_to_regain_access }] }.
// Fault knobs: expire a token, rate-limit N calls (with or without a regain-access estimate), 5xx N calls (JSON or
// a proxy's HTML page), hang N calls, fail report runs, slow report runs.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionStat } from './actions.js';
import { GRAPH_API_VERSION } from './graph-api.js';

export interface FakeAccount {
  id: string; // digits, without act_
  name: string;
  currency: string;
  timezone_name: string;
  account_status?: number;
}

export interface FakeCampaign {
  id: string;
  account_id: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'DELETED';
  daily_budget?: string;
  lifetime_budget?: string;
  bid_strategy?: string;
}

export interface FakeAdSet {
  id: string;
  account_id: string;
  campaign_id: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'DELETED';
  daily_budget?: string;
  lifetime_budget?: string;
  bid_amount?: string;
  bid_strategy?: string;
}

export interface FakeInsightDay {
  account_id: string;
  campaign_id: string;
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
  actions?: ActionStat[];
  action_values?: ActionStat[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

interface ReportRun {
  id: string;
  accountId: string;
  rows: Record<string, unknown>[];
  polls: number;
  fail: boolean;
}

interface Fault {
  times: number;
}

export class FakeMetaGraph {
  readonly accounts = new Map<string, FakeAccount>();
  readonly campaigns = new Map<string, FakeCampaign>();
  readonly adSets = new Map<string, FakeAdSet>();
  insights: FakeInsightDay[] = [];
  readonly requests: LoggedRequest[] = [];
  /** Tokens the fake accepts; a token moved to `expired` gets code 190 / subcode 463. */
  readonly validTokens = new Set<string>();
  readonly expired = new Set<string>();
  appSecret?: string;
  /** Status checks a report run needs before it completes. */
  reportPolls = 2;
  /** The next N report runs end "Job Failed". */
  failReports = 0;
  rateLimit?: Fault & { code?: number; etaMinutes?: number | null };
  serverErrors?: Fault & { html?: boolean };
  hang?: Fault & { ms: number };
  private readonly runs = new Map<string, ReportRun>();
  private server?: Server;
  private nextId = 900_000_000_000;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Requests to a path (without the version prefix), e.g. "act_1/insights" or "120001". */
  calls(method: string, path: string): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams.entries());
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type']);
    const prefix = `/${GRAPH_API_VERSION}/`;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    this.requests.push({ method: req.method ?? 'GET', path, query, body });

    if (this.hang && this.hang.times > 0) {
      this.hang.times--;
      await new Promise((r) => setTimeout(r, this.hang!.ms));
      if (res.destroyed) return;
    }
    if (this.serverErrors && this.serverErrors.times > 0) {
      this.serverErrors.times--;
      if (this.serverErrors.html) return send(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
      return sendError(res, 500, {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        code: 2,
        is_transient: true,
      });
    }
    if (!url.pathname.startsWith(prefix)) {
      return sendError(res, 400, { message: `Unknown path components: ${url.pathname}`, type: 'OAuthException', code: 2500 });
    }
    const token = query.access_token ?? (typeof body.access_token === 'string' ? body.access_token : undefined);
    if (!token) return sendError(res, 400, { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 });
    if (this.expired.has(token)) {
      return sendError(res, 400, {
        message: 'Error validating access token: Session has expired on Tuesday, 01-Dec-26 04:00:00 PST. The current time is Tuesday, 01-Dec-26 12:00:00 PST.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
      });
    }
    if (!this.validTokens.has(token))
      return sendError(res, 400, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
    if (this.appSecret) {
      const proof = query.appsecret_proof;
      if (!proof)
        return sendError(res, 400, { message: 'API calls from the server require an appsecret_proof argument', type: 'GraphMethodException', code: 100 });
      if (proof !== createHmac('sha256', this.appSecret).update(token).digest('hex')) {
        return sendError(res, 400, { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 });
      }
    }
    const [node = '', edge, ...rest] = path.split('/');
    // The SDK echoes an object's id in the body of its writes; it must name the object written.
    if (req.method === 'POST' && body.id !== undefined && String(body.id) !== node) {
      return sendError(res, 400, { message: '(#100) The id in the body does not match the object', type: 'OAuthException', code: 100 });
    }
    const accountId = this.accountOf(node);
    if (this.rateLimit && this.rateLimit.times > 0) {
      this.rateLimit.times--;
      const eta = this.rateLimit.etaMinutes === undefined ? 1 : this.rateLimit.etaMinutes;
      const headers: Record<string, string> = eta === null ? {} : { 'x-business-use-case-usage': this.usage(accountId ?? '0', 100, eta) };
      return sendError(
        res,
        400,
        {
          message: 'There have been too many calls to this ad-account. Wait a bit and try again.',
          type: 'OAuthException',
          code: this.rateLimit.code ?? 80004,
          error_subcode: 2446079,
        },
        headers,
      );
    }
    if (rest.length > 0) return this.notFound(res, req.method ?? 'GET', path);
    const usage: Record<string, string> = accountId ? { 'x-business-use-case-usage': this.usage(accountId, 12, 0) } : {};
    const fields = (query.fields ?? '').split(',').filter((f) => f !== '');
    const method = req.method ?? 'GET';
    const ok = (payload: unknown) => send(res, 200, JSON.stringify(payload), 'application/json', usage);
    // An edge of campaigns or ad sets: deleted objects are left out, the rest paged with the requested fields.
    const okList = <T extends FakeCampaign | FakeAdSet>(all: Map<string, T>, keep: (x: T) => boolean) =>
      ok(
        this.paged(
          [...all.values()].filter((x) => x.status !== 'DELETED' && keep(x)).map((x) => pick(wire(x), fields)),
          query,
          path,
        ),
      );

    // Ad account and its edges.
    if (node.startsWith('act_')) {
      const account = this.accounts.get(node.slice(4));
      if (!account) return this.notFound(res, method, path);
      if (!edge && method === 'GET') return ok(pick({ ...account, id: node, account_id: account.id }, fields));
      if (edge === 'campaigns' && method === 'GET') {
        return okList(this.campaigns, (c) => c.account_id === account.id);
      }
      if (edge === 'adsets' && method === 'GET') {
        return okList(this.adSets, (a) => a.account_id === account.id);
      }
      if (edge === 'insights' && method === 'GET') {
        const rows = this.insightRows(account.id, query, fields);
        if ('error' in rows) return sendError(res, 400, rows.error);
        return ok(this.paged(rows, query, path));
      }
      if (edge === 'insights' && method === 'POST') {
        const rows = this.insightRows(account.id, { ...stringify(body) }, String(body.fields ?? '').split(','));
        if ('error' in rows) return sendError(res, 400, rows.error);
        const id = String(this.nextId++);
        const fail = this.failReports > 0;
        if (fail) this.failReports--;
        this.runs.set(id, { id, accountId: account.id, rows, polls: 0, fail });
        return ok({ report_run_id: id });
      }
      return this.notFound(res, method, path);
    }

    const run = this.runs.get(node);
    if (run) {
      if (!edge && method === 'GET') {
        run.polls++;
        const done = run.polls > this.reportPolls;
        const status = run.fail && done ? 'Job Failed' : done ? 'Job Completed' : run.polls === 1 ? 'Job Not Started' : 'Job Running';
        const percent = done ? (run.fail ? 0 : 100) : Math.min(99, Math.floor((100 * (run.polls - 1)) / this.reportPolls));
        return ok({ id: run.id, account_id: run.accountId, async_status: status, async_percent_completion: percent });
      }
      if (edge === 'insights' && method === 'GET') {
        if (run.fail || run.polls <= this.reportPolls)
          return sendError(res, 400, { message: 'The report is not ready yet', type: 'OAuthException', code: 100 });
        return ok(this.paged(run.rows, query, path));
      }
      return this.notFound(res, method, path);
    }

    const campaign = this.campaigns.get(node);
    if (campaign && campaign.status !== 'DELETED') {
      if (!edge && method === 'GET') return ok(pick(wire(campaign), fields));
      if (edge === 'adsets' && method === 'GET') {
        return okList(this.adSets, (a) => a.campaign_id === campaign.id);
      }
      if (!edge && method === 'POST') {
        const problem = this.writeCampaign(campaign, body);
        return problem ? sendError(res, 400, problem) : ok({ success: true });
      }
      return this.notFound(res, method, path);
    }

    const adSet = this.adSets.get(node);
    if (adSet && adSet.status !== 'DELETED') {
      if (!edge && method === 'GET') return ok(pick(wire(adSet), fields));
      if (!edge && method === 'POST') {
        const problem = this.writeAdSet(adSet, body);
        return problem ? sendError(res, 400, problem) : ok({ success: true });
      }
    }
    return this.notFound(res, method, path);
  }

  private accountOf(node: string): string | undefined {
    if (node.startsWith('act_')) return node.slice(4);
    return this.campaigns.get(node)?.account_id ?? this.adSets.get(node)?.account_id ?? this.runs.get(node)?.accountId;
  }

  private usage(accountId: string, callCount: number, etaMinutes: number): string {
    return JSON.stringify({
      [accountId]: [
        {
          type: 'ads_management',
          call_count: callCount,
          total_cputime: 10,
          total_time: 10,
          estimated_time_to_regain_access: etaMinutes,
          ads_api_access_tier: 'standard_access',
        },
      ],
    });
  }

  private notFound(res: ServerResponse, method: string, path: string): void {
    const verb = method === 'POST' ? 'post' : 'get';
    sendError(res, 400, {
      message: `Unsupported ${verb} request. Object with ID '${path.split('/')[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
  }

  private insightRows(accountId: string, query: Record<string, string>, fields: string[]): Record<string, unknown>[] | { error: GraphError } {
    if (query.level !== 'campaign') return { error: { message: '(#100) level must be campaign in this fake', type: 'OAuthException', code: 100 } };
    if (query.time_increment !== '1') return { error: { message: '(#100) time_increment must be 1 in this fake', type: 'OAuthException', code: 100 } };
    let range: { since?: string; until?: string };
    try {
      range = JSON.parse(query.time_range ?? '{}') as { since?: string; until?: string };
    } catch {
      return { error: { message: '(#100) param time_range must be a JSON object', type: 'OAuthException', code: 100 } };
    }
    if (!range.since || !range.until) return { error: { message: '(#100) time_range needs since and until', type: 'OAuthException', code: 100 } };
    let ids: Set<string> | null = null;
    if (query.filtering) {
      const filters = JSON.parse(query.filtering) as { field: string; operator: string; value: string[] }[];
      for (const f of filters) if (f.field === 'campaign.id' && f.operator === 'IN') ids = new Set(f.value.map(String));
    }
    return this.insights
      .filter((d) => d.account_id === accountId && d.date >= range.since! && d.date <= range.until! && (!ids || ids.has(d.campaign_id)))
      .sort((a, b) => (a.date === b.date ? a.campaign_id.localeCompare(b.campaign_id) : a.date.localeCompare(b.date)))
      .map((d) =>
        pick(
          {
            campaign_id: d.campaign_id,
            date_start: d.date,
            date_stop: d.date,
            spend: d.spend,
            impressions: String(d.impressions),
            clicks: String(d.clicks),
            ...(d.actions ? { actions: d.actions } : {}),
            ...(d.action_values ? { action_values: d.action_values } : {}),
          },
          [...fields, 'date_start', 'date_stop'],
        ),
      );
  }

  private paged(items: Record<string, unknown>[], query: Record<string, string>, path: string) {
    const limit = Math.max(1, Number(query.limit ?? 25));
    const start = query.after ? decodeCursor(query.after) + 1 : 0;
    const data = items.slice(start, start + limit);
    const paging: { cursors?: { before: string; after: string }; next?: string } = {};
    if (data.length > 0) paging.cursors = { before: encodeCursor(start), after: encodeCursor(start + data.length - 1) };
    if (start + limit < items.length) {
      const next = new URL(`${this.url}/${GRAPH_API_VERSION}/${path}`);
      for (const [k, v] of Object.entries(query)) if (k !== 'after') next.searchParams.set(k, v);
      next.searchParams.set('after', paging.cursors!.after);
      paging.next = next.toString();
    }
    return { data, paging };
  }

  private writeCampaign(c: FakeCampaign, body: Record<string, unknown>): GraphError | null {
    if (body.daily_budget !== undefined) {
      if (!c.daily_budget)
        return {
          message: '(#100) Invalid parameter: this campaign does not use a campaign budget; set budgets on its ad sets',
          type: 'OAuthException',
          code: 100,
          error_subcode: 1885621,
        };
      const v = minorUnits(body.daily_budget);
      if (!v) return { message: '(#100) Param daily_budget must be a positive integer', type: 'OAuthException', code: 100 };
      c.daily_budget = v;
    }
    if (body.status !== undefined) {
      if (!['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'].includes(String(body.status)))
        return { message: '(#100) Param status must be one of {ACTIVE, PAUSED, DELETED, ARCHIVED}', type: 'OAuthException', code: 100 };
      c.status = body.status as FakeCampaign['status'];
    }
    return null;
  }

  private writeAdSet(s: FakeAdSet, body: Record<string, unknown>): GraphError | null {
    const campaign = this.campaigns.get(s.campaign_id);
    if (body.daily_budget !== undefined) {
      if (campaign?.daily_budget || campaign?.lifetime_budget)
        return { message: '(#100) Ad set budgets cannot be set when the campaign has a campaign budget', type: 'OAuthException', code: 100 };
      const v = minorUnits(body.daily_budget);
      if (!v) return { message: '(#100) Param daily_budget must be a positive integer', type: 'OAuthException', code: 100 };
      s.daily_budget = v;
    }
    if (body.bid_amount !== undefined) {
      const strategy = s.bid_strategy ?? campaign?.bid_strategy;
      if (strategy !== 'COST_CAP' && strategy !== 'LOWEST_COST_WITH_BID_CAP')
        return { message: '(#100) bid_amount is only valid with a bid cap or cost cap strategy', type: 'OAuthException', code: 100 };
      const v = minorUnits(body.bid_amount);
      if (!v) return { message: '(#100) Param bid_amount must be a positive integer', type: 'OAuthException', code: 100 };
      s.bid_amount = v;
    }
    if (body.status !== undefined) s.status = body.status as FakeAdSet['status'];
    return null;
  }
}

interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
}

/**
 * A campaign or ad set as Graph sends it: budgets are numeric strings, bid_amount an integer (Ad Set reference:
 * "bid_amount: unsigned int32"), effective_status follows status where nothing else holds the object back.
 */
function wire(o: FakeCampaign | FakeAdSet): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o, effective_status: o.status };
  if ('bid_amount' in o && o.bid_amount !== undefined) out.bid_amount = Number(o.bid_amount);
  return out;
}

function minorUnits(v: unknown): string | null {
  const s = String(v);
  return /^\d+$/.test(s) && BigInt(s) > 0n ? s : null;
}

function pick(o: object, fields: string[]): Record<string, unknown> {
  const all = o as Record<string, unknown>;
  const out: Record<string, unknown> = { ...(all.id !== undefined ? { id: all.id } : {}) };
  for (const f of fields) if (all[f] !== undefined) out[f] = all[f];
  return out;
}

function stringify(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const encodeCursor = (i: number) => Buffer.from(`cursor:${i}`).toString('base64url');
const decodeCursor = (c: string) => Number(Buffer.from(c, 'base64url').toString('utf8').replace('cursor:', ''));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', () => resolve(text));
  });
}

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (!text) return {};
  if (contentType?.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text).entries());
}

function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, error: GraphError, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify({ error: { ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }), 'application/json', {
    'www-authenticate': 'OAuth "Facebook Platform"',
    ...headers,
  });
}
