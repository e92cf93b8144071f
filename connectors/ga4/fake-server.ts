// A loopback fake of the GA4 Data API v1beta (node:http on 127.0.0.1, port 0) for testing our real client code.
// It speaks Google's wire format: POST /v1beta/properties/{id}:runReport with a Bearer token (401
// UNAUTHENTICATED when missing or expired, 403 PERMISSION_DENIED for a property the token cannot read), requests
// checked as the API checks them (known dimensions/metrics, dateRanges YYYY-MM-DD, limit ≤ 250,000 → 400
// INVALID_ARGUMENT), rows grouped by the requested dimensions and ordered by them, limit/offset paging with rowCount,
// metric values as strings, metadata with the property's currency and time zone; errors as google.rpc.Status.
// An OAuth token endpoint (/token, refresh_token grant) hands out access tokens. Fault knobs: queued errors
// (429 RESOURCE_EXHAUSTED, 500 …), expired tokens, a refresh that is refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRAFFIC_DIMENSIONS, type RunReportRequest, type RunReportResponse } from './wire.js';

export interface FakeGa4Row {
  date: string; // YYYY-MM-DD
  sessionSource: string;
  sessionMedium: string;
  sessionCampaignName: string;
  sessions: number;
  keyEvents: string;
  totalRevenue: string;
}

export interface FakeGa4State {
  propertyId: string;
  currencyCode: string;
  timeZone: string;
  rows: FakeGa4Row[];
}

export interface FakeGa4Request {
  path: string;
  body: RunReportRequest | Record<string, string>;
  authorization?: string;
}

