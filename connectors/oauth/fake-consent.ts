// A loopback fake of one ad platform's OAuth consent endpoints (node:http on 127.0.0.1, port 0), in that platform's
// wire format: the consent page (answers as if the user clicked Allow: 302 to redirect_uri with code — TikTok's
// auth_code — and state; an unregistered redirect_uri or a wrong client is refused as the platform would), the
// token endpoint (Google/LinkedIn form POST, with PKCE S256 checked for Google; Meta GET with the fb_exchange_token
// second step; TikTok JSON POST answering its {code, message, data} envelope) and the account listing
// (customers:listAccessibleCustomers, me/adaccounts, oauth2/advertiser/get, adAccountUsers). Codes are single use.
// Tests line its issued tokens up with the platform's API fake (connectors/<platform>/fake-server.ts).
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformKind } from '../types.js';
import type { ConsentEndpoints } from './consent.js';

export interface FakeConsentOptions {
  clientId?: string;
  clientSecret?: string;
  /** What the token endpoint issues. */
  accessToken?: string;
  refreshToken?: string;
  /** Accounts the token reaches (platform ids). */
  accounts?: { id: string; name: string }[];
  /** Redirect URIs the app registered; default: any loopback http://127.0.0.1:*\/callback. */
  redirectOk?: (uri: string) => boolean;
}

interface Grant {
  redirectUri: string;
  challenge?: string;
}

export class FakeConsent {
  readonly calls: { method: string; path: string; query: Record<string, string>; form: Record<string, string>; headers: http.IncomingHttpHeaders }[] = [];
  readonly opts: Required<FakeConsentOptions>;
  private readonly codes = new Map<string, Grant>();
  private n = 0;

  private constructor(
    readonly platform: PlatformKind,
    private readonly server: http.Server,
    o: FakeConsentOptions,
  ) {
    this.opts = {
      clientId: o.clientId ?? `${platform}-client`,
      clientSecret: o.clientSecret ?? `${platform}-client-secret`,
      accessToken: o.accessToken ?? `${platform}-consented-access`,
      refreshToken: o.refreshToken ?? `${platform}-consented-refresh`,
      accounts: o.accounts ?? [{ id: '1234567890', name: 'Consented account' }],
      redirectOk: o.redirectOk ?? ((u) => /^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(u)),
    };
  }

