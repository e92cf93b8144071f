// Each ad platform's OAuth 2.0 authorization-code flow, as its documentation describes it: where the consent page is
// (authorizeUrl, with state — and PKCE S256 where the platform takes it: Google), how a code is exchanged for tokens
// at the token endpoint (exchangeCode) and which accounts the new token reaches (listAccessibleAccounts). What it
// returns are the secrets each connector stores (connectors/<platform>/…Secrets). Hosts default to the real ones;
// `endpoints` points them at loopback fakes in tests. Nothing here logs, and no error carries a token or secret.
import { createHash, randomBytes } from 'node:crypto';
import type { PlatformKind } from '../types.js';
import { AuthError, TransientError, ValidationError } from '../errors.js';
import { httpRequest, redact } from '../http.js';
import { LINKEDIN_VERSION } from '../linkedin/wire.js';

export interface ConsentEndpoints {
  /** The consent page the user's browser opens. */
  authorizeUrl?: string;
  /** Where the code is exchanged (and, for Meta, the short-lived token for a long-lived one). */
  tokenUrl?: string;
  /** The platform API root the account listing is read from. */
  apiBaseUrl?: string;
}

export interface ConsentClient {
  clientId: string;
  clientSecret: string;
}

export const DEFAULT_ENDPOINTS: Record<PlatformKind, Required<ConsentEndpoints>> = {
  google_ads: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    apiBaseUrl: 'https://googleads.googleapis.com/v24',
  },
  meta: {
    authorizeUrl: 'https://www.facebook.com/v24.0/dialog/oauth',
    tokenUrl: 'https://graph.facebook.com/v24.0/oauth/access_token',
    apiBaseUrl: 'https://graph.facebook.com/v24.0',
  },
  tiktok: {
    authorizeUrl: 'https://business-api.tiktok.com/portal/auth',
    tokenUrl: 'https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/',
    apiBaseUrl: 'https://business-api.tiktok.com/open_api/v1.3',
  },
  linkedin: {
    authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization',
    tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
    apiBaseUrl: 'https://api.linkedin.com/rest',
  },
};

/** The scopes MBO asks for: read reports and campaigns, change budgets, status and bids. */
export const SCOPES: Record<PlatformKind, string> = {
  google_ads: 'https://www.googleapis.com/auth/adwords',
  meta: 'ads_read,ads_management',
  tiktok: '',
  linkedin: 'r_ads r_ads_reporting rw_ads',
};

/** Only Google's installed-app flow takes PKCE among the four; the others rely on the client secret alone. */
export const SUPPORTS_PKCE: Record<PlatformKind, boolean> = { google_ads: true, meta: false, tiktok: false, linkedin: false };

export function newState(): string {
  return randomBytes(24).toString('base64url');
}

/** A PKCE verifier (43–128 unreserved characters) and its S256 challenge (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const ep = (platform: PlatformKind, e?: ConsentEndpoints) => ({ ...DEFAULT_ENDPOINTS[platform], ...stripUndefined(e ?? {}) });
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function authorizeUrl(
  platform: PlatformKind,
  p: { clientId: string; redirectUri: string; state: string; codeChallenge?: string; endpoints?: ConsentEndpoints },
): string {
  const u = new URL(ep(platform, p.endpoints).authorizeUrl);
  const q = u.searchParams;
  if (platform === 'tiktok') {
    q.set('app_id', p.clientId);
  } else {
    q.set('client_id', p.clientId);
    q.set('response_type', 'code');
    q.set('scope', SCOPES[platform]);
  }
  q.set('redirect_uri', p.redirectUri);
  q.set('state', p.state);
  if (platform === 'google_ads') {
    q.set('access_type', 'offline'); // a refresh token
    q.set('prompt', 'consent'); // …every time, not only on the first consent
  }
  if (p.codeChallenge && SUPPORTS_PKCE[platform]) {
    q.set('code_challenge', p.codeChallenge);
    q.set('code_challenge_method', 'S256');
  }
  return u.toString();
}

/** Secrets a connector stores, from the token answer (platform field names → connectors' names). */
export type ConsentSecrets = Record<string, string>;

