// Each platform's authorization-code flow against a loopback fake of its consent and token endpoints: the consent
// URL (state, PKCE S256 for Google), the browser's redirect back with the code, the code exchange in the platform's
// own wire format (form POST, Meta's GET and long-lived exchange, TikTok's JSON envelope), the secrets the connector
// will store, the accessible accounts — and refusals: a reused code, a wrong verifier, a wrong client secret.
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORMS, type PlatformKind } from '../types.js';
import { AuthError } from '../errors.js';
import { authorizeUrl, exchangeCode, listAccessibleAccounts, newState, pkcePair } from './consent.js';
import { FakeConsent } from './fake-consent.js';

let fake: FakeConsent | undefined;
afterEach(async () => fake?.close());

const REDIRECT = 'http://127.0.0.1:53682/callback';

/** The user's browser: opens the consent URL and follows the redirect as far as our callback. */
async function consent(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  return back.searchParams;
}

describe.each(PLATFORMS)('%s consent', (platform: PlatformKind) => {
  it('consent URL → code → tokens → accessible accounts; a code works once', async () => {
    fake = await FakeConsent.start(platform, {
      accounts: [
        { id: '5550001', name: 'Shop' },
        { id: '5550002', name: 'Brand' },
      ],
    });
    const client = { clientId: fake.opts.clientId, clientSecret: fake.opts.clientSecret };
    const state = newState();
    const pkce = pkcePair();
    const url = authorizeUrl(platform, { clientId: client.clientId, redirectUri: REDIRECT, state, codeChallenge: pkce.challenge, endpoints: fake.endpoints });
    const q = new URL(url).searchParams;
    expect(q.get('state')).toBe(state);
    expect(q.get('redirect_uri')).toBe(REDIRECT);
    expect(q.get('code_challenge')).toBe(platform === 'google_ads' ? pkce.challenge : null);
    if (platform === 'google_ads') expect(q.get('access_type')).toBe('offline');
    const back = await consent(url);
    expect(back.get('state')).toBe(state);
    const code = back.get(platform === 'tiktok' ? 'auth_code' : 'code')!;
    const secrets = await exchangeCode(platform, { client, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, endpoints: fake.endpoints });
    expect(secrets.accessToken).toBe(fake.opts.accessToken);
    const expected: Record<PlatformKind, string[]> = {
      google_ads: ['accessToken', 'clientId', 'clientSecret', 'refreshToken'],
      meta: ['accessToken', 'appSecret'],
      tiktok: ['accessToken', 'appId', 'secret'],
      linkedin: ['accessToken', 'clientId', 'clientSecret', 'refreshToken'],
    };
    expect(Object.keys(secrets).sort()).toEqual(expected[platform]);
    const accounts = await listAccessibleAccounts(platform, secrets, { developerToken: 'dev-token', endpoints: fake.endpoints });
    expect(accounts.map((a) => a.externalId)).toEqual(platform === 'meta' ? ['act_5550001', 'act_5550002'] : ['5550001', '5550002']);
    const again = await exchangeCode(platform, { client, code, redirectUri: REDIRECT, codeVerifier: pkce.verifier, endpoints: fake.endpoints }).catch((e) => e);
    expect(again).toBeInstanceOf(AuthError);
    expect(again.message).not.toContain(client.clientSecret);
  });

  it('a wrong client secret is refused and never echoed', async () => {
    fake = await FakeConsent.start(platform);
    const back = await consent(authorizeUrl(platform, { clientId: fake.opts.clientId, redirectUri: REDIRECT, state: 's', endpoints: fake.endpoints }));
    const code = back.get(platform === 'tiktok' ? 'auth_code' : 'code')!;
    const err = await exchangeCode(platform, {
      client: { clientId: fake.opts.clientId, clientSecret: 'wrong-secret-123' },
      code,
      redirectUri: REDIRECT,
      endpoints: fake.endpoints,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).not.toContain('wrong-secret-123');
  });
});

it('Google: a code exchanged without the PKCE verifier it was issued for is refused', async () => {
  fake = await FakeConsent.start('google_ads');
  const pkce = pkcePair();
  const back = await consent(
    authorizeUrl('google_ads', { clientId: fake.opts.clientId, redirectUri: REDIRECT, state: 's', codeChallenge: pkce.challenge, endpoints: fake.endpoints }),
  );
  const err = await exchangeCode('google_ads', {
    client: { clientId: fake.opts.clientId, clientSecret: fake.opts.clientSecret },
    code: back.get('code')!,
    redirectUri: REDIRECT,
    codeVerifier: pkcePair().verifier,
    endpoints: fake.endpoints,
  }).catch((e) => e);
  expect(err.message).toMatch(/invalid_grant \(Invalid code verifier\.\)/);
});
