// The Meta connector (real facebook-nodejs-business-sdk, real connector code) against the loopback Graph API fake.
// Nothing is mocked: the SDK's transport (axios) sends real HTTP to 127.0.0.1, pointed there by the connector's
// own base URL, not by patching the SDK's global GRAPH getter.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.js';
import { parseMoney, sumMoney, toDecimalString } from '../../core/money.js';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import type { Connector, MetricRow } from '../types.js';
import { FakeMetaGraph, type FakeInsightDay } from './fake-server.js';
import { createMetaConnector, type MetaConnectorOptions } from './index.js';

const TOKEN = 'EAAB-test-token-0123456789';
const ACT = '1001';

let fake: FakeMetaGraph;

beforeEach(async () => {
  fake = await new FakeMetaGraph().start();
  fake.validTokens.add(TOKEN);
  fake.accounts.set(ACT, { id: ACT, name: 'Shop DE', currency: 'EUR', timezone_name: 'Europe/Berlin', account_status: 1 });
});

afterEach(async () => {
  await fake.close();
});

function connector(extra: Partial<MetaConnectorOptions> = {}): Connector {
  return createMetaConnector({
    accountExternalId: `act_${ACT}`,
    secrets: { accessToken: TOKEN },
    baseUrl: fake.url,
    timeoutMs: 2_000,
    asyncPollIntervalMs: 5,
    ...extra,
  });
}

/** A CBO campaign, an ad-set-budget campaign with one ad set (cost cap), one with two ad sets, one with a lifetime budget. */
function seedMixedAccount(account = ACT) {
  fake.campaigns.set('2001', {
    id: '2001',
    account_id: account,
    name: 'CBO prospecting',
    status: 'ACTIVE',
    daily_budget: '5000',
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
  });
  fake.adSets.set('3001', {
    id: '3001',
    account_id: account,
    campaign_id: '2001',
    name: 'DE 25-44',
    status: 'ACTIVE',
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
  });
  fake.adSets.set('3002', {
    id: '3002',
    account_id: account,
    campaign_id: '2001',
    name: 'AT 25-44',
    status: 'ACTIVE',
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP',
  });
  fake.campaigns.set('2002', { id: '2002', account_id: account, name: 'Retargeting', status: 'PAUSED' });
  fake.adSets.set('3003', {
    id: '3003',
    account_id: account,
    campaign_id: '2002',
    name: 'Cart visitors',
    status: 'ACTIVE',
    daily_budget: '2550',
    bid_strategy: 'COST_CAP',
    bid_amount: '1250',
  });
  fake.adSets.set('3009', { id: '3009', account_id: account, campaign_id: '2002', name: 'Old test', status: 'DELETED', daily_budget: '100' });
  fake.campaigns.set('2003', { id: '2003', account_id: account, name: 'Two ad sets', status: 'ACTIVE' });
  fake.adSets.set('3004', { id: '3004', account_id: account, campaign_id: '2003', name: 'A', status: 'ACTIVE', daily_budget: '1000' });
  fake.adSets.set('3005', { id: '3005', account_id: account, campaign_id: '2003', name: 'B', status: 'ACTIVE', daily_budget: '1500' });
  fake.campaigns.set('2004', { id: '2004', account_id: account, name: 'Launch burst', status: 'ACTIVE', lifetime_budget: '900000' });
}

/** Deterministic daily rows with cents that do not sum nicely as floats. */
function seedInsights(campaigns: string[], from: string, days: number): FakeInsightDay[] {
  const rows: FakeInsightDay[] = [];
  for (let d = 0; d < days; d++) {
    for (const [i, c] of campaigns.entries()) {
      const purchases = (d + i) % 4;
      rows.push({
        account_id: ACT,
        campaign_id: c,
        date: addDays(from, d),
        spend: `${10 + ((d * 7 + i) % 13)}.${String((d * 31 + i * 17) % 100).padStart(2, '0')}`,
        impressions: 1000 + d * 10 + i,
        clicks: 20 + ((d + i) % 9),
        actions: [
          { action_type: 'link_click', value: '25' },
          { action_type: 'offsite_conversion.fb_pixel_purchase', value: String(purchases) },
          { action_type: 'purchase', value: String(purchases) },
          { action_type: 'omni_purchase', value: String(purchases + 1) },
          { action_type: 'lead', value: '2' },
        ],
        action_values: [
          { action_type: 'offsite_conversion.fb_pixel_purchase', value: `${purchases * 30}.10` },
          { action_type: 'purchase', value: `${purchases * 30}.10` },
          { action_type: 'omni_purchase', value: `${purchases * 30 + 12}.35` },
        ],
      });
    }
  }
  fake.insights.push(...rows);
  return rows;
}