  static async start(platform: PlatformKind, o: FakeConsentOptions = {}): Promise<FakeConsent> {
    const holder: { fake?: FakeConsent } = {};
    const server = http.createServer((req, res) => void holder.fake!.handle(req, res));
    const fake = (holder.fake = new FakeConsent(platform, server, o));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get endpoints(): Required<ConsentEndpoints> {
    return { authorizeUrl: `${this.url}/authorize`, tokenUrl: `${this.url}/token`, apiBaseUrl: `${this.url}/api` };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const c of req) raw += c;
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const isJson = /json/.test(req.headers['content-type'] ?? '');
    const form: Record<string, string> = isJson ? (JSON.parse(raw || '{}') as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    this.calls.push({ method: req.method ?? '', path: url.pathname, query, form, headers: req.headers });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/authorize') return this.authorize(query, res, send);
    if (url.pathname === '/token') return this.token(req.method ?? 'GET', query, form, send);
    if (url.pathname.startsWith('/api/')) return this.list(url.pathname.slice(4), query, req.headers, send);
    send(404, { error: 'not_found' });
  }

  private authorize(q: Record<string, string>, res: http.ServerResponse, send: (s: number, b: unknown) => void): void {
    const client = this.platform === 'tiktok' ? q.app_id : q.client_id;
    const redirect = q.redirect_uri ?? '';
    // A wrong client or an unregistered redirect URI is shown to the user, never redirected (no open redirect).
    if (client !== this.opts.clientId) return send(400, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (!this.opts.redirectOk(redirect)) return send(400, { error: 'redirect_uri_mismatch', error_description: 'The redirect URI is not registered.' });
    if (this.platform !== 'tiktok' && q.response_type !== 'code')
      return send(400, { error: 'unsupported_response_type', error_description: String(q.response_type) });
    if (this.platform === 'google_ads' && q.code_challenge_method && q.code_challenge_method !== 'S256')
      return send(400, { error: 'invalid_request', error_description: 'code_challenge_method' });
    const code = `${this.platform}-code-${++this.n}`;
    this.codes.set(code, { redirectUri: redirect, challenge: q.code_challenge });
    const to = new URL(redirect);
    to.searchParams.set(this.platform === 'tiktok' ? 'auth_code' : 'code', code);
    to.searchParams.set('state', q.state ?? '');
    res.writeHead(302, { location: to.toString() });
    res.end();
  }

  private token(method: string, q: Record<string, string>, f: Record<string, string>, send: (s: number, b: unknown) => void): void {
    const o = this.opts;
    if (this.platform === 'tiktok') {
      const env = (code: number, message: string, data: unknown = {}) => send(200, { code, message, request_id: `req-${this.n}`, data });
      if (f.app_id !== o.clientId || f.secret !== o.clientSecret) return env(40001, 'The app_id or secret is invalid.');
      if (!this.codes.delete(f.auth_code ?? '')) return env(40002, 'auth_code is invalid or has expired.');
      return env(0, 'OK', { access_token: o.accessToken, advertiser_ids: o.accounts.map((a) => a.id), scope: [1, 2, 3] });
    }
    if (this.platform === 'meta') {
      if (method !== 'GET') return send(400, { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100 } });
      if (q.client_id !== o.clientId || q.client_secret !== o.clientSecret)
        return send(400, { error: { message: 'Error validating client secret.', type: 'OAuthException', code: 1 } });
      if (q.grant_type === 'fb_exchange_token') {
        if (q.fb_exchange_token !== 'meta-short-lived')
          return send(400, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
        return send(200, { access_token: o.accessToken, token_type: 'bearer', expires_in: 5183944 });
      }
      const g = this.codes.get(q.code ?? '');
      this.codes.delete(q.code ?? '');
      if (!g || g.redirectUri !== q.redirect_uri)
        return send(400, { error: { message: 'This authorization code has been used.', type: 'OAuthException', code: 100, error_subcode: 36009 } });
      return send(200, { access_token: 'meta-short-lived', token_type: 'bearer', expires_in: 5400 });
    }
    // Google and LinkedIn: RFC 6749 form POST
    if (f.client_id !== o.clientId || f.client_secret !== o.clientSecret) return send(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    if (f.grant_type !== 'authorization_code') return send(400, { error: 'unsupported_grant_type' });
    const g = this.codes.get(f.code ?? '');
    this.codes.delete(f.code ?? '');
    if (!g) return send(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
    if (g.redirectUri !== f.redirect_uri) return send(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
    if (g.challenge) {
      const ok = f.code_verifier && createHash('sha256').update(f.code_verifier).digest('base64url') === g.challenge;
      if (!ok) return send(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    }
    if (this.platform === 'linkedin')
      return send(200, {
        access_token: o.accessToken,
        expires_in: 5183999,
        refresh_token: o.refreshToken,
        refresh_token_expires_in: 31535999,
        scope: 'r_ads,r_ads_reporting,rw_ads',
      });
    send(200, {
      access_token: o.accessToken,
      expires_in: 3599,
      refresh_token: o.refreshToken,
      scope: 'https://www.googleapis.com/auth/adwords',
      token_type: 'Bearer',
    });
  }

  private list(path: string, q: Record<string, string>, h: http.IncomingHttpHeaders, send: (s: number, b: unknown) => void): void {
    const o = this.opts;
    const bearer = /^Bearer (.+)$/.exec(h.authorization ?? '')?.[1];
    if (this.platform === 'google_ads' && path === '/customers:listAccessibleCustomers') {
      if (bearer !== o.accessToken)
        return send(401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
      if (!h['developer-token']) return send(400, { error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } });
      return send(200, { resourceNames: o.accounts.map((a) => `customers/${a.id}`) });
    }
    if (this.platform === 'meta' && path === '/me/adaccounts') {
      if (q.access_token !== o.accessToken) return send(400, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
      return send(200, { data: o.accounts.map((a) => ({ id: `act_${a.id}`, account_id: a.id, name: a.name, currency: 'USD' })), paging: {} });
    }
    if (this.platform === 'tiktok' && path === '/oauth2/advertiser/get/') {
      if (h['access-token'] !== o.accessToken || q.app_id !== o.clientId || q.secret !== o.clientSecret)
        return send(200, { code: 40105, message: 'The access token is invalid.', data: {} });
      return send(200, { code: 0, message: 'OK', data: { list: o.accounts.map((a) => ({ advertiser_id: a.id, advertiser_name: a.name })) } });
    }
    if (this.platform === 'linkedin' && path === '/adAccountUsers' && q.q === 'authenticatedUser') {
      if (bearer !== o.accessToken) return send(401, { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
      if (!h['linkedin-version']) return send(400, { status: 400, code: 'VERSION_MISSING', message: 'A version must be present.' });
      return send(200, {
        elements: o.accounts.map((a) => ({ account: `urn:li:sponsoredAccount:${a.id}`, role: 'CAMPAIGN_MANAGER', user: 'urn:li:person:abc' })),
        paging: { count: 10, start: 0 },
      });
    }
    send(404, { error: 'not_found' });
  }
}
