// The LinkedIn connector's real client code against the loopback fake of the versioned Marketing API
// (fake-server.ts): required headers, Rest.li 2.0 encoding, cursor paging, adAnalytics windows, query tunnelling
// for long campaign lists, partial updates with read-back, 401 → refresh, 429 without Retry-After, 5xx, timeouts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { todayIn } from '../../core/dates.js';
import { parseMoney, sumMoney, toDecimalString } from '../../core/money.js';
import { rateLimitCleared } from '../http.js';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import type { Connector, MetricRow } from '../types.js';
import type { LinkedInSecrets } from './client.js';
import { FakeLinkedIn, linkedinFixture } from './fake-server.js';
import { createLinkedInConnector, LINKEDIN_VERSION } from './index.js';

const ACC = '508000001';
const MANUAL = '610000001'; // CPC, daily 120.00, manual bid 8.50
const CAP = '610000002'; // daily 80, cost cap 95.00
const LIFETIME = '610000003'; // paused, total budget only, automated bidding
const ARCHIVED = '610000004';

let fake: FakeLinkedIn;
let refreshed: LinkedInSecrets[];

function connector(secrets: Partial<LinkedInSecrets> = {}, extra: { timeoutMs?: number; version?: string; analyticsElementLimit?: number } = {}): Connector {
  return createLinkedInConnector({
    accountExternalId: ACC,
    secrets: { accessToken: 'li-token-1', ...secrets },
    baseUrl: fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    timeoutMs: extra.timeoutMs ?? 5_000,
    version: extra.version,
    analyticsElementLimit: extra.analyticsElementLimit,
    onSecretsRefreshed: async (s) => void refreshed.push(s),
  });
}

async function allRows(c: Connector, ids: string[] | 'all', from: string, to: string): Promise<{ rows: MetricRow[]; pages: number }> {
  const rows: MetricRow[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await c.getMetrics(ids, { from, to }, { pageToken });
    rows.push(...page.rows);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken);
  return { rows, pages };
}

const refreshSecrets = { refreshToken: 'li-refresh-1', clientId: 'li-client-1', clientSecret: 'li-client-secret-1' };

beforeEach(async () => {
  rateLimitCleared(`linkedin:${ACC}`);
  fake = await FakeLinkedIn.start();
  refreshed = [];
});
afterEach(async () => {
  await fake.close();
});

