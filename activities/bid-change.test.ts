// applyBidItem with the real Google Ads connector against its loopback fake: a target CPA moved within the bound and
// read back, the same item again changes nothing, a jump beyond ±20 % or another strategy's field is refused at apply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGoogleAds } from '../connectors/google-ads/fake-server.js';
import { CLIENT_ID, MANAGER_ID, clientAccount } from '../connectors/google-ads/fixtures.js';
import { createGoogleAdsConnector } from '../connectors/google-ads/index.js';
import { applyBidItem } from './bid-change.js';

let fake: FakeGoogleAds;
beforeAll(async () => (fake = await FakeGoogleAds.start({ customers: [clientAccount()], accessTokens: ['ya29.initial'] })));
afterAll(() => fake.close());

const connector = () =>
  createGoogleAdsConnector({
    accountExternalId: CLIENT_ID,
    secrets: {
      developerToken: 'dev-token-fake',
      clientId: 'client-id',
      clientSecret: 'client-secret',
      refreshToken: '1//refresh-token',
      accessToken: 'ya29.initial',
      loginCustomerId: MANAGER_ID,
    },
    baseUrl: fake.url,
    tokenUrl: fake.tokenUrl,
    timeoutMs: 5000,
  });

describe('applyBidItem (Google Ads fake)', () => {
  it('moves a target CPA within the bound, reads it back, and is idempotent by target', async () => {
    const mutates = () => fake.calls.filter((c) => c.path.endsWith('campaigns:mutate')).length;
    const before = mutates();
    const r = await applyBidItem(connector(), '101', { kind: 'target_cpa', value: '14.00' }, 'bid-1');
    expect(r).toMatchObject({ applied: true, after: { kind: 'target_cpa' } });
    expect(Number(r.before!.value)).toBe(12.5);
    expect(Number(r.after!.value)).toBe(14);
    expect(mutates()).toBe(before + 1);
    expect(await applyBidItem(connector(), '101', { kind: 'target_cpa', value: '14' }, 'bid-1')).toMatchObject({ applied: false });
    expect(mutates()).toBe(before + 1);
  });

  it('refuses at apply a change beyond the bound or of another strategy, sending nothing', async () => {
    const before = fake.calls.filter((c) => c.path.endsWith('campaigns:mutate')).length;
    await expect(applyBidItem(connector(), '101', { kind: 'target_cpa', value: '30' }, 'bid-2')).rejects.toThrow(/exceeds google_ads's bound of ±20 %/);
    await expect(applyBidItem(connector(), '102', { kind: 'target_cpa', value: '3' }, 'bid-3')).rejects.toThrow(/switch its bidding strategy/);
    expect(fake.calls.filter((c) => c.path.endsWith('campaigns:mutate')).length).toBe(before);
  });
});