async function call(platform: PlatformKind, url: string, init: RequestInit, what: string, secrets: Record<string, string | undefined>) {
  const res = await httpRequest(url, init, { platform, what, timeoutMs: 20_000 });
  if (res.status >= 500) throw new TransientError(`${platform} ${what}: HTTP ${res.status}`, platform);
  const body = (res.json ?? {}) as Record<string, unknown>;
  const fail = (reason: string) => new AuthError(`${platform} ${what} refused: ${redact(reason, secrets)}`, platform);
  return { status: res.status, body, fail };
}

function oauthReason(body: Record<string, unknown>, status: number): string {
  const e = body.error;
  if (typeof e === 'string') return `${e}${body.error_description ? ` (${String(body.error_description)})` : ''}`;
  if (e && typeof e === 'object') return `${(e as { message?: string }).message ?? ''} (code ${(e as { code?: number }).code ?? '?'})`;
  if (typeof body.message === 'string') return `${body.message} (code ${String(body.code)})`;
  return `HTTP ${status}`;
}

/** Exchanges the authorization code for the platform's tokens; returns what the connector stores. */
export async function exchangeCode(
  platform: PlatformKind,
  p: { client: ConsentClient; code: string; redirectUri: string; codeVerifier?: string; endpoints?: ConsentEndpoints },
): Promise<ConsentSecrets> {
  const e = ep(platform, p.endpoints);
  const hide = { s: p.client.clientSecret, c: p.code, v: p.codeVerifier };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  switch (platform) {
    case 'google_ads':
    case 'linkedin': {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code: p.code,
        redirect_uri: p.redirectUri,
        client_id: p.client.clientId,
        client_secret: p.client.clientSecret,
        ...(p.codeVerifier && SUPPORTS_PKCE[platform] ? { code_verifier: p.codeVerifier } : {}),
      });
      const r = await call(platform, e.tokenUrl, { method: 'POST', headers: form, body: body.toString() }, 'code exchange', hide);
      const t = r.body as { access_token?: string; refresh_token?: string };
      if (r.status !== 200 || !t.access_token) throw r.fail(oauthReason(r.body, r.status));
      if (platform === 'google_ads' && !t.refresh_token)
        throw r.fail('no refresh token in the answer (the consent must be given with access_type=offline and prompt=consent)');
      return {
        accessToken: t.access_token,
        ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}),
        clientId: p.client.clientId,
        clientSecret: p.client.clientSecret,
      };
    }
    case 'meta': {
      // code → short-lived user token → long-lived (60-day) token (Meta issues no refresh token).
      const q = new URLSearchParams({ client_id: p.client.clientId, client_secret: p.client.clientSecret, redirect_uri: p.redirectUri, code: p.code });
      const r = await call(platform, `${e.tokenUrl}?${q}`, { method: 'GET' }, 'code exchange', hide);
      const short = (r.body as { access_token?: string }).access_token;
      if (r.status !== 200 || !short) throw r.fail(oauthReason(r.body, r.status));
      const q2 = new URLSearchParams({
        grant_type: 'fb_exchange_token',
        client_id: p.client.clientId,
        client_secret: p.client.clientSecret,
        fb_exchange_token: short,
      });
      const r2 = await call(platform, `${e.tokenUrl}?${q2}`, { method: 'GET' }, 'long-lived token exchange', { ...hide, t: short });
      const long = (r2.body as { access_token?: string }).access_token;
      if (r2.status !== 200 || !long) throw r2.fail(oauthReason(r2.body, r2.status));
      return { accessToken: long, appSecret: p.client.clientSecret };
    }
    case 'tiktok': {
      const r = await call(
        platform,
        e.tokenUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ app_id: p.client.clientId, secret: p.client.clientSecret, auth_code: p.code }),
        },
        'code exchange',
        hide,
      );
      const env = r.body as { code?: number; message?: string; data?: { access_token?: string; refresh_token?: string } };
      if (env.code !== 0 || !env.data?.access_token) throw r.fail(oauthReason(r.body, r.status));
      return {
        accessToken: env.data.access_token,
        ...(env.data.refresh_token ? { refreshToken: env.data.refresh_token } : {}),
        appId: p.client.clientId,
        secret: p.client.clientSecret,
      };
    }
  }
}

