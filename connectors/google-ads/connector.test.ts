// The Google Ads connector against a loopback fake of the Google Ads REST API and Google's token endpoint: real
// HTTP, real headers, Google's JSON shapes and error envelopes (see fake-server.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { parseMoney, sumMoney } from '../../core/money.js';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import type { MetricRow } from '../types.js';
import type { GoogleAdsSecrets } from './client.js';
import { FakeGoogleAds, type FakeGoogleAdsOptions } from './fake-server.js';
import { CLIENT_ID, EMPTY_ID, MANAGER_ID, clientAccount, emptyAccount, managerAccount } from './fixtures.js';
import { createGoogleAdsConnector, type GoogleAdsConnector } from './index.js';

const SECRETS: GoogleAdsSecrets = {
  developerToken: 'dev-token-fake',
  clientId: 'client-id.apps.googleusercontent.com',
  clientSecret: 'client-secret',
  refreshToken: '1//refresh-token',
  accessToken: 'ya29.initial',
  loginCustomerId: '999-000-1112',
};
const RANGE = { from: '2026-11-01', to: '2026-11-10' };

let fake: FakeGoogleAds | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(
  o: { fake?: Partial<FakeGoogleAdsOptions>; secrets?: Partial<GoogleAdsSecrets>; account?: string; timeoutMs?: number; refreshed?: GoogleAdsSecrets[] } = {},
): Promise<{ fake: FakeGoogleAds; gads: GoogleAdsConnector }> {
  fake = await FakeGoogleAds.start({ customers: [clientAccount(), emptyAccount(), managerAccount()], accessTokens: ['ya29.initial'], ...o.fake });
  const gads = createGoogleAdsConnector({
    accountExternalId: o.account ?? '123-456-7890',
    secrets: { ...SECRETS, ...o.secrets } as GoogleAdsSecrets,
    baseUrl: fake.url,
    tokenUrl: fake.tokenUrl,
    timeoutMs: o.timeoutMs ?? 5_000,
    now: () => new Date('2026-12-01T03:00:00Z'),
    onSecretsRefreshed: async (s) => void o.refreshed?.push(s),
  });
  return { fake, gads };
}

const mutateCalls = (f: FakeGoogleAds) => f.calls.filter((c) => c.path.endsWith(':mutate'));

