// `mbo accounts add google_ads` end to end: the CLI's consent runner (cli/commands/accounts.ts) against the real API
// served on an ephemeral port, a loopback fake of Google's consent and token endpoints, and the Google Ads API fake.
// The test plays the user's browser (opens the consent URL, follows the redirect to the CLI's loopback callback). It
// checks the state and PKCE, the accounts the token reaches, the connect (checked with the platform, sealed), then
// `accounts test`; a replayed code, another person's state and non-admins are refused; nothing secret comes back.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../cli/api-client.js';
import { runConsent } from '../../cli/commands/accounts.js';
import { FakeGoogleAds } from '../../connectors/google-ads/fake-server.js';
import { CLIENT_ID, MANAGER_ID, clientAccount } from '../../connectors/google-ads/fixtures.js';
import { FakeConsent } from '../../connectors/oauth/fake-consent.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiWorld, type ApiWorld } from './api-harness.js';

let ctx: AppContext;
let w: ApiWorld;
let server: ServerType;
let base: string;
let consent: FakeConsent;
let google: FakeGoogleAds;

beforeAll(async () => {
  ctx = await apiContext();
  w = await apiWorld(ctx, { sync: false });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: apiFor(ctx).fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });
  base = `http://127.0.0.1:${port}`;
  consent = await FakeConsent.start('google_ads', {
    clientId: 'oauth-client',
    clientSecret: 'oauth-client-secret',
    refreshToken: '1//consented-refresh',
    accounts: [
      { id: CLIENT_ID, name: 'Client' },
      { id: '5550009999', name: 'Other' },
    ],
  });
  // The Ads API accepts what the consent issued: the same OAuth client and refresh token (the access token from the
  // consent is not one the Ads fake issued, so the first call refreshes — as an expired one would).
  google = await FakeGoogleAds.start({
    customers: [clientAccount()],
    clientId: 'oauth-client',
    clientSecret: 'oauth-client-secret',
    refreshToken: '1//consented-refresh',
    developerToken: 'dev-token-1',
  });
});
afterAll(async () => {
  server?.close();
  await consent?.close();
  await google?.close();
  await ctx?.close();
});

/** The user's browser: opens the consent page and follows its redirect to the CLI's callback. */
const browser = async (url: string) => {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const page = await fetch(res.headers.get('location')!);
  expect(await page.text()).toMatch(/back to the terminal/);
};

const start = () => ({
  platform: 'google_ads',
  client: { clientId: 'oauth-client', clientSecret: 'oauth-client-secret' },
  secrets: { developerToken: 'dev-token-1', loginCustomerId: MANAGER_ID },
  endpoints: consent.endpoints,
  options: { baseUrl: google.url, tokenUrl: google.tokenUrl },
});

describe('mbo accounts add google_ads (OAuth consent with a loopback callback)', () => {
  it('consents, lists the reachable accounts, connects the chosen one sealed, and tests it', async () => {
    const admin = new ApiClient(base, w.keys.admin);
    const shown: string[] = [];
    const a = await runConsent(admin, {
      start: start(),
      show: async (url) => {
        shown.push(url);
        await browser(url);
      },
      choose: async (accounts) => {
        expect(accounts.map((x) => x.externalId)).toEqual([CLIENT_ID, '5550009999']);
        return CLIENT_ID;
      },
      timeoutMs: 20_000,
    });
    expect(a).toMatchObject({ platform: 'google_ads', externalId: CLIENT_ID, currency: 'USD' });
    const q = new URL(shown[0]!).searchParams;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const exchange = consent.calls.find((c) => c.path === '/token')!;
    expect(exchange.form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    // sealed, never in the session or the audit
    const row = await ctx.prisma.platformAccount.findUniqueOrThrow({ where: { id: a.id } });
    const cred = await ctx.prisma.platformCredential.findUniqueOrThrow({ where: { id: row.credentialsRef! } });
    expect(cred.sealed).not.toContain('consented-refresh');
    const sessions = await ctx.prisma.oauthSession.findMany({ where: { workspaceId: w.workspaceId } });
    expect(sessions.every((s) => s.usedAt && s.sealed === '')).toBe(true);
    const audit = await ctx.prisma.auditEvent.findMany({ where: { workspaceId: w.workspaceId, entityId: a.id } });
    expect(audit.map((e) => e.action).sort()).toEqual(['account.connected', 'account.oauth_consented']);
    expect(JSON.stringify(audit.map((e) => [e.before, e.after, e.details]))).not.toMatch(/oauth-client-secret|consented-refresh|dev-token-1/);
    // mbo accounts test
    const t = await admin.call<{ ok: boolean; campaigns: number }>('POST', `/accounts/${a.id}/test`);
    expect(t).toMatchObject({ ok: true });
    expect(t.campaigns).toBeGreaterThan(0);
  });

  it('refuses a replayed code, another admin’s state, a foreign callback URL and non-admins', async () => {
    const admin = new ApiClient(base, w.keys.admin);
    const admin2 = new ApiClient(base, w.keys.admin2);
    const redirectUri = 'http://127.0.0.1:53999/callback';
    const c = await admin.call<{ state: string; authorizeUrl: string }>('POST', '/accounts/oauth/start', { body: { ...start(), redirectUri } });
    const res = await fetch(c.authorizeUrl, { redirect: 'manual' });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    await expect(admin2.call('POST', '/accounts/oauth/exchange', { body: { state: c.state, code } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const ex = await admin.call<{ accounts: unknown[] }>('POST', '/accounts/oauth/exchange', { body: { state: c.state, code } });
    expect(ex.accounts).toHaveLength(2);
    await expect(admin.call('POST', '/accounts/oauth/exchange', { body: { state: c.state, code } })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(admin.call('POST', '/accounts/oauth/connect', { body: { state: c.state, externalId: '4440004444' } })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/does not reach 4440004444/),
    });
    await expect(admin.call('POST', '/accounts/oauth/start', { body: { ...start(), redirectUri: 'https://evil.example/callback' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(new ApiClient(base, w.keys.analyst).call('POST', '/accounts/oauth/start', { body: { ...start(), redirectUri } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
