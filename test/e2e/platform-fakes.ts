// The four live platforms for end-to-end tests: each platform's own loopback fake (connectors/<platform>/fake-server.ts,
// the documented wire formats) seeded with a small account, behind a recording proxy that timestamps every call
// (the fakes keep no times) and can slow calls down. Also what an admin would send to connect each account, and
// what each fake holds (campaigns, metric rows, exact sums) for the test to compare the store with.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, type IsoDate } from '../../core/dates.js';
import { parseMoney, sumMoney, toDecimalString, type Micros } from '../../core/money.js';
import type { PlatformKind } from '../../connectors/types.js';
import { FakeGoogleAds, type FakeCustomer } from '../../connectors/google-ads/fake-server.js';
import { FakeMetaGraph } from '../../connectors/meta/fake-server.js';
import { FakeTikTok, tiktokFixture } from '../../connectors/tiktok/fake-server.js';
import { FakeLinkedIn, linkedinFixture } from '../../connectors/linkedin/fake-server.js';

export interface ProxiedCall {
  at: number;
  method: string;
  path: string;
  status: number;
}

/** A loopback reverse proxy in front of one fake: forwards everything, logs each call with its time and status. */
export class LoopbackProxy {
  readonly calls: ProxiedCall[] = [];
  /** A slow platform: the next `slowCalls` calls are forwarded after `delayMs`. */
  delayMs = 0;
  slowCalls = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<LoopbackProxy> {
    const holder: { p?: LoopbackProxy } = {};
    const server = http.createServer((req, res) => void holder.p!.forward(req, res));
    const p = (holder.p = new LoopbackProxy(server, new URL(target)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return p;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A fake's URL (same path) as seen through this proxy. */
  via(fakeUrl: string): string {
    const u = new URL(fakeUrl);
    return `${this.origin}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.slowCalls > 0) {
      this.slowCalls--;
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.target.host } },
      (up) => {
        this.calls.push({ at, method: req.method ?? 'GET', path, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end(Buffer.concat(chunks));
  }
}

/** What one connected account should hold after a full sync. */
export interface Expected {
  campaigns: number;
  rows: number;
  spend: Micros;
  conversions: Micros;
  value: Micros;
}

/** What `connectAccount` takes for one account (options point the connector at the proxy in front of the fake). */
export interface ConnectInput {
  platform: PlatformKind;
  externalId: string;
  secrets: Record<string, string>;
  options: { baseUrl: string; tokenUrl?: string; conversionMetrics?: { conversions: string; conversionValue: string } };
}

export const GOOGLE_CUSTOMER = '4445556667';
export const META_ACCOUNT = '2002003004';
export const TIKTOK_ADVERTISER = '7000000000000000001';
export const LINKEDIN_ACCOUNT = '508000001';

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

/** Google: three campaigns with their own budgets, 20 days of metrics ending `end` (amounts that drift as floats). */
function googleCustomer(end: IsoDate): FakeCustomer {
  const ids = ['301', '302', '303'];
  return {
    id: GOOGLE_CUSTOMER,
    descriptiveName: 'Mixed – Google Search',
    currencyCode: 'USD',
    timeZone: 'America/New_York',
    budgets: [
      { id: '401', amountMicros: 50_000_000n, explicitlyShared: false },
      { id: '402', amountMicros: 80_000_000n, explicitlyShared: false },
      { id: '403', amountMicros: 12_340_000n, explicitlyShared: false },
    ],
    campaigns: [
      { id: '301', name: 'Brand', status: 'ENABLED', budgetId: '401', bidding: { type: 'MANUAL_CPC' } },
      { id: '302', name: 'Generic', status: 'ENABLED', budgetId: '402', bidding: { type: 'TARGET_CPA', targetCpaMicros: 15_000_000n } },
      { id: '303', name: 'Competitors', status: 'PAUSED', budgetId: '403', bidding: { type: 'MANUAL_CPC' } },
    ],
    metrics: Array.from({ length: 20 }, (_, d) =>
      ids.map((campaignId, k) => ({
        campaignId,
        date: addDays(end, d - 19),
        costMicros: 10_100_000n * BigInt(d + 1) + 333_333n * BigInt(k + 1),
        impressions: 1000 * (d + 1) + k,
        clicks: 10 * (d + 1) + k,
        conversions: (d + k) % 5,
        conversionsValue: Number(cents(1_010 * (d + 1) + 7 * k)),
      })),
    ).flat(),
  };
}

/** Meta: three CBO campaigns with daily budgets in cents, 35 days of insights ending `end`. */
function seedMeta(fake: FakeMetaGraph, end: IsoDate, token: string): void {
  fake.validTokens.add(token);
  fake.reportPolls = 1; // long ranges go through an async report run: one "running" answer, then done
  fake.accounts.set(META_ACCOUNT, { id: META_ACCOUNT, name: 'Mixed – Meta Shop', currency: 'EUR', timezone_name: 'Europe/Berlin', account_status: 1 });
  const ids = ['120001', '120002', '120003'];
  ids.forEach((id, k) =>
    fake.campaigns.set(id, {
      id,
      account_id: META_ACCOUNT,
      name: `Meta campaign ${k + 1}`,
      status: 'ACTIVE',
      daily_budget: String(2_500 + 1_000 * k),
      bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
    }),
  );
  for (let d = 0; d < 35; d++)
    ids.forEach((campaign_id, k) => {
      const purchases = (d + k) % 4;
      fake.insights.push({
        account_id: META_ACCOUNT,
        campaign_id,
        date: addDays(end, d - 34),
        spend: cents(1_000 + ((d * 731 + k * 17) % 5_000)),
        impressions: 1_000 + d * 10 + k,
        clicks: 20 + ((d + k) % 9),
        actions: [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: String(purchases) }],
        action_values: [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: cents(purchases * 3_010 + d) }],
      });
    });
}

export interface PlatformFakes {
  google: FakeGoogleAds;
  meta: FakeMetaGraph;
  tiktok: FakeTikTok;
  linkedin: FakeLinkedIn;
  proxies: Record<PlatformKind, LoopbackProxy>;
  connect: Record<PlatformKind, ConnectInput>;
  expected(platform: PlatformKind): Expected;
  close(): Promise<void>;
}

/** The four fakes, seeded with data ending `end`, each behind a recording proxy. */
export async function startPlatformFakes(end: IsoDate): Promise<PlatformFakes> {
  const google = await FakeGoogleAds.start({ customers: [googleCustomer(end)], accessTokens: ['ya29.mixed-initial'], pageRows: 25 });
  const meta = await new FakeMetaGraph().start();
  seedMeta(meta, end, 'EAAB-mixed-token-0123456789');
  const tiktok = await FakeTikTok.start(tiktokFixture(25, end), 'tt-mixed-token');
  const linkedin = await FakeLinkedIn.start(linkedinFixture(15, end), 'li-mixed-token');
  linkedin.refreshTokens.add('li-mixed-refresh');

  const proxies = {
    google_ads: await LoopbackProxy.start(google.url),
    meta: await LoopbackProxy.start(meta.url),
    tiktok: await LoopbackProxy.start(tiktok.baseUrl),
    linkedin: await LoopbackProxy.start(linkedin.origin),
  };
  const connect: Record<PlatformKind, ConnectInput> = {
    google_ads: {
      platform: 'google_ads',
      externalId: '444-555-6667',
      secrets: {
        developerToken: 'dev-token-fake',
        clientId: 'client-id.apps.googleusercontent.com',
        clientSecret: 'client-secret',
        refreshToken: '1//refresh-token',
        accessToken: 'ya29.mixed-initial',
      },
      options: { baseUrl: proxies.google_ads.via(google.url), tokenUrl: proxies.google_ads.via(google.tokenUrl) },
    },
    meta: {
      platform: 'meta',
      externalId: META_ACCOUNT,
      secrets: { accessToken: 'EAAB-mixed-token-0123456789' },
      options: { baseUrl: proxies.meta.via(meta.url) },
    },
    tiktok: {
      platform: 'tiktok',
      externalId: TIKTOK_ADVERTISER,
      secrets: { accessToken: 'tt-mixed-token' },
      options: {
        baseUrl: proxies.tiktok.via(tiktok.baseUrl),
        tokenUrl: proxies.tiktok.via(tiktok.tokenUrl),
        conversionMetrics: { conversions: 'complete_payment', conversionValue: 'total_complete_payment_rate' },
      },
    },
    linkedin: {
      platform: 'linkedin',
      externalId: LINKEDIN_ACCOUNT,
      secrets: { accessToken: 'li-mixed-token', refreshToken: 'li-mixed-refresh', clientId: linkedin.client.id, clientSecret: linkedin.client.secret },
      options: { baseUrl: proxies.linkedin.via(linkedin.baseUrl), tokenUrl: proxies.linkedin.via(linkedin.tokenUrl) },
    },
  };

  type Row = { spend: string | number; conversions: string | number; value: string | number };
  const sums = (rows: Row[], campaigns: number): Expected => {
    const total = (k: keyof Row) => sumMoney(rows.map((r) => parseMoney(String(r[k]))));
    return { campaigns, rows: rows.length, spend: total('spend'), conversions: total('conversions'), value: total('value') };
  };
  function expected(platform: PlatformKind): Expected {
    switch (platform) {
      case 'google_ads': {
        const c = google.customer(GOOGLE_CUSTOMER);
        const rows = c.metrics.map((m) => ({ spend: toDecimalString(m.costMicros), conversions: m.conversions, value: m.conversionsValue }));
        return sums(rows, c.campaigns.length);
      }
      case 'meta':
        return sums(
          meta.insights.map((r) => ({ spend: r.spend, conversions: r.actions?.[0]?.value ?? '0', value: r.action_values?.[0]?.value ?? '0' })),
          [...meta.campaigns.values()].filter((c) => c.account_id === META_ACCOUNT).length,
        );
      case 'tiktok': // connected with complete_payment as its conversions
        return sums(
          tiktok.state.metrics.map((r) => ({ spend: r.spend, conversions: r.complete_payment ?? '0', value: r.total_complete_payment_rate })),
          tiktok.state.campaigns.length,
        );
      case 'linkedin':
        return sums(
          linkedin.state.analytics.map((r) => ({
            spend: r.costInLocalCurrency,
            conversions: r.externalWebsiteConversions,
            value: r.conversionValueInLocalCurrency,
          })),
          linkedin.state.campaigns.length,
        );
    }
  }

  return {
    google,
    meta,
    tiktok,
    linkedin,
    proxies,
    connect,
    expected,
    async close() {
      await Promise.all([...Object.values(proxies).map((p) => p.close()), google.close(), meta.close(), tiktok.close(), linkedin.close()]);
    },
  };
}