const DIMENSIONS = new Set<string>(TRAFFIC_DIMENSIONS);
const METRICS: Record<string, 'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_CURRENCY'> = {
  sessions: 'TYPE_INTEGER',
  keyEvents: 'TYPE_INTEGER',
  totalRevenue: 'TYPE_CURRENCY',
};
const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Exact decimal sum of strings (micros), printed without trailing zeros — the fake never sums money as floats. */
function addDecimals(a: string, b: string): string {
  const toMicros = (s: string) => {
    const [i, f = ''] = s.replace('-', '').split('.');
    const v = BigInt(i!) * 1_000_000n + BigInt((f + '000000').slice(0, 6));
    return s.startsWith('-') ? -v : v;
  };
  const t = toMicros(a) + toMicros(b);
  const neg = t < 0n;
  const abs = neg ? -t : t;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / 1_000_000n}${frac ? `.${frac}` : ''}`;
}

export class FakeGa4 {
  readonly requests: FakeGa4Request[] = [];
  readonly validTokens = new Set<string>();
  readonly refreshTokens = new Set<string>(['ga4-refresh-1']);
  client = { id: 'ga4-client', secret: 'ga4-client-secret' };
  /** Errors answered to the next runReport calls, one per call (e.g. 429 RESOURCE_EXHAUSTED). */
  errorQueue: { http: number; status: string; message: string }[] = [];
  refreshRefused = false;
  refreshes = 0;
  private issued = 0;

  private constructor(
    private readonly server: http.Server,
    readonly state: FakeGa4State,
  ) {}

  static async start(state: FakeGa4State = ga4Fixture()): Promise<FakeGa4> {
    const holder: { fake?: FakeGa4 } = {};
    const server = http.createServer((req, res) => void holder.fake!.handle(req, res));
    const fake = (holder.fake = new FakeGa4(server, state));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  get tokenUrl(): string {
    return `${this.baseUrl}/token`;
  }

  expireAllTokens(): void {
    this.validTokens.clear();
  }

  /** Total key events and revenue over a range, as the report would sum them (for assertions). */
  totals(from: string, to: string) {
    let conversions = '0';
    let revenue = '0';
    let sessions = 0;
    for (const r of this.state.rows.filter((x) => x.date >= from && x.date <= to)) {
      conversions = addDecimals(conversions, r.keyEvents);
      revenue = addDecimals(revenue, r.totalRevenue);
      sessions += r.sessions;
    }
    return { conversions, revenue, sessions };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const c of req) raw += c;
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const rpc = (code: number, status: string, message: string) => send(code, { error: { code, message, status } });
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = Object.fromEntries(new URLSearchParams(raw));
      this.requests.push({ path: url.pathname, body: form });
      return this.token(form, send);
    }
    let body: RunReportRequest;
    try {
      body = JSON.parse(raw) as RunReportRequest;
    } catch {
      return rpc(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    this.requests.push({ path: url.pathname, body, authorization: req.headers.authorization });
    const m = /^\/v1beta\/properties\/(\d+):runReport$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return rpc(404, 'NOT_FOUND', `Method not found: ${req.method} ${url.pathname}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token))
      return rpc(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    if (m[1] !== this.state.propertyId)
      return rpc(
        403,
        'PERMISSION_DENIED',
        `User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.`,
      );
    const queued = this.errorQueue.shift();
    if (queued) return rpc(queued.http, queued.status, queued.message);
    const out = this.report(body);
    if (typeof out === 'string') return rpc(400, 'INVALID_ARGUMENT', out);
    return send(200, out);
  }

  private token(form: Record<string, string>, send: (s: number, b: unknown) => void): void {
    if (form.client_id !== this.client.id || form.client_secret !== this.client.secret)
      return send(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (form.grant_type !== 'refresh_token') return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + form.grant_type });
    if (this.refreshRefused || !this.refreshTokens.has(form.refresh_token ?? ''))
      return send(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    this.refreshes++;
    const access = `ga4-access-${++this.issued}`;
    this.validTokens.add(access);
    send(200, { access_token: access, expires_in: 3599, scope: 'https://www.googleapis.com/auth/analytics.readonly', token_type: 'Bearer' });
  }

  private report(body: RunReportRequest): RunReportResponse | string {
    const dims = (body.dimensions ?? []).map((d) => d.name);
    const mets = (body.metrics ?? []).map((x) => x.name);
    for (const d of dims)
      if (!DIMENSIONS.has(d))
        return `Field ${d} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`;
    for (const x of mets)
      if (!(x in METRICS))
        return `Field ${x} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`;
    if (!mets.length) return 'At least one metric is required.';
    const ranges = body.dateRanges ?? [];
    if (ranges.length !== 1 || !ISO.test(ranges[0]!.startDate) || !ISO.test(ranges[0]!.endDate)) return 'dateRanges must hold one range of YYYY-MM-DD dates.';
    const { startDate, endDate } = ranges[0]!;
    if (startDate > endDate) return `Invalid dateRange: startDate ${startDate} is after endDate ${endDate}.`;
    const limit = body.limit === undefined ? 10_000 : Number(body.limit);
    const offset = body.offset === undefined ? 0 : Number(body.offset);
    if (!Number.isInteger(limit) || limit < 0 || limit > 250_000) return `limit must be positive and at most 250000; got ${body.limit}.`;
    if (!Number.isInteger(offset) || offset < 0) return `offset must be non-negative; got ${body.offset}.`;
    const groups = new Map<string, { dims: string[]; values: Record<string, string> }>();
    for (const r of this.state.rows) {
      if (r.date < startDate || r.date > endDate) continue;
      const dv = dims.map((d) => (d === 'date' ? r.date.replace(/-/g, '') : (r as unknown as Record<string, string>)[d]!));
      const key = dv.join('\u0000');
      const g = groups.get(key) ?? { dims: dv, values: { sessions: '0', keyEvents: '0', totalRevenue: '0' } };
      g.values.sessions = addDecimals(g.values.sessions!, String(r.sessions));
      g.values.keyEvents = addDecimals(g.values.keyEvents!, r.keyEvents);
      g.values.totalRevenue = addDecimals(g.values.totalRevenue!, r.totalRevenue);
      groups.set(key, g);
    }
    const all = [...groups.values()].sort((a, b) => (a.dims.join('\u0000') < b.dims.join('\u0000') ? -1 : 1));
    const page = all.slice(offset, offset + (limit || 10_000));
    return {
      dimensionHeaders: dims.map((name) => ({ name })),
      metricHeaders: mets.map((name) => ({ name, type: METRICS[name]! })),
      ...(page.length
        ? { rows: page.map((g) => ({ dimensionValues: g.dims.map((value) => ({ value })), metricValues: mets.map((x) => ({ value: g.values[x]! })) })) }
        : {}),
      rowCount: all.length,
      metadata: { currencyCode: this.state.currencyCode, timeZone: this.state.timeZone },
      kind: 'analyticsData#runReport',
    };
  }
}

/** A property with 14 days of traffic from each ad platform's paid clicks, organic search and email. */
export function ga4Fixture(propertyId = '987654321', from = '2026-05-18', days = 14): FakeGa4State {
  const sources: [string, string, string][] = [
    ['google', 'cpc', 'search-brand'],
    ['google', 'cpc', 'search-generic'],
    ['facebook', 'paid', 'prospecting'],
    ['tiktok', 'paid', 'spark'],
    ['linkedin', 'cpc', 'b2b-leads'],
    ['google', 'organic', '(organic)'],
    ['newsletter', 'email', 'may-news'],
  ];
  const rows: FakeGa4Row[] = [];
  const start = Date.parse(`${from}T00:00:00Z`);
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    sources.forEach(([s, m, c], i) => {
      const sessions = 50 + ((d * 37 + i * 11) % 90);
      const conv = (d + i) % 7;
      rows.push({
        date,
        sessionSource: s,
        sessionMedium: m,
        sessionCampaignName: c,
        sessions,
        keyEvents: String(conv),
        totalRevenue: conv ? `${conv * 42}.${String((d * 13 + i) % 100).padStart(2, '0')}` : '0',
      });
    });
  }
  return { propertyId, currencyCode: 'EUR', timeZone: 'Europe/Berlin', rows };
}