describe('Google Ads connector (loopback fake of the REST API)', () => {
  it('authenticates: customer info in the account time zone, with developer-token and login-customer-id as digits', async () => {
    const { fake, gads } = await setup();
    const info = await gads.authenticate();
    expect(info).toEqual({ externalId: CLIENT_ID, name: 'Acme Shoes', currency: 'USD', timeZone: 'America/New_York', today: '2026-11-30' });
    const call = fake.calls[0]!;
    expect(call.path).toBe(`/v24/customers/${CLIENT_ID}/googleAds:searchStream`);
    expect(call.developerToken).toBe(true);
    expect(call.loginCustomerId).toBe(MANAGER_ID);
    expect((call.body as { query: string }).query).toMatch(/FROM customer$/);
  });

  it('a client account reached through a manager needs login-customer-id: without it Google refuses (AuthError)', async () => {
    const { gads } = await setup({ secrets: { loginCustomerId: undefined } });
    const e = await gads.authenticate().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toMatch(/authorizationError=USER_PERMISSION_DENIED.*login-customer-id/);
  });

  it('without a developer token the API refuses the call (requestError=DEVELOPER_TOKEN_PARAMETER_MISSING → AuthError)', async () => {
    const { fake, gads } = await setup({ secrets: { developerToken: '' } });
    const e = await gads.listCampaigns().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toContain('DEVELOPER_TOKEN_PARAMETER_MISSING');
    expect(fake.calls[0]!.developerToken).toBe(false);
  });

  it('lists every campaign over several searchStream batches: statuses (REMOVED too), budgets, bid targets', async () => {
    const { gads } = await setup({ fake: { pageRows: 2 } });
    const campaigns = await gads.listCampaigns();
    expect(campaigns.map((c) => [c.externalId, c.status, c.dailyBudget, c.bidTarget])).toEqual([
      ['101', 'ACTIVE', '50.00', { kind: 'target_cpa', value: '12.50' }],
      ['102', 'ACTIVE', '120.00', { kind: 'target_roas', value: '3.5' }],
      ['103', 'PAUSED', '120.00', { kind: 'target_roas', value: '4.25' }],
      ['104', 'REMOVED', '10.00', null],
      ['105', 'ACTIVE', '75.50', null],
      ['106', 'ACTIVE', '30.00', null], // portfolio strategy: the target lives on the strategy
      ['107', 'ACTIVE', '25.00', { kind: 'target_cpa', value: '20.00' }],
    ]);
    expect(campaigns.find((c) => c.externalId === '101')!.sharedBudget).toBeUndefined();
  });

  it('a shared budget lists every campaign on it, and changing it changes all of them', async () => {
    const { fake, gads } = await setup();
    const before = await gads.listCampaigns();
    for (const id of ['102', '103']) expect(before.find((c) => c.externalId === id)!.sharedBudget).toEqual({ id: '202', campaignExternalIds: ['102', '103'] });
    const r = await gads.updateBudget('103', '150.00', 'chg-shared');
    expect(r).toMatchObject({ applied: true, before: { dailyBudget: '120.00' }, after: { dailyBudget: '150.00', sharedBudget: { id: '202' } } });
    const after = await gads.listCampaigns();
    expect(after.filter((c) => c.sharedBudget?.id === '202').map((c) => c.dailyBudget)).toEqual(['150.00', '150.00']);
    const op = (mutateCalls(fake)[0]!.body as { operations: unknown[] }).operations[0];
    expect(op).toEqual({ update: { resourceName: `customers/${CLIENT_ID}/campaignBudgets/202`, amountMicros: '150000000' }, updateMask: 'amountMicros' });
  });

  it('reads daily metrics over several pages (Google page tokens) with exact decimal sums', async () => {
    const { fake, gads } = await setup({ fake: { pageRows: 7 } });
    const rows: MetricRow[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await gads.getMetrics('all', RANGE, { pageToken: token, pageSize: 500 });
      rows.push(...page.rows);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(5); // 30 rows, 7 per page
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({
      campaignExternalId: '101',
      date: '2026-11-01',
      impressions: 1000,
      clicks: 10,
      spend: '10.433333',
      conversions: '0.1',
      conversionValue: '10.10',
    });
    const sum = (f: (r: (typeof rows)[number]) => string) => sumMoney(rows.map((r) => parseMoney(f(r))));
    expect(sum((r) => r.spend)).toBe(parseMoney('1686.49998'));
    expect(sum((r) => r.conversions)).toBe(parseMoney('88'));
    expect(sum((r) => r.conversionValue)).toBe(parseMoney('2427.15'));
    // the same query on every page (Google serves later pages from a cache keyed by it), and never a pageSize
    const queries = fake.calls.map((c) => c.body as { query: string; pageSize?: number });
    expect(new Set(queries.map((q) => q.query)).size).toBe(1);
    expect(queries.every((q) => q.pageSize === undefined)).toBe(true);
  });

  it('a page token Google no longer knows (resumed sync) restarts the report from its first page instead of failing', async () => {
    const { fake, gads } = await setup({ fake: { pageRows: 12 } });
    const first = await gads.getMetrics('all', RANGE);
    fake.expirePageTokens();
    const restarted = await gads.getMetrics('all', RANGE, { pageToken: first.nextPageToken });
    expect(restarted.rows).toEqual(first.rows);
    const second = await gads.getMetrics('all', RANGE, { pageToken: restarted.nextPageToken });
    const third = await gads.getMetrics('all', RANGE, { pageToken: second.nextPageToken });
    expect(third.nextPageToken).toBeUndefined();
    expect(new Set([...first.rows, ...second.rows, ...third.rows].map((r) => `${r.campaignExternalId}/${r.date}`)).size).toBe(30);
    await expect(gads.getMetrics('all', { from: '2026-11-02', to: '2026-11-10' }, { pageToken: 'garbage' })).resolves.toMatchObject({
      rows: expect.any(Array),
    });
  });

  it('filters metrics by campaign and date; an empty id list asks nothing', async () => {
    const { fake, gads } = await setup();
    const page = await gads.getMetrics(['102'], { from: '2026-11-09', to: '2026-11-10' });
    expect(page.rows.map((r) => [r.campaignExternalId, r.date, r.spend])).toEqual([
      ['102', '2026-11-09', '91.566666'],
      ['102', '2026-11-10', '101.666666'],
    ]);
    expect(page.nextPageToken).toBeUndefined();
    const calls = fake.calls.length;
    expect(await gads.getMetrics([], RANGE)).toEqual({ rows: [] });
    expect(fake.calls.length).toBe(calls);
    await expect(gads.getMetrics(['1 OR 1=1'], RANGE)).rejects.toBeInstanceOf(ValidationError);
  });

  it('updates a budget with read-back; at the target already, nothing is sent (applied: false)', async () => {
    const { fake, gads } = await setup();
    const r = await gads.updateBudget('101', '62.5', 'chg-1');
    expect(r).toMatchObject({ campaignExternalId: '101', applied: true, before: { dailyBudget: '50.00' }, after: { dailyBudget: '62.50' } });
    expect(fake.customer(CLIENT_ID).budgets.find((b) => b.id === '201')!.amountMicros).toBe(62_500_000n);
    const again = await gads.updateBudget('101', '62.50', 'chg-1');
    expect(again).toMatchObject({ applied: false, before: { dailyBudget: '62.50' }, after: { dailyBudget: '62.50' } });
    expect(mutateCalls(fake)).toHaveLength(1);
    expect((mutateCalls(fake)[0]!.body as { partialFailure: boolean }).partialFailure).toBe(true);
    await expect(gads.updateBudget('999', '10', 'chg-2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(gads.updateBudget('101', '-5', 'chg-3')).rejects.toBeInstanceOf(ValidationError);
    await expect(gads.updateBudget('104', '20', 'chg-4')).rejects.toThrow(/removed/);
  });

  it('validateBudgetChange is a dry run (validateOnly): Google checks it, nothing changes', async () => {
    const { fake, gads } = await setup();
    expect(await gads.validateBudgetChange('101', '80')).toMatchObject({ wouldChange: true, campaign: { dailyBudget: '50.00' } });
    const e = await gads.validateBudgetChange('101', '80.005').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toContain('campaignBudgetError=NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT');
    expect(mutateCalls(fake).map((c) => (c.body as { validateOnly: boolean }).validateOnly)).toEqual([true, true]);
    expect(fake.customer(CLIENT_ID).budgets.find((b) => b.id === '201')!.amountMicros).toBe(50_000_000n);
  });

  it('partial failure: the valid changes apply, the failed operation comes back as a ValidationError for its campaign', async () => {
    const { fake, gads } = await setup();
    fake.failOperations((name) =>
      name.endsWith('/206') ? { code: { campaignBudgetError: 'MONEY_AMOUNT_TOO_LARGE' }, message: 'A money amount was too large.' } : undefined,
    );
    const out = await gads.updateBudgets(
      [
        { campaignId: '101', amount: '60' },
        { campaignId: '105', amount: '80.005' },
        { campaignId: '107', amount: '99999' },
        { campaignId: '103', amount: '130' },
        { campaignId: '102', amount: '140' },
      ],
      'batch-1',
    );
    expect(mutateCalls(fake)).toHaveLength(1);
    expect(out.map((o) => ('result' in o ? o.result.after.dailyBudget : `${o.error.name}: ${o.error.message}`))).toEqual([
      '60.00',
      'ValidationError: google_ads campaign 105: campaignBudgetError=NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT: A money amount was not a multiple of a minimum unit.',
      'ValidationError: google_ads campaign 107: campaignBudgetError=MONEY_AMOUNT_TOO_LARGE: A money amount was too large.',
      '130.00',
      'ValidationError: google_ads campaign 102 shares its budget with campaign 103 in the same batch',
    ]);
    const e = await gads.updateBudget('105', '80.005', 'single').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
  });

  it('pauses and resumes (status PAUSED / ENABLED), idempotent by target; a removed campaign cannot be', async () => {
    const { fake, gads } = await setup();
    expect(await gads.pauseCampaign('101', 'p-1')).toMatchObject({ applied: true, before: { status: 'ACTIVE' }, after: { status: 'PAUSED' } });
    expect(await gads.pauseCampaign('101', 'p-1')).toMatchObject({ applied: false, after: { status: 'PAUSED' } });
    expect(await gads.resumeCampaign('101', 'r-1')).toMatchObject({ applied: true, after: { status: 'ACTIVE' } });
    expect(mutateCalls(fake).map((c) => (c.body as { operations: { update: object; updateMask: string }[] }).operations[0])).toEqual([
      { update: { resourceName: `customers/${CLIENT_ID}/campaigns/101`, status: 'PAUSED' }, updateMask: 'status' },
      { update: { resourceName: `customers/${CLIENT_ID}/campaigns/101`, status: 'ENABLED' }, updateMask: 'status' },
    ]);
    await expect(gads.resumeCampaign('104', 'r-2')).rejects.toBeInstanceOf(ValidationError);
  });

  it('updates target CPA / target ROAS inside the strategy the campaign uses (never switching strategies)', async () => {
    const { fake, gads } = await setup();
    const cpa = await gads.updateBidTarget('101', { kind: 'target_cpa', value: '15' }, 'b-1');
    expect(cpa).toMatchObject({ applied: true, before: { bidTarget: { value: '12.50' } }, after: { bidTarget: { kind: 'target_cpa', value: '15.00' } } });
    expect(fake.customer(CLIENT_ID).campaigns[0]!.bidding).toEqual({ type: 'MAXIMIZE_CONVERSIONS', targetCpaMicros: 15_000_000n });
    expect(await gads.updateBidTarget('102', { kind: 'target_roas', value: '4.2' }, 'b-2')).toMatchObject({
      after: { bidTarget: { kind: 'target_roas', value: '4.2' } },
    });
    expect(await gads.updateBidTarget('103', { kind: 'target_roas', value: '5' }, 'b-3')).toMatchObject({ after: { bidTarget: { value: '5' } } });
    expect(await gads.updateBidTarget('107', { kind: 'target_cpa', value: '18.5' }, 'b-4')).toMatchObject({ after: { bidTarget: { value: '18.50' } } });
    expect(mutateCalls(fake).map((c) => (c.body as { operations: { updateMask: string }[] }).operations[0]!.updateMask)).toEqual([
      'maximizeConversions.targetCpaMicros',
      'targetRoas.targetRoas',
      'maximizeConversionValue.targetRoas',
      'targetCpa.targetCpaMicros',
    ]);
    expect(await gads.updateBidTarget('102', { kind: 'target_roas', value: '4.20' }, 'b-5')).toMatchObject({ applied: false });
    await expect(gads.updateBidTarget('101', { kind: 'target_roas', value: '3' }, 'b-6')).rejects.toThrow(/bids with MAXIMIZE_CONVERSIONS/);
    await expect(gads.updateBidTarget('106', { kind: 'target_cpa', value: '10' }, 'b-7')).rejects.toThrow(/portfolio/);
    await expect(gads.updateBidTarget('101', { kind: 'bid_cap', value: '1' }, 'b-8')).rejects.toBeInstanceOf(ValidationError);
    expect(mutateCalls(fake)).toHaveLength(4);
  });

  it('an expired access token (401) is refreshed once at the token endpoint, the call retried, the new secrets handed back', async () => {
    const refreshed: GoogleAdsSecrets[] = [];
    const { fake, gads } = await setup({ refreshed });
    await gads.authenticate();
    fake.expireAccessTokens();
    expect(await gads.listCampaigns()).toHaveLength(7);
    expect(fake.refreshes).toBe(1);
    expect(refreshed).toEqual([{ ...SECRETS, accessToken: 'ya29.fake-1' }]);
    expect(fake.calls.map((c) => c.path.split(':').pop())).toEqual(['searchStream', 'searchStream', 'searchStream']);
  });

  it('without a stored access token it refreshes first; a token Google does not know (401, no details) refreshes too', async () => {
    const { fake, gads } = await setup({ secrets: { accessToken: undefined } });
    await gads.authenticate();
    expect(fake.refreshes).toBe(1);
    const other = await setup({ secrets: { accessToken: 'ya29.unknown' } });
    await other.gads.authenticate();
    expect(other.fake.refreshes).toBe(1);
    await fake.close();
  });

  it('a token still refused after the refresh is an AuthError: one refresh, no loop', async () => {
    const { fake, gads } = await setup();
    fake.rejectAllTokens();
    const e = await gads.listCampaigns().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toContain('authenticationError=OAUTH_TOKEN_INVALID');
    expect(fake.refreshes).toBe(1);
    expect(fake.calls.filter((c) => c.path.startsWith('/v24/'))).toHaveLength(2);
  });

  it('concurrent calls that meet an expired token share one refresh', async () => {
    const refreshed: GoogleAdsSecrets[] = [];
    const { fake, gads } = await setup({ refreshed });
    fake.expireAccessTokens();
    const [campaigns, metrics, account] = await Promise.all([gads.listCampaigns(), gads.getMetrics('all', RANGE), gads.authenticate()]);
    expect([campaigns.length, metrics.rows.length, account.externalId]).toEqual([7, 30, CLIENT_ID]);
    expect(fake.refreshes).toBe(1);
    expect(refreshed).toHaveLength(1);
  });

  it('a refresh Google refuses is an AuthError with its reason, never a secret', async () => {
    const { fake, gads } = await setup();
    fake.expireAccessTokens();
    fake.failRefresh('invalid_grant', 'Token has been expired or revoked.');
    const e = await gads.listCampaigns().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toBe('google_ads OAuth refresh failed: invalid_grant (Token has been expired or revoked.)');
    for (const secret of Object.values(SECRETS)) if (secret && secret.length > 8) expect((e as Error).message).not.toContain(secret);
  });

  it('a developer token Google does not accept is an AuthError without any refresh; a refused OAuth client too', async () => {
    const { fake, gads } = await setup({ secrets: { developerToken: 'wrong-token' } });
    const e = await gads.authenticate().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toContain('DEVELOPER_TOKEN_INVALID'); // not a token problem: no refresh at all
    expect(fake.refreshes).toBe(0);
    fake.expireAccessTokens();
    fake.failRefresh('invalid_client', 'The OAuth client was not found.', 401);
    await expect(gads.authenticate()).rejects.toThrow(/invalid_client/);
  });

  it("RESOURCE_EXHAUSTED (429) is a RateLimitError with Google's retryDelay, or a backoff when it gives none", async () => {
    const { fake, gads } = await setup();
    fake.rateLimit(1, '3s');
    const e = await gads.getMetrics('all', RANGE).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfterMs).toBe(3000);
    expect((e as Error).message).toContain('quotaError=RESOURCE_EXHAUSTED');
    fake.rateLimit(1);
    expect(((await gads.listCampaigns().catch((x: unknown) => x)) as RateLimitError).retryAfterMs).toBe(30_000);
    expect(await gads.listCampaigns()).toHaveLength(7);
  });

  it('5xx is a TransientError (search and searchStream envelopes)', async () => {
    const { fake, gads } = await setup();
    fake.serverError(1, 500);
    await expect(gads.getMetrics('all', RANGE)).rejects.toThrow(TransientError);
    fake.serverError(1, 503);
    await expect(gads.listCampaigns()).rejects.toThrow(/UNAVAILABLE/);
    expect(await gads.listCampaigns()).toHaveLength(7);
  });

  it('a call that outlives timeoutMs is a TransientError', async () => {
    const { fake, gads } = await setup({ timeoutMs: 300 });
    fake.hang(1);
    const started = Date.now();
    await expect(gads.authenticate()).rejects.toThrow(/no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(gads.authenticate()).resolves.toMatchObject({ externalId: CLIENT_ID });
  });

  it('an empty account: its info, no campaigns, no metrics', async () => {
    const { gads } = await setup({ account: EMPTY_ID, secrets: { loginCustomerId: undefined } });
    expect(await gads.authenticate()).toEqual({ externalId: EMPTY_ID, name: 'New shop', currency: 'JPY', timeZone: 'Asia/Tokyo', today: '2026-12-01' });
    expect(await gads.listCampaigns()).toEqual([]);
    expect(await gads.getMetrics('all', RANGE)).toEqual({ rows: [] });
    await expect(gads.updateBudget('101', '1000', 'k')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a manager account cannot be synced itself: ValidationError naming what to connect instead', async () => {
    const { gads } = await setup({ account: MANAGER_ID });
    await expect(gads.authenticate()).rejects.toThrow(/is a manager account: connect its client accounts/);
  });

  it('an unknown customer is a NotFoundError; a malformed customer id is refused before any call', async () => {
    const { gads } = await setup({ account: '111-222-3333' });
    await expect(gads.authenticate()).rejects.toBeInstanceOf(NotFoundError);
    expect(() => createGoogleAdsConnector({ accountExternalId: 'act_12', secrets: SECRETS })).toThrow(ValidationError);
  });
});
