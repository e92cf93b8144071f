// A loopback fake of the versioned LinkedIn Marketing API (node:http on 127.0.0.1, port 0) for testing our real
// client code. It requires what the real API requires: `LinkedIn-Version` (400 VERSION_MISSING without it, 426
// NONEXISTENT_VERSION for an inactive one), `X-Restli-Protocol-Version: 2.0.0`, a Bearer token (401
// INVALID_ACCESS_TOKEN / EXPIRED_ACCESS_TOKEN); it answers 414 to a query string over 4 KB or a URL over 8 KB and
// accepts the same query tunnelled (POST, `X-HTTP-Method-Override: GET`, form-urlencoded body); Rest.li 2.0
// parameters (`List(...)`, `(start:(year:…))`); cursor paging of the campaign search finder; PARTIAL_UPDATE with
// `{patch: {$set}}` answering 204; the adAnalytics finder (pivot CAMPAIGN, DAILY, no paging); and the OAuth token
// endpoint (grant_type=refresh_token). Fault knobs: 429 without Retry-After, 5xx, hangs, expired tokens.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays } from '../../core/dates.js';
import { isoFromLinkedInDate } from './restli.js';
import {
  ANALYTICS_FIELDS,
  LINKEDIN_VERSION,
  MAX_QUERY_BYTES,
  MAX_URL_BYTES,
  type LinkedInAdAccount,
  type LinkedInAnalyticsElement,
  type LinkedInCampaign,
  type LinkedInCampaignStatus,
} from './wire.js';

export interface FakeLinkedInDay {
  campaignId: number;
  date: string;
  costInLocalCurrency: string;
  impressions: number;
  clicks: number;
  externalWebsiteConversions: number;
  conversionValueInLocalCurrency: string;
}

export interface FakeLinkedInState {
  account: LinkedInAdAccount;
  campaigns: LinkedInCampaign[];
  analytics: FakeLinkedInDay[];
}

export interface FakeLinkedInRequest {
  method: string;
  path: string;
  /** The Rest.li query, whether it came in the URL or tunnelled in the body. */
  query: string;
  tunnelled: boolean;
  urlBytes: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Marketing versions the fake treats as active. */
export const ACTIVE_VERSIONS = new Set([LINKEDIN_VERSION, '202603', '202601']);

export class FakeLinkedIn {
  readonly requests: FakeLinkedInRequest[] = [];
  readonly validTokens = new Set<string>();
  readonly expiredTokens = new Set<string>();
  readonly refreshTokens = new Set<string>();
  client = { id: 'li-client-1', secret: 'li-client-secret-1' };
  /** The next N API calls answer 429 (LinkedIn sends no Retry-After); `retryAfterSeconds` adds one for tests. */
  rateLimits = 0;
  retryAfterSeconds: number | null = null;
  serverErrors = 0;
  hangs = 0;
  /** adAnalytics answers at most this many elements and drops the rest (LinkedIn: 15,000). */
  analyticsElementLimit = 15_000;
  /** Campaign search pages hold at most this many elements, whatever pageSize asks. */
  pageSizeCap = 1000;
  private refreshCount = 0;

  private constructor(
    private readonly server: http.Server,
    readonly state: FakeLinkedInState,
  ) {}

