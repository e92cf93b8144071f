// A small typed client for the Google Ads REST API over fetch: one place that sets the required headers
// (Authorization, developer-token, login-customer-id for manager access), bounds every call by a timeout,
// refreshes the OAuth access token once on a token 401 and maps failures to typed connector errors.
// Why not the google-ads-api package: see the README section in index.ts (its host, token endpoint and token
// cache are fixed, and its mutations go over gRPC), so nothing of it could be tested against a loopback fake.
import { childLogger } from '../../lib/logger.js';
import { AuthError, TransientError } from '../errors.js';
import { httpRequest } from '../http.js';
import type { ConnectorSecrets } from '../types.js';
import { isTokenProblem, parseFailure, toConnectorError } from './failure.js';
import {
  GOOGLE_ADS_API_VERSION,
  GOOGLE_ADS_BASE_URL,
  GOOGLE_OAUTH_TOKEN_URL,
  customerIdOnWire,
  type GoogleAdsRow,
  type MutateRequest,
  type MutateResponse,
  type SearchResponse,
  type SearchStreamBatch,
  type TokenResponse,
} from './wire.js';

/** What MBO stores (encrypted) for a Google Ads account. */
export interface GoogleAdsSecrets extends ConnectorSecrets {
  developerToken: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  /** The manager (MCC) account the OAuth user signs in through, when the account is reached via a manager. */
  loginCustomerId?: string;
}

export interface GoogleAdsClientOptions {
  customerId: string;
  secrets: GoogleAdsSecrets;
  onSecretsRefreshed?: (secrets: GoogleAdsSecrets) => Promise<void>;
  baseUrl?: string;
  tokenUrl?: string;
  timeoutMs?: number;
  apiVersion?: string;
}

export class GoogleAdsRestClient {
  readonly customerId: string;
  private secrets: GoogleAdsSecrets;
  private readonly loginCustomerId?: string;
  private readonly root: string;
  private readonly tokenUrl: string;
  private readonly timeoutMs?: number;
  private refreshing?: Promise<void>;
  private readonly log;

  constructor(private readonly opts: GoogleAdsClientOptions) {
    this.customerId = customerIdOnWire(opts.customerId);
    this.secrets = { ...opts.secrets };
    this.loginCustomerId = opts.secrets.loginCustomerId ? customerIdOnWire(opts.secrets.loginCustomerId, 'login customer id') : undefined;
    this.root = `${(opts.baseUrl ?? GOOGLE_ADS_BASE_URL).replace(/\/+$/, '')}/${opts.apiVersion ?? GOOGLE_ADS_API_VERSION}/customers/${this.customerId}`;
    this.tokenUrl = opts.tokenUrl ?? GOOGLE_OAUTH_TOKEN_URL;
    this.timeoutMs = opts.timeoutMs;
    this.log = childLogger({ platform: 'google_ads', customerId: this.customerId });
  }

  /** One page (up to 10,000 rows, Google's fixed page size) of a GAQL query. */
  search(query: string, pageToken?: string): Promise<SearchResponse> {
    return this.post<SearchResponse>('googleAds:search', { query, ...(pageToken ? { pageToken } : {}) }, 'search');
  }

  /** Every row of a GAQL query in one streamed response (an array of batches). */
  async searchStream(query: string): Promise<GoogleAdsRow[]> {
    const batches = await this.post<SearchStreamBatch[]>('googleAds:searchStream', { query }, 'searchStream');
    return (Array.isArray(batches) ? batches : []).flatMap((b) => b.results ?? []);
  }

  /** `campaignBudgets:mutate` / `campaigns:mutate`. */
  mutate<R>(service: 'campaignBudgets' | 'campaigns', request: MutateRequest<R>): Promise<MutateResponse> {
    return this.post<MutateResponse>(`${service}:mutate`, request, `${service}:mutate`);
  }

  private async post<T>(path: string, body: unknown, what: string): Promise<T> {
    let retried = false;
    if (!this.secrets.accessToken) await this.refresh();
    for (;;) {
      const used = this.secrets.accessToken;
      const started = Date.now();
      const { status, text } = await this.send(`${this.root}/${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) }, what);
      this.log.debug({ call: what, status, ms: Date.now() - started }, 'google ads call');
      if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
      const failure = parseFailure(status, text);
      if (!retried && isTokenProblem(failure)) {
        // One retry per call; refresh unless a concurrent call already replaced the token this one used.
        if (this.secrets.accessToken === used) await this.refresh();
        retried = true;
        continue;
      }
      throw toConnectorError(failure, `customer ${this.customerId} ${what}`);
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${this.secrets.accessToken}` };
    if (this.secrets.developerToken) h['developer-token'] = this.secrets.developerToken;
    if (this.loginCustomerId) h['login-customer-id'] = this.loginCustomerId;
    return h;
  }

  /** fetch + body read under one deadline (connectors/http.ts); network failures and timeouts are transient. */
  private async send(url: string, init: RequestInit, what: string): Promise<{ status: number; text: string }> {
    const { status, text } = await httpRequest(url, init, { timeoutMs: this.timeoutMs, platform: 'google_ads', what });
    return { status, text };
  }

  /** One OAuth refresh at a time; concurrent callers share it. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { clientId, clientSecret, refreshToken } = this.secrets;
    if (!clientId || !clientSecret || !refreshToken) {
      throw new AuthError('google_ads: cannot refresh the access token — the secrets lack clientId, clientSecret or refreshToken', 'google_ads');
    }
    const form = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, grant_type: 'refresh_token' });
    const { status, text } = await this.send(
      this.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      'OAuth refresh',
    );
    let token: TokenResponse = {};
    try {
      token = JSON.parse(text) as TokenResponse;
    } catch {
      /* non-JSON answer: reported by status below */
    }
    if (status >= 500) throw new TransientError(`google_ads OAuth refresh: HTTP ${status}`, 'google_ads');
    if (status !== 200 || !token.access_token) {
      const reason = token.error ? `${token.error}${token.error_description ? ` (${token.error_description})` : ''}` : `HTTP ${status}`;
      throw new AuthError(`google_ads OAuth refresh failed: ${reason}`, 'google_ads');
    }
    this.secrets = { ...this.secrets, accessToken: token.access_token, ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}) };
    this.log.info('google ads access token refreshed');
    await this.opts.onSecretsRefreshed?.({ ...this.secrets });
  }
}
