// The TikTok connector's real client code against the loopback fake of the Marketing API v1.3 (fake-server.ts):
// paging, the 30-day report windows, exact sums, budgets at campaign and ad-group level, status, bids, the
// error-in-HTTP-200 envelope with each mapped code, token refresh, 5xx and timeouts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { todayIn } from '../../core/dates.js';
import { parseMoney, sumMoney, toDecimalString } from '../../core/money.js';
import { rateLimitCleared } from '../http.js';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import type { Connector, MetricRow } from '../types.js';
import type { TikTokSecrets } from './client.js';
import { FakeTikTok, tiktokFixture } from './fake-server.js';
import { createTikTokConnector } from './index.js';

const ADV = '7000000000000000001';
const C1 = '1800000000000000001'; // daily campaign budget 50, target CPA 12.50
const C2 = '1800000000000000002'; // budget on two ad groups (30 + 10), bid cap 0.80
const C3 = '1800000000000000003'; // paused, lifetime budget, lowest-cost bidding

let fake: FakeTikTok;
let refreshed: TikTokSecrets[];

function connector(secrets: Partial<TikTokSecrets> = {}, timeoutMs = 5_000): Connector {
  return createTikTokConnector({
    accountExternalId: ADV,
    secrets: { accessToken: 'tt-token-1', ...secrets },
    baseUrl: fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    timeoutMs,
    onSecretsRefreshed: async (s) => void refreshed.push(s),
  });
}

async function allRows(c: Connector, ids: string[] | 'all', from: string, to: string, pageSize?: number): Promise<{ rows: MetricRow[]; pages: number }> {
  const rows: MetricRow[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await c.getMetrics(ids, { from, to }, { pageToken, pageSize });
    rows.push(...page.rows);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken);
  return { rows, pages };
}

beforeEach(async () => {
  rateLimitCleared(`tiktok:${ADV}`);
  fake = await FakeTikTok.start();
  refreshed = [];
});
afterEach(async () => {
  await fake.close();
});