describe('LinkedIn connector against the loopback Marketing API fake', () => {
  it('authenticates: account name and currency; time zone UTC (LinkedIn reports by UTC day); versioned headers sent', async () => {
    expect(await connector().authenticate()).toEqual({ externalId: ACC, name: 'Acme B2B', currency: 'USD', timeZone: 'UTC', today: todayIn('UTC') });
    const h = fake.apiCalls('adAccounts')[0]!.headers;
    expect([h['linkedin-version'], h['x-restli-protocol-version'], h.authorization]).toEqual([LINKEDIN_VERSION, '2.0.0', 'Bearer li-token-1']);
  });

  it('lists campaigns through the search finder with cursor paging (pageToken / metadata.nextPageToken)', async () => {
    fake.pageSizeCap = 1;
    expect(await connector().listCampaigns()).toEqual([
      { externalId: MANUAL, name: 'ABM – Enterprise', status: 'ACTIVE', dailyBudget: '120.00', bidTarget: { kind: 'bid', value: '8.50' } },
      { externalId: CAP, name: 'Lead gen – Mid-market', status: 'ACTIVE', dailyBudget: '80.00', bidTarget: { kind: 'cost_cap', value: '95.00' } },
      { externalId: LIFETIME, name: 'Webinar push', status: 'PAUSED', dailyBudget: null, bidTarget: null },
      { externalId: ARCHIVED, name: 'Old brand campaign', status: 'REMOVED', dailyBudget: '50.00', bidTarget: null },
    ]);
    const calls = fake.apiCalls(`adAccounts/${ACC}/adCampaigns`);
    expect(calls).toHaveLength(4);
    expect(calls[0]!.query).toBe('q=search&search=(status:(values:List(ACTIVE,PAUSED,DRAFT,ARCHIVED,COMPLETED,CANCELED)))&pageSize=100');
    expect(calls[1]!.query).toMatch(/&pageToken=[A-Za-z0-9_-]+%3D%3D$/);
  });

  it('reads 45 days of daily analytics in two 30-day windows; Rest.li dateRange; exact sums', async () => {
    const { rows, pages } = await allRows(connector(), 'all', '2026-10-17', '2026-11-30');
    expect(pages).toBe(2);
    const want = fake.state.analytics;
    expect(rows).toHaveLength(want.length);
    expect(toDecimalString(sumMoney(rows.map((r) => parseMoney(r.spend))))).toBe(toDecimalString(sumMoney(want.map((d) => parseMoney(d.costInLocalCurrency)))));
    expect(toDecimalString(sumMoney(rows.map((r) => parseMoney(r.conversionValue))))).toBe(
      toDecimalString(sumMoney(want.map((d) => parseMoney(d.conversionValueInLocalCurrency)))),
    );
    const q = fake.apiCalls('adAnalytics')[0]!.query;
    expect(q).toBe(
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2026,month:10,day:17),end:(year:2026,month:11,day:15))' +
        `&accounts=List(urn%3Ali%3AsponsoredAccount%3A${ACC})&fields=costInLocalCurrency,impressions,clicks,externalWebsiteConversions,conversionValueInLocalCurrency,dateRange,pivotValues`,
    );
    expect(rows[0]).toMatchObject({ campaignExternalId: MANUAL, date: '2026-10-17', spend: '70.000000', conversions: '0.000000' });
  });

  it('an analytics answer cut at the element limit is asked again in halves until complete', async () => {
    fake.analyticsElementLimit = 40; // 30 days × 3 campaigns = 90 elements would be cut
    const { rows } = await allRows(connector({}, { analyticsElementLimit: 40 }), 'all', '2026-10-17', '2026-11-30');
    expect(rows).toHaveLength(fake.state.analytics.length);
    expect(fake.apiCalls('adAnalytics').length).toBeGreaterThan(2);
    expect(new Set(rows.map((r) => `${r.campaignExternalId}/${r.date}`)).size).toBe(fake.state.analytics.length);
  });

  it('a long campaign list goes through query tunnelling (POST + X-HTTP-Method-Override: GET, query in the body)', async () => {
    await fake.close();
    fake = await FakeLinkedIn.start(linkedinFixture(3, '2026-11-30', 250));
    const ids = fake.state.campaigns.map((c) => String(c.id));
    const { rows, pages } = await allRows(connector(), ids, '2026-11-28', '2026-11-30');
    expect(pages).toBe(2); // 254 campaigns in chunks of 200
    expect(rows).toHaveLength(fake.state.analytics.length);
    const calls = fake.apiCalls('adAnalytics');
    expect(calls.map((c) => c.tunnelled)).toEqual([true, false]); // 200 URNs pass 4 KB, 54 do not
    const t = calls[0]!;
    expect([t.method, t.path, t.headers['x-http-method-override'], t.headers['content-type']]).toEqual([
      'POST',
      '/rest/adAnalytics',
      'GET',
      'application/x-www-form-urlencoded',
    ]);
    expect(t.query).toContain('campaigns=List(urn%3Ali%3AsponsoredCampaign%3A610000001,');
    expect(t.urlBytes).toBeLessThan(100);
    // The fake refuses the same query as a plain GET, as LinkedIn does.
    const plain = await fetch(`${fake.baseUrl}/adAnalytics?${t.query}`, {
      headers: { Authorization: 'Bearer li-token-1', 'LinkedIn-Version': LINKEDIN_VERSION },
    });
    expect(plain.status).toBe(414);
  });

  it('updates the daily budget by PARTIAL_UPDATE with read-back; already at target → applied false, nothing written', async () => {
    const c = connector();
    const r = await c.updateBudget(MANUAL, '150', 'k1');
    expect(r).toMatchObject({ applied: true, before: { dailyBudget: '120.00' }, after: { dailyBudget: '150.00' } });
    const post = fake.apiCalls(`adAccounts/${ACC}/adCampaigns/${MANUAL}`).find((x) => x.method === 'POST')!;
    expect(post.headers['x-restli-method']).toBe('PARTIAL_UPDATE');
    expect(JSON.parse(post.body)).toEqual({ patch: { $set: { dailyBudget: { amount: '150.00', currencyCode: 'USD' } } } });
    expect(await c.updateBudget(CAP, '80.00', 'k2')).toMatchObject({ applied: false, after: { dailyBudget: '80.00' } });
    expect(fake.apiCalls().filter((x) => x.method === 'POST')).toHaveLength(1);
    await expect(c.updateBudget(LIFETIME, '40', 'k3')).rejects.toThrow(ValidationError);
    await expect(c.updateBudget('619999999', '40', 'k4')).rejects.toThrow(NotFoundError);
  });

  it('pauses and resumes by status patch; archived campaigns are refused', async () => {
    const c = connector();
    expect(await c.pauseCampaign(MANUAL, 'k1')).toMatchObject({ applied: true, before: { status: 'ACTIVE' }, after: { status: 'PAUSED' } });
    expect(await c.pauseCampaign(MANUAL, 'k2')).toMatchObject({ applied: false });
    expect(await c.resumeCampaign(MANUAL, 'k3')).toMatchObject({ applied: true, after: { status: 'ACTIVE' } });
    await expect(c.resumeCampaign(ARCHIVED, 'k4')).rejects.toThrow(/ARCHIVED/);
  });

  it('changes the bid through unitCost; automated bidding and a different bid kind are refused', async () => {
    const c = connector();
    expect(await c.updateBidTarget!(MANUAL, { kind: 'bid', value: '9.25' }, 'k1')).toMatchObject({
      applied: true,
      before: { bidTarget: { kind: 'bid', value: '8.50' } },
      after: { bidTarget: { kind: 'bid', value: '9.25' } },
    });
    expect(await c.updateBidTarget!(CAP, { kind: 'cost_cap', value: '90' }, 'k2')).toMatchObject({
      after: { bidTarget: { kind: 'cost_cap', value: '90.00' } },
    });
    await expect(c.updateBidTarget!(LIFETIME, { kind: 'bid', value: '5' }, 'k3')).rejects.toThrow(/bids automatically/);
    await expect(c.updateBidTarget!(MANUAL, { kind: 'cost_cap', value: '5' }, 'k4')).rejects.toThrow(/bids with bid/);
  });

  it('401 → one refresh at the OAuth endpoint (grant_type=refresh_token) → the call succeeds; new secrets handed back', async () => {
    fake.refreshTokens.add('li-refresh-1');
    fake.expireToken('li-token-1');
    const c = connector(refreshSecrets);
    await Promise.all([c.authenticate(), c.listCampaigns()]);
    expect(refreshed).toEqual([{ accessToken: 'li-token-refreshed-1', ...refreshSecrets }]);
    const tokenCalls = fake.requests.filter((r) => r.path === '/oauth/v2/accessToken');
    expect(tokenCalls).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokenCalls[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'li-refresh-1',
      client_id: 'li-client-1',
      client_secret: 'li-client-secret-1',
    });
  });

  it('a refused refresh → AuthError with LinkedIn’s reason and no secret; no refresh token → AuthError at once', async () => {
    fake.expireToken('li-token-1');
    const err = (await connector(refreshSecrets)
      .authenticate()
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/invalid_grant/);
    for (const s of ['li-refresh-1', 'li-client-secret-1', 'li-token-1']) expect(err.message).not.toContain(s);
    await expect(connector().authenticate()).rejects.toThrow(/EXPIRED_ACCESS_TOKEN.*authorise MBO again/);
    expect(refreshed).toEqual([]);
  });

  it('429 without Retry-After → RateLimitError with our exponential backoff; a Retry-After is honoured', async () => {
    const c = connector();
    fake.rateLimits = 3;
    await expect(c.authenticate()).rejects.toSatisfy((e: unknown) => e instanceof RateLimitError && e.retryAfterMs === 1_000);
    await expect(c.authenticate()).rejects.toMatchObject({ retryAfterMs: 2_000 });
    await expect(connector().authenticate()).rejects.toMatchObject({ retryAfterMs: 4_000 }); // a fresh connector (next activity attempt) continues
    await expect(c.authenticate()).resolves.toMatchObject({ currency: 'USD' });
    fake.rateLimits = 1;
    fake.retryAfterSeconds = 7;
    await expect(c.authenticate()).rejects.toMatchObject({ retryAfterMs: 7_000 });
  });

  it('version header missing → the fake’s 400 VERSION_MISSING; an inactive version → 426 NONEXISTENT_VERSION; both ValidationError', async () => {
    const raw = await fetch(`${fake.baseUrl}/adAccounts/${ACC}`, { headers: { Authorization: 'Bearer li-token-1', 'X-Restli-Protocol-Version': '2.0.0' } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    });
    await expect(connector({}, { version: '' }).authenticate()).rejects.toThrow(/HTTP 400 A version must be present.*\(VERSION_MISSING\)/);
    const sunset = await connector({}, { version: '202401' })
      .authenticate()
      .catch((e: unknown) => e);
    expect(sunset).toBeInstanceOf(ValidationError);
    expect((sunset as Error).message).toMatch(/426 Requested version 202401 is not active \(NONEXISTENT_VERSION\)/);
  });

  it('5xx → TransientError; a hang past timeoutMs → TransientError', async () => {
    fake.serverErrors = 1;
    await expect(connector().listCampaigns()).rejects.toThrow(TransientError);
    fake.hangs = 1;
    await expect(connector({}, { timeoutMs: 300 }).authenticate()).rejects.toThrow(/no answer within 300 ms/);
  });

  it('an empty account: no campaigns, no analytics rows', async () => {
    await fake.close();
    fake = await FakeLinkedIn.start({ ...linkedinFixture(0), campaigns: [] });
    expect(await connector().listCampaigns()).toEqual([]);
    expect(await allRows(connector(), 'all', '2026-11-01', '2026-11-30')).toEqual({ rows: [], pages: 1 });
    expect(await connector().getMetrics([], { from: '2026-11-01', to: '2026-11-30' })).toEqual({ rows: [] });
  });
});
