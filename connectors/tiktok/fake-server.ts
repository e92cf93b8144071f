// A loopback fake of the TikTok Marketing API v1.3 (node:http on 127.0.0.1, port 0) for testing our real client
// code. It speaks TikTok's wire format: paths under /open_api/v1.3/, the `Access-Token` header (40104 when
// missing, 40105 when invalid), every answer in HTTP 200 with `{code, message, request_id, data}`, `page_info`
// paging, GET parameters as JSON text, the report's 30-day limit with stat_time_day, metrics as strings. State:
// one advertiser, campaigns, ad groups, daily metrics. Fault knobs: queued envelope codes (rate limit 40100, …),
// HTTP 5xx, a hang past the client's timeout, expired tokens and a refresh endpoint that can refuse.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, daysBetween } from '../../core/dates.js';
import {
  BASE_METRICS,
  CONVERSION_METRIC_CHOICES,
  REPORT_DIMENSIONS,
  REPORT_MAX_DAYS,
  type AdvertiserInfo,
  type TikTokAdGroup,
  type TikTokCampaign,
} from './wire.js';

export interface FakeMetricDay {
  campaign_id: string;
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
  conversion: string;
  total_complete_payment_rate: string;
  complete_payment?: string;
}

export interface FakeTikTokState {
  advertiser: AdvertiserInfo;
  campaigns: TikTokCampaign[];
  adgroups: TikTokAdGroup[];
  metrics: FakeMetricDay[];
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

const PREFIX = '/open_api/v1.3/';

export class FakeTikTok {
  readonly requests: FakeRequest[] = [];
  /** Tokens the API accepts; `expireToken` removes one. */
  readonly validTokens = new Set<string>();
  /** Refresh tokens the refresh endpoint accepts (rotated on use). */
  readonly refreshTokens = new Set<string>();
  app = { id: 'app-1', secret: 'app-secret-1' };
  /** Fail one later call to `path`: the (skip+1)-th call to it answers `code` (a partial failure inside a multi-call change). */
  failOn: { path: string; skip: number; code: number; message: string } | null = null;
  /** Envelope codes to answer (in HTTP 200) to the next API calls, one per call. */
  codeQueue: { code: number; message: string }[] = [];
  /** The next N API calls answer HTTP 500 with an HTML page. */
  serverErrors = 0;
  /** The next N API calls never answer. */
  hangs = 0;
  /** Serve pages of at most this many items whatever page_size asks (to exercise paging on a small fixture). */
  pageSizeCap = 1000;
  private refreshCount = 0;

  private constructor(
    private readonly server: http.Server,
    readonly state: FakeTikTokState,
  ) {}