  static async start(state: FakeLinkedInState = linkedinFixture(), token = 'li-token-1'): Promise<FakeLinkedIn> {
    const holder: { fake?: FakeLinkedIn } = {};
    const server = http.createServer((req, res) => void holder.fake!.handle(req, res));
    const fake = (holder.fake = new FakeLinkedIn(server, state));
    fake.validTokens.add(token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return `${this.origin}/rest`;
  }

  get tokenUrl(): string {
    return `${this.origin}/oauth/v2/accessToken`;
  }

  expireToken(token: string): void {
    this.validTokens.delete(token);
    this.expiredTokens.add(token);
  }

  apiCalls(pathPrefix?: string): FakeLinkedInRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/rest/') && (!pathPrefix || r.path.startsWith(`/rest/${pathPrefix}`)));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString()));
      req.on('end', () => resolve(s));
    });
    const rawUrl = req.url ?? '/';
    const qAt = rawUrl.indexOf('?');
    const path = qAt < 0 ? rawUrl : rawUrl.slice(0, qAt);
    const urlQuery = qAt < 0 ? '' : rawUrl.slice(qAt + 1);
    const override = req.headers['x-http-method-override'];
    const tunnelled = req.method === 'POST' && override === 'GET';
    const query = tunnelled ? raw : urlQuery;
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      query,
      tunnelled,
      urlBytes: Buffer.byteLength(`${this.origin}${rawUrl}`),
      headers: req.headers,
      body: raw,
    });
    const json = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const fail = (status: number, code: string | undefined, message: string, extra: Record<string, unknown> = {}) =>
      json(status, { status, ...(code ? { code } : {}), message, ...extra });

    if (path === '/oauth/v2/accessToken') return this.token(req, raw, json);
    if (!path.startsWith('/rest/')) return fail(404, undefined, 'Not Found');
    if (this.hangs > 0) {
      this.hangs -= 1;
      return; // never answers
    }
    if (this.serverErrors > 0) {
      this.serverErrors -= 1;
      return fail(503, undefined, 'Service Unavailable');
    }
    if (this.rateLimits > 0) {
      this.rateLimits -= 1;
      const headers: Record<string, string> = this.retryAfterSeconds !== null ? { 'retry-after': String(this.retryAfterSeconds) } : {};
      return json(429, { status: 429, message: 'Resource level throttle limit for calls to this resource is reached.' }, headers);
    }
    // Size limits before anything else, as LinkedIn's edge does.
    if (!tunnelled && (Buffer.byteLength(urlQuery) > MAX_QUERY_BYTES || Buffer.byteLength(`${this.origin}${rawUrl}`) > MAX_URL_BYTES)) {
      return fail(414, undefined, 'URI Too Long');
    }
    if (tunnelled && !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return fail(400, 'ILLEGAL_ARGUMENT', 'A tunnelled query must be sent as application/x-www-form-urlencoded');
    }
    const version = req.headers['linkedin-version'];
    if (typeof version !== 'string' || version === '') {
      return fail(400, 'VERSION_MISSING', 'A version must be present. Please specify a version by adding the LinkedIn-Version header.');
    }
    if (!ACTIVE_VERSIONS.has(version)) return fail(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (this.expiredTokens.has(token)) return fail(401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', { serviceErrorCode: 65601 });
    if (!this.validTokens.has(token)) return fail(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', { serviceErrorCode: 65600 });
    if (req.headers['x-restli-protocol-version'] !== '2.0.0') {
      return fail(400, 'ILLEGAL_ARGUMENT', 'Syntax exception in path variables (Rest.li protocol 1.0 assumed: send X-Restli-Protocol-Version: 2.0.0)');
    }

    const params = parseRestliQuery(query);
    const method = tunnelled ? 'GET' : req.method;
    const restliMethod = req.headers['x-restli-method'];
    const acc = String(this.state.account.id);
    const parts = path.slice('/rest/'.length).split('/').map(decodeURIComponent);

    if (method === 'GET' && parts[0] === 'adAccounts' && parts.length === 2) {
      return parts[1] === acc ? json(200, this.state.account) : fail(404, undefined, `Ad account ${parts[1]} not found`);
    }
    if (parts[0] === 'adAccounts' && parts[1] !== acc) return fail(403, 'ACCESS_DENIED', `Not enough permissions to access ad account ${parts[1]}`);
    if (method === 'GET' && parts[0] === 'adAccounts' && parts[2] === 'adCampaigns' && parts.length === 3) return this.search(params, json, fail);
    if (parts[0] === 'adAccounts' && parts[2] === 'adCampaigns' && parts.length === 4) {
      const c = this.state.campaigns.find((x) => String(x.id) === parts[3]);
      if (!c) return fail(404, undefined, `Campaign ${parts[3]} not found`);
      if (method === 'GET') return json(200, c);
      if (req.method === 'POST' && restliMethod === 'PARTIAL_UPDATE') return this.patch(c, raw, json, fail);
      return fail(400, 'ILLEGAL_ARGUMENT', 'A partial update needs X-RestLi-Method: PARTIAL_UPDATE');
    }
    if (method === 'GET' && parts[0] === 'adAnalytics' && parts.length === 1) return this.analytics(params, json, fail);
    return fail(404, undefined, `No resource ${path}`);
  }

  private search(params: Map<string, string>, json: JsonFn, fail: FailFn): void {
    if (params.get('q') !== 'search') return fail(400, 'ILLEGAL_ARGUMENT', 'Unknown finder');
    const search = params.get('search');
    let statuses: string[] | null = null;
    if (search !== undefined) {
      const m = /^\(status:\(values:List\(([A-Z_,]*)\)\)\)$/.exec(search);
      if (!m)
        return fail(400, 'PARAM_INVALID', 'Invalid param. Please see errorDetails for more information.', {
          errorDetails: { inputErrors: [{ code: 'PARAM_INVALID', input: { inputPath: { fieldPath: 'search' } } }] },
        });
      statuses = m[1]!.split(',');
    }
    const size = Math.min(Number(params.get('pageSize') ?? 100), 1000, this.pageSizeCap);
    const offset = params.has('pageToken') ? Number(Buffer.from(decodeURIComponent(params.get('pageToken')!), 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return fail(400, 'PARAM_INVALID', 'Invalid pageToken');
    const all = this.state.campaigns.filter((c) => !statuses || statuses.includes(c.status));
    const elements = all.slice(offset, offset + size);
    const next = offset + size < all.length ? Buffer.from(String(offset + size)).toString('base64url') + '==' : undefined;
    json(200, { elements, metadata: next ? { nextPageToken: next } : {} });
  }

  private patch(c: LinkedInCampaign, raw: string, json: JsonFn, fail: FailFn): void {
    let body: { patch?: { $set?: Record<string, unknown> } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return fail(400, 'ILLEGAL_ARGUMENT', 'Body is not JSON');
    }
    const set = body.patch?.$set;
    if (!set) return fail(400, 'ILLEGAL_ARGUMENT', 'Expected {patch: {$set: {...}}}');
    for (const [k, v] of Object.entries(set)) {
      if (k === 'status') {
        if (!['ACTIVE', 'PAUSED', 'ARCHIVED', 'DRAFT'].includes(v as string)) return fail(422, 'INVALID_VALUE', `Invalid status ${String(v)}`);
        c.status = v as LinkedInCampaignStatus;
      } else if (k === 'dailyBudget' || k === 'unitCost') {
        const money = v as { amount?: unknown; currencyCode?: unknown };
        if (typeof money.amount !== 'string' || !/^\d+(\.\d{1,2})?$/.test(money.amount))
          return fail(422, 'INVALID_VALUE', `${k}.amount must be a decimal string`);
        if (money.currencyCode !== this.state.account.currency) return fail(422, 'INVALID_VALUE', `${k}.currencyCode must be the account currency`);
        c[k] = { amount: money.amount, currencyCode: money.currencyCode };
      } else return fail(422, 'INVALID_VALUE', `Field ${k} cannot be patched here`);
    }
    json(204);
  }

  private analytics(params: Map<string, string>, json: JsonFn, fail: FailFn): void {
    if (params.get('q') !== 'analytics') return fail(400, 'ILLEGAL_ARGUMENT', 'Unknown finder');
    if (params.get('pivot') !== 'CAMPAIGN' || params.get('timeGranularity') !== 'DAILY') return fail(400, 'PARAM_INVALID', 'pivot/timeGranularity');
    const m = /^\(start:\(year:(\d+),month:(\d+),day:(\d+)\),end:\(year:(\d+),month:(\d+),day:(\d+)\)\)$/.exec(params.get('dateRange') ?? '');
    if (!m) return fail(400, 'PARAM_INVALID', 'dateRange must be (start:(year:,month:,day:),end:(...))');
    const n = m.slice(1).map(Number);
    const from = isoFromLinkedInDate({ year: n[0]!, month: n[1]!, day: n[2]! });
    const to = isoFromLinkedInDate({ year: n[3]!, month: n[4]!, day: n[5]! });
    const fields = (params.get('fields') ?? '').split(',');
    if (fields.some((f) => !(ANALYTICS_FIELDS as readonly string[]).includes(f))) return fail(400, 'PARAM_INVALID', 'Unknown field');
    let ids: Set<number> | null = null;
    if (params.has('campaigns')) ids = new Set(restliListValues(params.get('campaigns')!).map((u) => Number(u.replace('urn:li:sponsoredCampaign:', ''))));
    else if (restliListValues(params.get('accounts') ?? 'List()').join() !== `urn:li:sponsoredAccount:${this.state.account.id}`) {
      return fail(400, 'PARAM_INVALID', 'One of campaigns, accounts, … is required');
    }
    const elements: Partial<LinkedInAnalyticsElement>[] = this.state.analytics
      .filter((d) => d.date >= from && d.date <= to && (!ids || ids.has(d.campaignId)))
      .map((d) => {
        const [y, mo, da] = d.date.split('-').map(Number);
        const full: LinkedInAnalyticsElement = {
          pivotValues: [`urn:li:sponsoredCampaign:${d.campaignId}`],
          dateRange: { start: { year: y!, month: mo!, day: da! }, end: { year: y!, month: mo!, day: da! } },
          costInLocalCurrency: d.costInLocalCurrency,
          impressions: d.impressions,
          clicks: d.clicks,
          externalWebsiteConversions: d.externalWebsiteConversions,
          conversionValueInLocalCurrency: d.conversionValueInLocalCurrency,
        };
        return Object.fromEntries(Object.entries(full).filter(([k]) => fields.includes(k)));
      });
    json(200, { paging: { start: 0, count: 10, links: [] }, elements: elements.slice(0, this.analyticsElementLimit) });
  }

  private token(req: http.IncomingMessage, raw: string, json: JsonFn): void {
    const form = new URLSearchParams(raw);
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(400, { error: 'invalid_request', error_description: 'POST a form-urlencoded body' });
    }
    if (form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: 'grant_type' });
    if (form.get('client_id') !== this.client.id || form.get('client_secret') !== this.client.secret) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (!this.refreshTokens.has(form.get('refresh_token') ?? '')) {
      return json(400, { error: 'invalid_grant', error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked' });
    }
    this.refreshCount += 1;
    const access = `li-token-refreshed-${this.refreshCount}`;
    this.validTokens.add(access);
    // LinkedIn keeps the refresh token (its TTL runs from the first authorisation).
    json(200, { access_token: access, expires_in: 5_184_000, refresh_token: form.get('refresh_token'), refresh_token_expires_in: 31_000_000 });
  }
}

type JsonFn = (status: number, body?: unknown, headers?: Record<string, string>) => void;
type FailFn = (status: number, code: string | undefined, message: string, extra?: Record<string, unknown>) => void;

/** Splits a Rest.li query into raw (still Rest.li-encoded) values; top-level `&` and the first `=` only. */
export function parseRestliQuery(q: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

export function restliListValues(v: string): string[] {
  const m = /^List\((.*)\)$/.exec(v);
  if (!m || m[1] === '') return [];
  return m[1]!.split(',').map(decodeURIComponent);
}

/**
 * An ad account shaped like real answers: a manual-bid CPC campaign with a daily budget, a cost-cap campaign,
 * a paused automated-bid campaign with a lifetime budget only, an archived one, and `days` of daily analytics.
 */
export function linkedinFixture(days = 45, end = '2026-11-30', extraCampaigns = 0): FakeLinkedInState {
  const account: LinkedInAdAccount = {
    id: 508000001,
    name: 'Acme B2B',
    currency: 'USD',
    status: 'ACTIVE',
    type: 'BUSINESS',
    reference: 'urn:li:organization:2414183',
    test: false,
  };
  const urn = `urn:li:sponsoredAccount:${account.id}`;
  const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
  const campaigns: LinkedInCampaign[] = [
    {
      id: 610000001,
      name: 'ABM – Enterprise',
      account: urn,
      status: 'ACTIVE',
      costType: 'CPC',
      dailyBudget: usd('120.00'),
      unitCost: usd('8.50'),
      optimizationTargetType: 'NONE',
    },
    {
      id: 610000002,
      name: 'Lead gen – Mid-market',
      account: urn,
      status: 'ACTIVE',
      costType: 'CPM',
      dailyBudget: usd('80'),
      unitCost: usd('95.00'),
      optimizationTargetType: 'CAP_COST_AND_MAXIMIZE_LEADS',
    },
    { id: 610000003, name: 'Webinar push', account: urn, status: 'PAUSED', costType: 'CPM', totalBudget: usd('5000.00'), optimizationTargetType: 'MAX_CLICK' },
    { id: 610000004, name: 'Old brand campaign', account: urn, status: 'ARCHIVED', costType: 'CPM', dailyBudget: usd('50.00') },
  ];
  for (let i = 0; i < extraCampaigns; i++) {
    campaigns.push({
      id: 620000000 + i,
      name: `Bulk ${i}`,
      account: urn,
      status: 'ACTIVE',
      costType: 'CPC',
      dailyBudget: usd('25.00'),
      unitCost: usd('5.00'),
      optimizationTargetType: 'NONE',
    });
  }
  const analytics: FakeLinkedInDay[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(end, d - days + 1);
    campaigns.slice(0, 3).forEach((c, k) => {
      const micros = 70_000_000 + ((d * 1_234_567 + k * 7_654_321) % 40_000_000);
      analytics.push({
        campaignId: c.id,
        date,
        costInLocalCurrency: `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`,
        impressions: 4_000 + d * 11 + k,
        clicks: 40 + ((d + k) % 25),
        externalWebsiteConversions: (d + k) % 6,
        conversionValueInLocalCurrency: `${((d + k) % 6) * 250}.${String((d * 7) % 100).padStart(2, '0')}`,
      });
    });
  }
  for (let i = 0; i < extraCampaigns; i++) {
    analytics.push({
      campaignId: 620000000 + i,
      date: end,
      costInLocalCurrency: '1.01',
      impressions: 100,
      clicks: 1,
      externalWebsiteConversions: 0,
      conversionValueInLocalCurrency: '0',
    });
  }
  return { account, campaigns, analytics };
}