export interface AccessibleAccount {
  externalId: string;
  name: string | null;
}

/** The ad accounts the new token reaches, for the user to choose one. */
export async function listAccessibleAccounts(
  platform: PlatformKind,
  secrets: ConsentSecrets,
  p: { developerToken?: string; endpoints?: ConsentEndpoints } = {},
): Promise<AccessibleAccount[]> {
  const base = ep(platform, p.endpoints).apiBaseUrl.replace(/\/+$/, '');
  const hide = { a: secrets.accessToken, d: p.developerToken, s: secrets.clientSecret ?? secrets.secret ?? secrets.appSecret };
  switch (platform) {
    case 'google_ads': {
      if (!p.developerToken) throw new ValidationError('google_ads: a developer token is needed to list accounts', platform);
      const r = await call(
        platform,
        `${base}/customers:listAccessibleCustomers`,
        { method: 'GET', headers: { authorization: `Bearer ${secrets.accessToken}`, 'developer-token': p.developerToken } },
        'listAccessibleCustomers',
        hide,
      );
      const names = (r.body as { resourceNames?: string[] }).resourceNames;
      if (r.status !== 200 || !names) throw r.fail(oauthReason(r.body, r.status));
      return names.map((n) => ({ externalId: n.replace(/^customers\//, ''), name: null }));
    }
    case 'meta': {
      const out: AccessibleAccount[] = [];
      let url: string | undefined =
        `${base}/me/adaccounts?${new URLSearchParams({ fields: 'account_id,name,currency', limit: '100', access_token: secrets.accessToken! })}`;
      for (let pages = 0; url && pages < 50; pages++) {
        const r = await call(platform, url, { method: 'GET' }, 'me/adaccounts', hide);
        const b = r.body as { data?: { id: string; name?: string }[]; paging?: { next?: string } };
        if (r.status !== 200 || !b.data) throw r.fail(oauthReason(r.body, r.status));
        out.push(...b.data.map((a) => ({ externalId: a.id, name: a.name ?? null })));
        url = b.paging?.next;
      }
      return out;
    }
    case 'tiktok': {
      const q = new URLSearchParams({ app_id: secrets.appId!, secret: secrets.secret! });
      const r = await call(
        platform,
        `${base}/oauth2/advertiser/get/?${q}`,
        { method: 'GET', headers: { 'Access-Token': secrets.accessToken! } },
        'advertiser/get',
        hide,
      );
      const env = r.body as { code?: number; data?: { list?: { advertiser_id: string; advertiser_name?: string }[] } };
      if (env.code !== 0 || !env.data?.list) throw r.fail(oauthReason(r.body, r.status));
      return env.data.list.map((a) => ({ externalId: String(a.advertiser_id), name: a.advertiser_name ?? null }));
    }
    case 'linkedin': {
      const r = await call(
        platform,
        `${base}/adAccountUsers?q=authenticatedUser`,
        {
          method: 'GET',
          headers: { authorization: `Bearer ${secrets.accessToken}`, 'LinkedIn-Version': LINKEDIN_VERSION, 'X-Restli-Protocol-Version': '2.0.0' },
        },
        'adAccountUsers',
        hide,
      );
      const b = r.body as { elements?: { account: string; role?: string }[] };
      if (r.status !== 200 || !b.elements) throw r.fail(oauthReason(r.body, r.status));
      return b.elements.map((x) => ({ externalId: x.account.replace(/^urn:li:sponsoredAccount:/, ''), name: null }));
    }
  }
}