  static async start(state: FakeTikTokState = tiktokFixture(), token = 'tt-token-1'): Promise<FakeTikTok> {
    const holder: { fake?: FakeTikTok } = {};
    const server = http.createServer((req, res) => void holder.fake!.handle(req, res));
    const fake = (holder.fake = new FakeTikTok(server, state));
    fake.validTokens.add(token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/open_api/v1.3`;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/tt_user/oauth2/refresh_token/`;
  }

  expireToken(token: string): void {
    this.validTokens.delete(token);
  }

  apiCalls(path?: string): FakeRequest[] {
    return this.requests.filter((r) => !r.path.startsWith('tt_user/') && (!path || r.path === path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString()));
      req.on('end', () => resolve(s));
    });
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    this.requests.push({ method: req.method ?? 'GET', path, query: url.searchParams, body, headers: req.headers });
    const send = (code: number, message: string, data?: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code, message, request_id: randomUUID().replace(/-/g, ''), data: data ?? {} }));
    };
    if (!url.pathname.startsWith(PREFIX)) return send(40002, 'Unknown path'); // not a v1.3 path
    if (path === 'tt_user/oauth2/refresh_token/') return this.refresh(body as Record<string, string>, send);

    if (this.hangs > 0) {
      this.hangs -= 1;
      return; // never answers; the client's timeout must fire
    }
    if (this.serverErrors > 0) {
      this.serverErrors -= 1;
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (this.failOn?.path === path && this.failOn.skip-- === 0) {
      const f = this.failOn;
      this.failOn = null;
      return send(f.code, f.message);
    }
    const queued = this.codeQueue.shift();
    if (queued) return send(queued.code, queued.message);
    const token = req.headers['access-token'];
    if (typeof token !== 'string' || token === '') return send(40104, 'Access token is null, you should set it in http header.');
    if (!this.validTokens.has(token)) return send(40105, 'Access token is incorrect or has been revoked.');

    const route = `${req.method} ${path}`;
    const p = req.method === 'GET' ? Object.fromEntries(url.searchParams) : ((body ?? {}) as Record<string, unknown>);
    if (req.method === 'POST' && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(40002, 'Content-Type must be application/json');
    }
    const adv = this.state.advertiser.advertiser_id;
    if (route !== 'GET advertiser/info/' && p.advertiser_id !== adv) return send(40001, `No permission to operate advertiser ${String(p.advertiser_id)}.`);
    switch (route) {
      case 'GET advertiser/info/': {
        const ids = jsonParam<string[]>(p.advertiser_ids);
        if (!Array.isArray(ids)) return send(40002, 'advertiser_ids: Field is required.');
        if (ids.some((id) => id !== adv)) return send(40001, 'No permission to operate advertiser.');
        return send(0, 'OK', { list: [this.state.advertiser] });
      }
      case 'GET campaign/get/':
      case 'GET adgroup/get/': {
        const all = path === 'campaign/get/' ? this.state.campaigns : this.state.adgroups;
        const filter = jsonParam<{ campaign_ids?: string[] }>(p.filtering);
        const list = filter?.campaign_ids ? all.filter((x) => filter.campaign_ids!.includes(x.campaign_id)) : all;
        return this.paged(p, list, send);
      }
      case 'GET report/integrated/get/':
        return this.report(p, send);
      case 'POST campaign/update/': {
        const c = this.state.campaigns.find((x) => x.campaign_id === p.campaign_id);
        if (!c) return send(40002, `campaign_id ${String(p.campaign_id)} does not exist.`);
        if (p.budget !== undefined) {
          if (c.budget_mode === 'BUDGET_MODE_INFINITE') return send(40002, 'Budget cannot be set when budget_mode is BUDGET_MODE_INFINITE.');
          if (typeof p.budget !== 'number' || p.budget <= 0) return send(40002, 'budget: Not a valid number.');
          c.budget = p.budget;
        }
        return send(0, 'OK', { campaign_id: c.campaign_id });
      }
      case 'POST campaign/status/update/': {
        const ids = p.campaign_ids as string[] | undefined;
        const op = p.operation_status as string;
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20) return send(40002, 'campaign_ids: Length must be between 1 and 20.');
        if (!['ENABLE', 'DISABLE', 'DELETE'].includes(op)) return send(40002, 'operation_status: Not a valid choice.');
        const found = this.state.campaigns.filter((x) => ids.includes(x.campaign_id));
        if (found.length !== ids.length) return send(40002, 'campaign_ids: some campaigns do not exist.');
        for (const c of found) {
          c.operation_status = op as TikTokCampaign['operation_status'];
          c.secondary_status = `CAMPAIGN_STATUS_${op}`;
        }
        return send(0, 'OK', { campaign_ids: ids });
      }
      case 'POST adgroup/update/': {
        const g = this.state.adgroups.find((x) => x.adgroup_id === p.adgroup_id);
        if (!g) return send(40002, `adgroup_id ${String(p.adgroup_id)} does not exist.`);
        if (p.budget !== undefined) {
          if (g.budget_mode === 'BUDGET_MODE_INFINITE') return send(40002, 'Budget cannot be set when budget_mode is BUDGET_MODE_INFINITE.');
          g.budget = p.budget as number;
        }
        for (const f of ['bid_price', 'conversion_bid_price'] as const) {
          if (p[f] === undefined) continue;
          if (g.bid_type !== 'BID_TYPE_CUSTOM') return send(40002, `${f} can only be set when bid_type is BID_TYPE_CUSTOM.`);
          g[f] = p[f] as number;
        }
        return send(0, 'OK', { adgroup_id: g.adgroup_id });
      }
      default:
        return send(40002, `Unknown endpoint ${route}`);
    }
  }

  private paged(p: Record<string, unknown>, list: unknown[], send: (c: number, m: string, d?: unknown) => void): void {
    const page = Number(p.page ?? 1);
    const asked = Number(p.page_size ?? 10);
    if (!(page >= 1) || !(asked >= 1 && asked <= 1000)) return send(40002, 'page_size: Must be between 1 and 1000.');
    const total = list.length;
    const size = Math.min(asked, this.pageSizeCap);
    send(0, 'OK', {
      list: list.slice((page - 1) * size, page * size),
      page_info: { page, page_size: size, total_number: total, total_page: Math.ceil(total / size) },
    });
  }

  private report(p: Record<string, unknown>, send: (c: number, m: string, d?: unknown) => void): void {
    if (p.report_type !== 'BASIC') return send(40002, 'report_type: Not a valid choice.');
    if (p.data_level !== 'AUCTION_CAMPAIGN') return send(40002, 'data_level: Not a valid choice.');
    if (JSON.stringify(jsonParam(p.dimensions)) !== JSON.stringify(REPORT_DIMENSIONS)) return send(40002, 'dimensions: Not supported.');
    const metrics = jsonParam<string[]>(p.metrics);
    const known: readonly string[] = [...BASE_METRICS, ...CONVERSION_METRIC_CHOICES];
    if (!Array.isArray(metrics) || metrics.some((m) => !known.includes(m))) return send(40002, 'metrics: Invalid metric.');
    const from = String(p.start_date ?? '');
    const to = String(p.end_date ?? '');
    if (!from || !to || from > to) return send(40002, 'start_date/end_date: Invalid date range.');
    if (daysBetween(from, to) + 1 > REPORT_MAX_DAYS) return send(40002, `The time span cannot exceed ${REPORT_MAX_DAYS} days when stat_time_day is used.`);
    const filtering = jsonParam<{ field_name: string; filter_type: string; filter_value: string }[]>(p.filtering);
    const ids = filtering?.find((f) => f.field_name === 'campaign_ids' && f.filter_type === 'IN');
    const wanted = ids ? (JSON.parse(ids.filter_value) as string[]) : null;
    const rows = this.state.metrics
      .filter((r) => r.date >= from && r.date <= to && (!wanted || wanted.includes(r.campaign_id)))
      .sort((a, b) => (a.date === b.date ? a.campaign_id.localeCompare(b.campaign_id) : a.date.localeCompare(b.date)))
      .map((r) => ({
        dimensions: { campaign_id: r.campaign_id, stat_time_day: `${r.date} 00:00:00` },
        metrics: Object.fromEntries(metrics.map((m) => [m, String(r[m as keyof FakeMetricDay] ?? '0')])),
      }));
    this.paged(p, rows, send);
  }

  private refresh(b: Record<string, string> | undefined, send: (c: number, m: string, d?: unknown) => void): void {
    if (!b || b.grant_type !== 'refresh_token') return send(40002, 'grant_type: Not a valid choice.');
    if (b.client_id !== this.app.id || b.client_secret !== this.app.secret) return send(40001, 'The app_id or secret is invalid.');
    if (!this.refreshTokens.has(b.refresh_token ?? '')) return send(40104, 'The refresh_token has expired or is invalid.');
    this.refreshTokens.delete(b.refresh_token!);
    this.refreshCount += 1;
    const access = `tt-token-refreshed-${this.refreshCount}`;
    const refresh = `tt-refresh-rotated-${this.refreshCount}`;
    this.validTokens.add(access);
    this.refreshTokens.add(refresh);
    send(0, 'OK', { access_token: access, refresh_token: refresh, expires_in: 86_400, refresh_token_expires_in: 31_536_000 });
  }
}