describe('TikTok connector against the loopback Marketing API fake', () => {
  it('authenticates: advertiser name, currency and IANA time zone from advertiser/info, Access-Token header sent', async () => {
    const a = await connector().authenticate();
    expect(a).toEqual({ externalId: ADV, name: 'Acme Shop EU', currency: 'EUR', timeZone: 'Europe/Berlin', today: todayIn('Europe/Berlin') });
    const call = fake.apiCalls('advertiser/info/')[0]!;
    expect(call.headers['access-token']).toBe('tt-token-1');
    expect(JSON.parse(call.query.get('advertiser_ids')!)).toEqual([ADV]);
  });

  it('lists campaigns over several pages with budgets at campaign or ad-group level and shared bids', async () => {
    fake.pageSizeCap = 1;
    const list = await connector().listCampaigns();
    expect(list).toEqual([
      { externalId: C1, name: 'Prospecting', status: 'ACTIVE', dailyBudget: '50.00', bidTarget: { kind: 'target_cpa', value: '12.50' } },
      { externalId: C2, name: 'Retargeting', status: 'ACTIVE', dailyBudget: '40.00', bidTarget: { kind: 'bid_cap', value: '0.80' } },
      { externalId: C3, name: 'Launch burst', status: 'PAUSED', dailyBudget: null, bidTarget: null },
    ]);
    expect(fake.apiCalls('campaign/get/').map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(fake.apiCalls('adgroup/get/')).toHaveLength(4);
  });

  it('reads 75 days of metrics in 30-day windows over several pages; sums are exact', async () => {
    const { rows, pages } = await allRows(connector(), 'all', '2026-09-17', '2026-11-30', 50);
    const want = fake.state.metrics;
    expect(rows).toHaveLength(want.length);
    expect(new Set(rows.map((r) => `${r.campaignExternalId}/${r.date}`)).size).toBe(want.length);
    expect(toDecimalString(sumMoney(rows.map((r) => parseMoney(r.spend))))).toBe(toDecimalString(sumMoney(want.map((m) => parseMoney(m.spend)))));
    expect(toDecimalString(sumMoney(rows.map((r) => parseMoney(r.conversionValue))))).toBe(
      toDecimalString(sumMoney(want.map((m) => parseMoney(m.total_complete_payment_rate)))),
    );
    expect(rows.reduce((s, r) => s + r.impressions, 0)).toBe(want.reduce((s, m) => s + m.impressions, 0));
    const windows = fake.apiCalls('report/integrated/get/').map((r) => `${r.query.get('start_date')}..${r.query.get('end_date')}`);
    expect([...new Set(windows)]).toEqual(['2026-09-17..2026-10-16', '2026-10-17..2026-11-15', '2026-11-16..2026-11-30']);
    expect(pages).toBe(5); // 90 + 90 + 45 rows at 50 a page: 2 + 2 + 1
    const first = fake.apiCalls('report/integrated/get/')[0]!.query;
    expect([first.get('report_type'), first.get('data_level'), first.get('dimensions')]).toEqual([
      'BASIC',
      'AUCTION_CAMPAIGN',
      '["campaign_id","stat_time_day"]',
    ]);
    expect(rows[0]).toEqual({
      campaignExternalId: C1,
      date: '2026-09-17',
      impressions: 10_000,
      clicks: 150,
      spend: '30.000000',
      conversions: '3.000000',
      conversionValue: '90.000000',
    });
  });

  it('counts the per-account conversion metrics when configured (complete_payment instead of conversion)', async () => {
    const c = createTikTokConnector({
      accountExternalId: ADV,
      secrets: { accessToken: 'tt-token-1' },
      baseUrl: fake.baseUrl,
      conversionMetrics: { conversions: 'complete_payment', conversionValue: 'total_complete_payment_rate' },
    });
    const page = await c.getMetrics([C1], { from: '2026-11-30', to: '2026-11-30' });
    const day = fake.state.metrics.find((m) => m.campaign_id === C1 && m.date === '2026-11-30')!;
    expect(page.rows[0]!.conversions).toBe(toDecimalString(parseMoney(day.complete_payment!)));
    expect(JSON.parse(fake.apiCalls('report/integrated/get/')[0]!.query.get('metrics')!)).toEqual([
      'spend',
      'impressions',
      'clicks',
      'complete_payment',
      'total_complete_payment_rate',
    ]);
  });

  it('filters metrics by campaign ids; an empty id list asks nothing', async () => {
    const { rows } = await allRows(connector(), [C2], '2026-11-01', '2026-11-30');
    expect(new Set(rows.map((r) => r.campaignExternalId))).toEqual(new Set([C2]));
    expect(rows).toHaveLength(30);
    const filter = JSON.parse(fake.apiCalls('report/integrated/get/')[0]!.query.get('filtering')!);
    expect(filter).toEqual([{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: `["${C2}"]` }]);
    const calls = fake.requests.length;
    expect(await connector().getMetrics([], { from: '2026-11-01', to: '2026-11-30' })).toEqual({ rows: [] });
    expect(fake.requests.length).toBe(calls);
  });

  it('updates a campaign-level daily budget with read-back; already at target → applied false, nothing written', async () => {
    const c = connector();
    const r = await c.updateBudget(C1, '65.5', 'key-1');
    expect(r).toMatchObject({ campaignExternalId: C1, applied: true, before: { dailyBudget: '50.00' }, after: { dailyBudget: '65.50' } });
    expect(fake.apiCalls('campaign/update/')[0]!.body).toEqual({ advertiser_id: ADV, campaign_id: C1, budget: 65.5 });
    const again = await c.updateBudget(C1, '65.50', 'key-2');
    expect(again).toMatchObject({ applied: false, before: { dailyBudget: '65.50' }, after: { dailyBudget: '65.50' } });
    expect(fake.apiCalls('campaign/update/')).toHaveLength(1);
  });

  it('updates a budget that lives on ad groups by splitting it exactly in proportion; lifetime budgets are refused', async () => {
    const r = await connector().updateBudget(C2, '50', 'key-1');
    expect(r).toMatchObject({ applied: true, before: { dailyBudget: '40.00' }, after: { dailyBudget: '50.00' } });
    expect(fake.state.adgroups.filter((g) => g.campaign_id === C2).map((g) => g.budget)).toEqual([37.5, 12.5]);
    expect(fake.apiCalls('campaign/update/')).toHaveLength(0);
    await expect(connector().updateBudget(C3, '20', 'key-2')).rejects.toThrow(ValidationError);
    await expect(connector().updateBudget(C1, '-5', 'key-3')).rejects.toThrow(ValidationError);
  });

  it('a partial failure while splitting over ad groups says so; a retry reaches the total', async () => {
    fake.failOn = { path: 'adgroup/update/', skip: 1, code: 50000, message: 'System error.' };
    const err = (await connector()
      .updateBudget(C2, '60', 'k1')
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/partially applied: 1 of 2 ad-group budgets/);
    expect(fake.state.adgroups.filter((g) => g.campaign_id === C2).map((g) => g.budget)).toEqual([45, 10]);
    expect(await connector().updateBudget(C2, '60', 'k1')).toMatchObject({ applied: true, before: { dailyBudget: '55.00' }, after: { dailyBudget: '60.00' } });
  });

  it('the fake refuses calls without the Access-Token header, as TikTok does (code 40104 in HTTP 200)', async () => {
    const res = await fetch(`${fake.baseUrl}/advertiser/info/?advertiser_ids=["${ADV}"]`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 40104, message: 'Access token is null, you should set it in http header.' });
  });

  it('a platform message that echoes a secret is masked in our error', async () => {
    fake.codeQueue.push({ code: 40002, message: 'Invalid param Access-Token=tt-token-1' });
    await expect(connector().authenticate()).rejects.toThrow('Invalid param Access-Token=*** (code 40002');
  });

  it('pauses and resumes with campaign/status/update; already paused → applied false', async () => {
    const c = connector();
    expect(await c.pauseCampaign(C1, 'k1')).toMatchObject({ applied: true, before: { status: 'ACTIVE' }, after: { status: 'PAUSED' } });
    expect(fake.apiCalls('campaign/status/update/')[0]!.body).toEqual({ advertiser_id: ADV, campaign_ids: [C1], operation_status: 'DISABLE' });
    expect(await c.resumeCampaign(C1, 'k2')).toMatchObject({ applied: true, after: { status: 'ACTIVE' } });
    expect(await c.pauseCampaign(C3, 'k3')).toMatchObject({ applied: false, after: { status: 'PAUSED' } });
    await expect(c.pauseCampaign('1800000000000000999', 'k4')).rejects.toThrow(NotFoundError);
  });

  it('changes bid targets on every ad group of the campaign (conversion_bid_price / bid_price)', async () => {
    const c = connector();
    expect(await c.updateBidTarget!(C1, { kind: 'target_cpa', value: '14' }, 'k1')).toMatchObject({
      applied: true,
      before: { bidTarget: { kind: 'target_cpa', value: '12.50' } },
      after: { bidTarget: { kind: 'target_cpa', value: '14.00' } },
    });
    expect(await c.updateBidTarget!(C2, { kind: 'bid_cap', value: '0.95' }, 'k2')).toMatchObject({ after: { bidTarget: { kind: 'bid_cap', value: '0.95' } } });
    expect(fake.state.adgroups.filter((g) => g.campaign_id === C2).map((g) => g.bid_price)).toEqual([0.95, 0.95]);
    expect(await c.updateBidTarget!(C2, { kind: 'bid_cap', value: '0.95' }, 'k3')).toMatchObject({ applied: false });
    await expect(c.updateBidTarget!(C3, { kind: 'bid_cap', value: '1' }, 'k4')).rejects.toThrow(ValidationError);
    await expect(c.updateBidTarget!(C1, { kind: 'bid_cap', value: '1' }, 'k5')).rejects.toThrow(/bids with target_cpa/);
  });

  describe('error codes inside HTTP 200', () => {
    const cases: [number, string, new (...a: never[]) => Error][] = [
      [40100, 'Requests made too frequently.', RateLimitError],
      [40133, 'Too many requests for this advertiser.', RateLimitError],
      [40016, 'Requests made too frequently.', RateLimitError],
      [40102, 'Requests made too frequently for a certain field value.', RateLimitError],
      [40001, 'No permission to operate advertiser.', AuthError],
      [40105, 'Access token is incorrect or has been revoked.', AuthError],
      [40104, 'Access token is null.', AuthError],
      [40000, 'Invalid params.', ValidationError],
      [40002, 'page_size: Must be between 1 and 1000.', ValidationError],
      [40006, 'Object does not exist.', ValidationError],
      [50000, 'System error.', TransientError],
      [51021, 'Internal service error.', TransientError],
      [60001, 'The system is in maintenance.', TransientError],
    ];
    it.each(cases)('code %i → %s', async (code, message, type) => {
      fake.codeQueue.push({ code, message });
      const err = await connector()
        .authenticate()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toContain(`code ${code}`);
      if (type === RateLimitError) expect((err as RateLimitError).retryAfterMs).toBe(1_000);
    });
  });

  it('backs off on consecutive rate limits (TikTok gives no delay): 1 s, 2 s across fresh connectors, success resets', async () => {
    // A connector is built per activity attempt: the count is kept per advertiser for the process.
    fake.codeQueue.push({ code: 40100, message: 'Requests made too frequently.' }, { code: 40100, message: 'Requests made too frequently.' });
    await expect(connector().authenticate()).rejects.toMatchObject({ retryAfterMs: 1_000 });
    await expect(connector().authenticate()).rejects.toMatchObject({ retryAfterMs: 2_000 });
    await expect(connector().authenticate()).resolves.toMatchObject({ currency: 'EUR' });
    fake.codeQueue.push({ code: 40100, message: 'Requests made too frequently.' });
    await expect(connector().authenticate()).rejects.toMatchObject({ retryAfterMs: 1_000 });
  });

  it('an expired token is refreshed once at the refresh endpoint, the call retried and the rotated secrets handed back', async () => {
    fake.refreshTokens.add('rt-1');
    fake.expireToken('tt-token-1');
    const c = connector({ appId: 'app-1', secret: 'app-secret-1', refreshToken: 'rt-1' });
    expect((await c.listCampaigns()).length).toBe(3);
    expect(refreshed).toEqual([{ accessToken: 'tt-token-refreshed-1', appId: 'app-1', secret: 'app-secret-1', refreshToken: 'tt-refresh-rotated-1' }]);
    const refresh = fake.requests.find((r) => r.path === 'tt_user/oauth2/refresh_token/')!;
    expect(refresh.body).toEqual({ client_id: 'app-1', client_secret: 'app-secret-1', grant_type: 'refresh_token', refresh_token: 'rt-1' });
    expect(fake.requests.filter((r) => r.path === 'tt_user/oauth2/refresh_token/')).toHaveLength(1);
  });

  it('a refused refresh → AuthError with TikTok’s reason and no secret in the message', async () => {
    fake.expireToken('tt-token-1');
    const err = (await connector({ appId: 'app-1', secret: 'app-secret-1', refreshToken: 'rt-unknown' })
      .authenticate()
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/refresh failed: The refresh_token has expired or is invalid/);
    for (const secret of ['rt-unknown', 'app-secret-1', 'tt-token-1']) expect(err.message).not.toContain(secret);
    expect(refreshed).toEqual([]);
  });

  it('a long-term advertiser token that is rejected (no refresh token) → AuthError asking to authorise again', async () => {
    fake.expireToken('tt-token-1');
    await expect(connector().authenticate()).rejects.toThrow(/authorise MBO again/);
    expect(fake.requests.some((r) => r.path.startsWith('tt_user/'))).toBe(false);
  });

  it('HTTP 5xx → TransientError; a hang past timeoutMs → TransientError', async () => {
    fake.serverErrors = 1;
    await expect(connector().authenticate()).rejects.toThrow(TransientError);
    fake.hangs = 1;
    const t0 = Date.now();
    await expect(connector({}, 300).authenticate()).rejects.toThrow(/no answer within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('an empty advertiser: no campaigns, no metric rows, no next page', async () => {
    await fake.close();
    fake = await FakeTikTok.start({ ...tiktokFixture(0), campaigns: [], adgroups: [] });
    expect(await connector().listCampaigns()).toEqual([]);
    expect(await connector().getMetrics('all', { from: '2026-11-01', to: '2026-11-30' })).toEqual({ rows: [] });
  });

  it('refuses a page token from another query', async () => {
    await expect(connector().getMetrics('all', { from: '2026-11-01', to: '2026-11-30' }, { pageToken: '5.0.1' })).rejects.toThrow(ValidationError);
  });
});