/**
 * The fields of the first write to an object. The SDK also sends the object's own id in the body (its
 * AbstractCrudObject records the id given to the constructor as a change); the fake checks it names the object.
 */
function written(id: string): Record<string, unknown> {
  const { id: echoed, ...fields } = fake.calls('POST', id)[0]!.body;
  expect(echoed ?? id).toBe(id);
  return fields;
}

async function allPages(c: Connector, ids: string[] | 'all', range: { from: string; to: string }, pageSize: number) {
  const rows: MetricRow[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await c.getMetrics(ids, range, { pageToken: token, pageSize });
    rows.push(...page.rows);
    token = page.nextPageToken;
    pages++;
  } while (token && pages < 1000);
  return { rows, pages };
}

describe('Meta connector against the loopback Graph API', () => {
  it('authenticates: account name, currency, time zone and the account-local today', async () => {
    const info = await connector({ now: () => new Date('2026-12-01T23:30:00Z') }).authenticate();
    expect(info).toEqual({ externalId: 'act_1001', name: 'Shop DE', currency: 'EUR', timeZone: 'Europe/Berlin', today: '2026-12-02' });
    const [call] = fake.calls('GET', 'act_1001');
    expect(call!.query.fields).toBe('id,account_id,name,currency,timezone_name,account_status');
    expect(call!.query.access_token).toBe(TOKEN);
  });

  it('accepts the account id without the act_ prefix', async () => {
    const info = await connector({ accountExternalId: ACT }).authenticate();
    expect(info.externalId).toBe('act_1001');
  });

  it('lists CBO and ad-set-budget campaigns: budget where it lives, null where MBO cannot hold it, cost cap as bid target', async () => {
    seedMixedAccount();
    const list = await connector().listCampaigns();
    const byId = Object.fromEntries(list.map((c) => [c.externalId, c]));
    expect(byId['2001']).toEqual({ externalId: '2001', name: 'CBO prospecting', status: 'ACTIVE', dailyBudget: '50.00', bidTarget: null });
    // The deleted ad set does not count: one live ad set, its budget is the campaign's.
    expect(byId['2002']).toEqual({
      externalId: '2002',
      name: 'Retargeting',
      status: 'PAUSED',
      dailyBudget: '25.50',
      bidTarget: { kind: 'cost_cap', value: '12.50' },
    });
    expect(byId['2003']!.dailyBudget).toBeNull();
    expect(byId['2004']!.dailyBudget).toBeNull();
    const [campaignsCall] = fake.calls('GET', 'act_1001/campaigns');
    expect(campaignsCall!.query.fields).toBe('id,name,account_id,status,effective_status,daily_budget,lifetime_budget,bid_strategy');
  });

  it('lists campaigns over several pages (paging.next followed, 450 campaigns in pages of 200)', async () => {
    for (let i = 0; i < 450; i++) {
      const id = String(50_000 + i);
      fake.campaigns.set(id, { id, account_id: ACT, name: `C${i}`, status: i % 3 === 0 ? 'PAUSED' : 'ACTIVE', daily_budget: String(1000 + i) });
    }
    const list = await connector().listCampaigns();
    expect(list).toHaveLength(450);
    expect(new Set(list.map((c) => c.externalId)).size).toBe(450);
    expect(fake.calls('GET', 'act_1001/campaigns')).toHaveLength(3);
    expect(list.find((c) => c.externalId === '50449')!.dailyBudget).toBe('14.49');
  });

  it('refuses to follow a paging.next URL to another host (the token would go with it)', async () => {
    for (let i = 0; i < 230; i++) fake.campaigns.set(String(60_000 + i), { id: String(60_000 + i), account_id: ACT, name: `C${i}`, status: 'ACTIVE' });
    const c = connector();
    fake.url = 'http://127.0.0.2:9'; // the fake now writes its next URLs for another host
    const err = await c.listCampaigns().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/another host/);
  });

  it('an empty account: no campaigns, no metric rows, no page token', async () => {
    const c = connector();
    expect(await c.listCampaigns()).toEqual([]);
    expect(await c.getMetrics('all', { from: '2026-11-01', to: '2026-11-07' })).toEqual({ rows: [] });
    expect(await c.getMetrics([], { from: '2026-11-01', to: '2026-11-07' })).toEqual({ rows: [] });
  });

  it('reads daily insights over several pages with exact sums; conversions are omni_purchase, not the sum of overlapping types', async () => {
    const seeded = seedInsights(['2001', '2002', '2003'], '2026-11-01', 10);
    const { rows, pages } = await allPages(connector(), 'all', { from: '2026-11-01', to: '2026-11-10' }, 7);
    expect(pages).toBe(5); // 30 rows in pages of 7
    expect(rows).toHaveLength(30);
    const spend = sumMoney(rows.map((r) => parseMoney(r.spend)));
    expect(toDecimalString(spend)).toBe(toDecimalString(sumMoney(seeded.map((r) => parseMoney(r.spend)))));
    const first = rows.find((r) => r.campaignExternalId === '2002' && r.date === '2026-11-03')!;
    // (d + i) % 4 = (2 + 1) % 4 = 3 purchases; omni_purchase = 4; its value 3·30 + 12.35
    expect(first).toEqual({
      campaignExternalId: '2002',
      date: '2026-11-03',
      impressions: 1021,
      clicks: 23,
      spend: first.spend,
      conversions: '4',
      conversionValue: '102.35',
    });
    const call = fake.calls('GET', 'act_1001/insights')[0]!;
    expect(call.query).toMatchObject({ level: 'campaign', time_increment: '1', time_range: '{"since":"2026-11-01","until":"2026-11-10"}', limit: '7' });
    expect(call.query.fields).toBe('campaign_id,date_start,date_stop,spend,impressions,clicks,actions,action_values');
    expect(fake.calls('POST', 'act_1001/insights')).toHaveLength(0);
  });

  it('filters insights by campaign ids', async () => {
    seedInsights(['2001', '2002', '2003'], '2026-11-01', 3);
    const { rows } = await allPages(connector(), ['2002'], { from: '2026-11-01', to: '2026-11-03' }, 100);
    expect(rows.map((r) => r.campaignExternalId)).toEqual(['2002', '2002', '2002']);
    expect(JSON.parse(fake.calls('GET', 'act_1001/insights')[0]!.query.filtering!)).toEqual([{ field: 'campaign.id', operator: 'IN', value: ['2002'] }]);
  });

  it('refuses a page token from another range', async () => {
    seedInsights(['2001'], '2026-11-01', 10);
    const c = connector();
    const page = await c.getMetrics('all', { from: '2026-11-01', to: '2026-11-10' }, { pageSize: 3 });
    await expect(c.getMetrics('all', { from: '2026-11-02', to: '2026-11-10' }, { pageToken: page.nextPageToken })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads a 90-day range through an async report run (POST insights → poll async_status → GET run/insights, paged)', async () => {
    const seeded = seedInsights(['2001', '2002'], '2026-09-01', 90);
    fake.reportPolls = 3;
    const { rows, pages } = await allPages(connector(), 'all', { from: '2026-09-01', to: '2026-11-29' }, 50);
    expect(rows).toHaveLength(180);
    expect(pages).toBe(4);
    expect(toDecimalString(sumMoney(rows.map((r) => parseMoney(r.spend))))).toBe(toDecimalString(sumMoney(seeded.map((r) => parseMoney(r.spend)))));
    const [post] = fake.calls('POST', 'act_1001/insights');
    expect(post!.body).toMatchObject({ level: 'campaign', time_increment: 1, time_range: { since: '2026-09-01', until: '2026-11-29' } });
    const runId = fake.requests.find((r) => r.method === 'GET' && /^\d+$/.test(r.path))!.path;
    expect(fake.calls('GET', runId)).toHaveLength(4); // Not Started, Running, Running, Completed
    expect(fake.calls('GET', `${runId}/insights`)).toHaveLength(4);
    expect(fake.calls('GET', 'act_1001/insights')).toHaveLength(0);
  });

  it('a slow report run hands back an empty page with a token; the next call resumes the same run', async () => {
    seedInsights(['2001'], '2026-09-01', 60);
    fake.reportPolls = 1_000_000;
    const c = connector({ asyncWaitMs: 30 });
    const first = await c.getMetrics('all', { from: '2026-09-01', to: '2026-10-30' });
    expect(first.rows).toEqual([]);
    expect(first.nextPageToken).toBeDefined();
    fake.reportPolls = 0;
    const second = await c.getMetrics('all', { from: '2026-09-01', to: '2026-10-30' }, { pageToken: first.nextPageToken });
    expect(second.rows).toHaveLength(60);
    expect(fake.calls('POST', 'act_1001/insights')).toHaveLength(1);
  });

  it('a failed report run is started again once; failing twice is a TransientError', async () => {
    seedInsights(['2001'], '2026-09-01', 40);
    fake.failReports = 1;
    const { rows } = await allPages(connector(), 'all', { from: '2026-09-01', to: '2026-10-10' }, 500);
    expect(rows).toHaveLength(40);
    expect(fake.calls('POST', 'act_1001/insights')).toHaveLength(2);
    fake.failReports = 2;
    await expect(connector().getMetrics('all', { from: '2026-09-01', to: '2026-10-10' })).rejects.toBeInstanceOf(TransientError);
  });

  it('conversion action types are configurable per account: options, secrets (JSON or comma list), separate revenue types', async () => {
    seedInsights(['2001'], '2026-11-01', 1); // purchases 0 → pixel 0, omni 1, lead 2
    const range = { from: '2026-11-01', to: '2026-11-01' };
    const pick = async (c: Connector) => (await c.getMetrics('all', range)).rows[0]!;
    expect(await pick(connector())).toMatchObject({ conversions: '1', conversionValue: '12.35' });
    expect(await pick(connector({ conversionActionTypes: ['offsite_conversion.fb_pixel_purchase'] }))).toMatchObject({
      conversions: '0',
      conversionValue: '0.1',
    });
    expect(await pick(connector({ secrets: { accessToken: TOKEN, conversionActionTypes: '["lead"]' } }))).toMatchObject({
      conversions: '2',
      conversionValue: '0',
    });
    expect(
      await pick(connector({ secrets: { accessToken: TOKEN, conversionActionTypes: 'lead', revenueActionTypes: 'purchase, omni_purchase' } })),
    ).toMatchObject({
      conversions: '2',
      conversionValue: '0.1',
    });
    expect(() => connector({ conversionActionTypes: ['purchase', 'purchase'] })).toThrow(ValidationError);
  });

  it('updates a CBO campaign budget on the campaign, reads it back; at the target nothing is written', async () => {
    seedMixedAccount();
    const c = connector();
    const r = await c.updateBudget('2001', '62.40', 'k1');
    expect(r).toMatchObject({ campaignExternalId: '2001', applied: true, before: { dailyBudget: '50.00' }, after: { dailyBudget: '62.40' } });
    expect(written('2001')).toEqual({ daily_budget: 6240 });
    expect(fake.campaigns.get('2001')!.daily_budget).toBe('6240');
    const again = await c.updateBudget('2001', '62.4', 'k1');
    expect(again).toMatchObject({ applied: false, before: { dailyBudget: '62.40' }, after: { dailyBudget: '62.40' } });
    expect(fake.calls('POST', '2001')).toHaveLength(1);
  });

  it('updates the budget of a campaign whose single ad set holds it, on the ad set', async () => {
    seedMixedAccount();
    const r = await connector().updateBudget('2002', '30', 'k2');
    expect(r).toMatchObject({ applied: true, before: { dailyBudget: '25.50' }, after: { dailyBudget: '30.00' } });
    expect(written('3003')).toEqual({ daily_budget: 3000 });
    expect(fake.calls('POST', '2002')).toHaveLength(0);
  });

  it('refuses a budget change where the budget is spread over ad sets, is a lifetime budget, or has sub-cent precision', async () => {
    seedMixedAccount();
    const c = connector();
    await expect(c.updateBudget('2003', '20', 'k')).rejects.toThrow(/spread over 2 ad sets/);
    await expect(c.updateBudget('2004', '20', 'k')).rejects.toThrow(/lifetime budget/);
    await expect(c.updateBudget('2001', '20.005', 'k')).rejects.toBeInstanceOf(ValidationError);
    await expect(c.updateBudget('2001', '-5', 'k')).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('a JPY account: budgets and bids in yen without minor units (offset 1), exact both ways', async () => {
    fake.accounts.set(ACT, { id: ACT, name: 'Shop JP', currency: 'JPY', timezone_name: 'Asia/Tokyo' });
    seedMixedAccount();
    fake.insights.push({
      account_id: ACT,
      campaign_id: '2001',
      date: '2026-11-01',
      spend: '12345',
      impressions: 9000,
      clicks: 80,
      action_values: [{ action_type: 'omni_purchase', value: '56789' }],
    });
    const c = connector();
    const list = await c.listCampaigns();
    expect(list.find((x) => x.externalId === '2001')!.dailyBudget).toBe('5000');
    expect(list.find((x) => x.externalId === '2002')!.bidTarget).toEqual({ kind: 'cost_cap', value: '1250' });
    const r = await c.updateBudget('2001', '7500', 'k');
    expect(written('2001')).toEqual({ daily_budget: 7500 });
    expect(r.after.dailyBudget).toBe('7500');
    await expect(c.updateBudget('2001', '7500.50', 'k')).rejects.toThrow(/JPY amounts take no decimals/);
    const rows = (await c.getMetrics('all', { from: '2026-11-01', to: '2026-11-01' })).rows;
    expect(rows[0]).toMatchObject({ spend: '12345', conversions: '0', conversionValue: '56789' });
  });

  it('pauses and resumes through status PAUSED / ACTIVE, with read-back and the already-there case', async () => {
    seedMixedAccount();
    const c = connector();
    const paused = await c.pauseCampaign('2001', 'p1');
    expect(paused).toMatchObject({ applied: true, before: { status: 'ACTIVE' }, after: { status: 'PAUSED' } });
    expect(written('2001')).toEqual({ status: 'PAUSED' });
    expect((await c.pauseCampaign('2001', 'p1')).applied).toBe(false);
    const resumed = await c.resumeCampaign('2001', 'r1');
    expect(resumed).toMatchObject({ applied: true, before: { status: 'PAUSED' }, after: { status: 'ACTIVE' } });
    expect(fake.calls('POST', '2001')).toHaveLength(2);
    fake.campaigns.get('2004')!.status = 'ARCHIVED';
    await expect(c.resumeCampaign('2004', 'r2')).rejects.toBeInstanceOf(ValidationError);
  });

  it('changes a cost cap on the single ad set; refuses another kind, a campaign without a cap, and is a no-op at the target', async () => {
    seedMixedAccount();
    const c = connector();
    const r = await c.updateBidTarget!('2002', { kind: 'cost_cap', value: '14.75' }, 'b1');
    expect(r).toMatchObject({
      applied: true,
      before: { bidTarget: { kind: 'cost_cap', value: '12.50' } },
      after: { bidTarget: { kind: 'cost_cap', value: '14.75' } },
    });
    expect(written('3003')).toEqual({ bid_amount: 1475 });
    expect((await c.updateBidTarget!('2002', { kind: 'cost_cap', value: '14.75' }, 'b1')).applied).toBe(false);
    await expect(c.updateBidTarget!('2002', { kind: 'bid_cap', value: '14' }, 'b2')).rejects.toThrow(/not a bid cap/);
    await expect(c.updateBidTarget!('2002', { kind: 'target_roas', value: '3' }, 'b3')).rejects.toBeInstanceOf(ValidationError);
    await expect(c.updateBidTarget!('2001', { kind: 'cost_cap', value: '5' }, 'b4')).rejects.toThrow(/2 ad sets/);
    expect(fake.calls('POST', '3003')).toHaveLength(1);
  });

  it('a CBO campaign with a bid cap: the campaign holds the strategy, its ad set the amount', async () => {
    fake.campaigns.set('2100', {
      id: '2100',
      account_id: ACT,
      name: 'CBO capped',
      status: 'ACTIVE',
      daily_budget: '8000',
      bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
    });
    fake.adSets.set('3100', { id: '3100', account_id: ACT, campaign_id: '2100', name: 'Only', status: 'ACTIVE', bid_amount: '300' });
    const c = connector();
    expect((await c.listCampaigns())[0]).toMatchObject({ dailyBudget: '80.00', bidTarget: { kind: 'bid_cap', value: '3.00' } });
    const r = await c.updateBidTarget!('2100', { kind: 'bid_cap', value: '3.20' }, 'b');
    expect(r.after.bidTarget).toEqual({ kind: 'bid_cap', value: '3.20' });
  });

  it('an unknown campaign is NotFoundError (code 100/33); a campaign of another ad account is refused', async () => {
    seedMixedAccount();
    fake.accounts.set('1002', { id: '1002', name: 'Other', currency: 'EUR', timezone_name: 'Europe/Berlin' });
    fake.campaigns.set('2999', { id: '2999', account_id: '1002', name: 'Not ours', status: 'ACTIVE', daily_budget: '100' });
    const c = connector();
    await expect(c.pauseCampaign('2777', 'x')).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.pauseCampaign('2999', 'x')).rejects.toThrow(/another ad account/);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('Meta connector: auth, throttling and failures', () => {
  it('an expired token (190/463) is a final AuthError asking to reconnect: no refresh, no token in the message', async () => {
    fake.expired.add(TOKEN);
    let refreshed = 0;
    const c = connector({ onSecretsRefreshed: async () => void refreshed++ });
    const err = await c.authenticate().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(/code 190\/463/);
    expect((err as Error).message).toMatch(/reconnect the account/);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(refreshed).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('an invalid token is AuthError too', async () => {
    await expect(connector({ secrets: { accessToken: 'EAAB-wrong' } }).listCampaigns()).rejects.toBeInstanceOf(AuthError);
  });

  it('sends appsecret_proof when the app secret is set; the fake refuses calls without it or with a wrong one', async () => {
    fake.appSecret = 'app-secret-xyz';
    seedMixedAccount();
    const ok = await connector({ secrets: { accessToken: TOKEN, appSecret: 'app-secret-xyz' } }).listCampaigns();
    expect(ok).toHaveLength(4);
    expect(fake.requests.every((r) => /^[0-9a-f]{64}$/.test(r.query.appsecret_proof ?? ''))).toBe(true);
    await expect(connector().authenticate()).rejects.toBeInstanceOf(AuthError);
    const wrong = await connector({ secrets: { accessToken: TOKEN, appSecret: 'nope' } })
      .authenticate()
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthError);
    expect((wrong as Error).message).not.toContain('nope');
  });

  it('a throttled call (80004) is RateLimitError with the delay from x-business-use-case-usage (minutes)', async () => {
    fake.rateLimit = { times: 1, code: 80004, etaMinutes: 3 };
    const err = await connector()
      .authenticate()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(180_000);
  });

  it('codes 17, 613, 4 and 32 without an estimate back off from 60 s, doubling on consecutive limits', async () => {
    const c = connector();
    const delays: number[] = [];
    for (const code of [17, 613, 4, 32]) {
      fake.rateLimit = { times: 1, code, etaMinutes: null };
      const err = await c.authenticate().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitError);
      delays.push((err as RateLimitError).retryAfterMs);
    }
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000]);
    await c.authenticate(); // a success resets the backoff
    fake.rateLimit = { times: 1, code: 17, etaMinutes: null };
    expect(((await c.listCampaigns().catch((e: unknown) => e)) as RateLimitError).retryAfterMs).toBe(60_000);
  });

  it('a 500 with is_transient and a proxy 502 HTML page are TransientError', async () => {
    fake.serverErrors = { times: 1 };
    await expect(connector().authenticate()).rejects.toBeInstanceOf(TransientError);
    fake.serverErrors = { times: 1, html: true };
    await expect(connector().authenticate()).rejects.toBeInstanceOf(TransientError);
    expect((await connector().authenticate()).currency).toBe('EUR');
  });

  it('a call that outlives timeoutMs is TransientError, promptly', async () => {
    fake.hang = { times: 1, ms: 5_000 };
    const started = Date.now();
    const err = await connector({ timeoutMs: 200 })
      .authenticate()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a refused connection is TransientError', async () => {
    const url = fake.url;
    await fake.close();
    await expect(connector({ baseUrl: url }).authenticate()).rejects.toBeInstanceOf(TransientError);
    fake = await new FakeMetaGraph().start(); // for afterEach
  });

  it('stays scoped: two connectors on two hosts in one process; the SDK globals are untouched', async () => {
    const other = await new FakeMetaGraph().start();
    try {
      other.validTokens.add('EAAB-other');
      other.accounts.set('7', { id: '7', name: 'Other shop', currency: 'USD', timezone_name: 'America/New_York' });
      const a = connector();
      const b = createMetaConnector({ accountExternalId: 'act_7', secrets: { accessToken: 'EAAB-other' }, baseUrl: other.url });
      const [ia, ib] = await Promise.all([a.authenticate(), b.authenticate()]);
      expect([ia.name, ib.name]).toEqual(['Shop DE', 'Other shop']);
      expect(fake.requests.every((r) => r.query.access_token === TOKEN)).toBe(true);
      expect(other.requests.every((r) => r.query.access_token === 'EAAB-other')).toBe(true);
      const sdk = createRequire(import.meta.url)('facebook-nodejs-business-sdk') as { FacebookAdsApi: { GRAPH: string; getDefaultApi(): unknown } };
      expect(sdk.FacebookAdsApi.GRAPH).toBe('https://graph.facebook.com');
      expect(sdk.FacebookAdsApi.getDefaultApi()).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