function jsonParam<T>(v: unknown): T | undefined {
  if (typeof v !== 'string') return v as T | undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    return undefined;
  }
}

/**
 * A small advertiser shaped like real answers: a campaign with a daily campaign budget and a target-CPA ad group,
 * a campaign whose budget lives on two ad groups (BUDGET_MODE_INFINITE) bidding with a bid cap, a paused campaign
 * with a lifetime budget, and `days` days of metrics ending at `end`.
 */
export function tiktokFixture(days = 75, end = '2026-11-30'): FakeTikTokState {
  const advertiser: AdvertiserInfo = {
    advertiser_id: '7000000000000000001',
    name: 'Acme Shop EU',
    currency: 'EUR',
    timezone: 'Etc/GMT-1',
    display_timezone: 'Europe/Berlin',
    status: 'STATUS_ENABLE',
  };
  const base = { advertiser_id: advertiser.advertiser_id };
  const campaigns: TikTokCampaign[] = [
    {
      ...base,
      campaign_id: '1800000000000000001',
      campaign_name: 'Prospecting',
      budget_mode: 'BUDGET_MODE_DAY',
      budget: 50,
      operation_status: 'ENABLE',
      secondary_status: 'CAMPAIGN_STATUS_ENABLE',
    },
    {
      ...base,
      campaign_id: '1800000000000000002',
      campaign_name: 'Retargeting',
      budget_mode: 'BUDGET_MODE_INFINITE',
      budget: 0,
      operation_status: 'ENABLE',
      secondary_status: 'CAMPAIGN_STATUS_ENABLE',
    },
    {
      ...base,
      campaign_id: '1800000000000000003',
      campaign_name: 'Launch burst',
      budget_mode: 'BUDGET_MODE_TOTAL',
      budget: 1000,
      operation_status: 'DISABLE',
      secondary_status: 'CAMPAIGN_STATUS_DISABLE',
    },
  ];
  const group = (id: string, campaign: string, g: Partial<TikTokAdGroup>): TikTokAdGroup => ({
    adgroup_id: id,
    campaign_id: campaign,
    adgroup_name: `Ad group ${id.slice(-1)}`,
    budget_mode: 'BUDGET_MODE_INFINITE',
    budget: 0,
    operation_status: 'ENABLE',
    secondary_status: 'ADGROUP_STATUS_DELIVERY_OK',
    bid_type: 'BID_TYPE_NO_BID',
    bid_price: 0,
    conversion_bid_price: 0,
    ...g,
  });
  const adgroups: TikTokAdGroup[] = [
    group('1810000000000000001', campaigns[0]!.campaign_id, { bid_type: 'BID_TYPE_CUSTOM', conversion_bid_price: 12.5 }),
    group('1810000000000000002', campaigns[1]!.campaign_id, { budget_mode: 'BUDGET_MODE_DAY', budget: 30, bid_type: 'BID_TYPE_CUSTOM', bid_price: 0.8 }),
    group('1810000000000000003', campaigns[1]!.campaign_id, { budget_mode: 'BUDGET_MODE_DAY', budget: 10, bid_type: 'BID_TYPE_CUSTOM', bid_price: 0.8 }),
    group('1810000000000000004', campaigns[2]!.campaign_id, {}),
  ];
  const metrics: FakeMetricDay[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(end, d - days + 1);
    campaigns.forEach((c, k) => {
      const cents = 3000 + ((d * 37 + k * 101) % 2000);
      const valueCents = cents * 3 + ((d * 13) % 97);
      metrics.push({
        campaign_id: c.campaign_id,
        date,
        spend: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        impressions: 10_000 + d * 17 + k,
        clicks: 150 + ((d + k) % 40),
        conversion: String(3 + ((d + 2 * k) % 9)),
        complete_payment: String(1 + ((d + k) % 4)),
        total_complete_payment_rate: `${Math.floor(valueCents / 100)}.${String(valueCents % 100).padStart(2, '0')}`,
      });
    });
  }
  return { advertiser, campaigns, adgroups, metrics };
}
