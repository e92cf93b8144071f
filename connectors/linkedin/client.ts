// Our small typed client for the versioned LinkedIn Marketing API over fetch (no SDK). Every call carries
// `Authorization: Bearer`, `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`; a GET whose URL would pass
// LinkedIn's size limits is tunnelled (POST + `X-HTTP-Method-Override: GET`, query in a form-urlencoded body);
// partial updates are POSTs with `X-RestLi-Method: PARTIAL_UPDATE`. HTTP statuses map to our typed errors; a
// 401 refreshes the access token once at www.linkedin.com/oauth/v2/accessToken (grant_type=refresh_token)
// and retries, a second 401 or a refused refresh is an AuthError. LinkedIn's 429 carries no Retry-After, so
// the delay is our own exponential backoff.
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { httpRequest, rateLimitBackoff, rateLimitCleared, redact, retryAfterMs, type HttpResponse } from '../http.js';
import type { ConnectorSecrets } from '../types.js';
import { LINKEDIN_VERSION, MAX_QUERY_BYTES, MAX_URL_BYTES, RESTLI_PROTOCOL_VERSION, type LinkedInErrorBody, type LinkedInTokenResponse } from './wire.js';

export interface LinkedInSecrets extends ConnectorSecrets {
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface LinkedInClientOptions {
  baseUrl: string;
  /** Key of the process-wide rate-limit backoff (one per ad account). */
  backoffKey: string;
  tokenUrl: string;
  timeoutMs?: number;
  version?: string;
  secrets: LinkedInSecrets;
  onSecretsRefreshed?: (secrets: LinkedInSecrets) => Promise<void>;
}

export interface LinkedInRequest {
  method: 'GET' | 'POST';
  /** Path under the base URL, e.g. `adAccounts/123/adCampaigns`. */
  path: string;
  /** Rest.li-encoded query string (restli.ts), without `?`. */
  query?: string;
  body?: unknown;
  restliMethod?: 'PARTIAL_UPDATE';
}

const PLATFORM = 'linkedin';

export class LinkedInClient {
  private secrets: LinkedInSecrets;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly opts: LinkedInClientOptions) {
    this.secrets = { ...opts.secrets };
  }

  async request<T>(req: LinkedInRequest, refreshed = false): Promise<T> {
    const token = this.secrets.accessToken;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      'LinkedIn-Version': this.opts.version ?? LINKEDIN_VERSION,
      'X-Restli-Protocol-Version': RESTLI_PROTOCOL_VERSION,
    };
    let url = `${this.opts.baseUrl}/${req.path}`;
    let method: string = req.method;
    let body: string | undefined;
    if (req.method === 'GET' && req.query) {
      const full = `${url}?${req.query}`;
      if (Buffer.byteLength(req.query) > MAX_QUERY_BYTES || Buffer.byteLength(full) > MAX_URL_BYTES) {
        method = 'POST';
        headers['X-HTTP-Method-Override'] = 'GET';
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        body = req.query;
      } else url = full;
    } else if (req.query) url = `${url}?${req.query}`;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    if (req.restliMethod) headers['X-RestLi-Method'] = req.restliMethod;

    const what = `${req.restliMethod ?? req.method} ${req.path}`;
    const res = await httpRequest(url, { method, headers, body }, { timeoutMs: this.opts.timeoutMs, platform: PLATFORM, what });
    if (res.status >= 200 && res.status < 300) {
      rateLimitCleared(this.opts.backoffKey);
      return res.json as T;
    }
    if (res.status === 401 && !refreshed && this.canRefresh()) {
      if (this.secrets.accessToken === token) await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = null)));
      return this.request<T>(req, true);
    }
    throw this.error(res, what);
  }

  private error(res: HttpResponse, what: string): Error {
    const e = (res.json ?? {}) as LinkedInErrorBody;
    const reason = redact(`${e.message ?? `HTTP ${res.status}`}${e.code ? ` (${e.code})` : ''}`, this.secrets);
    switch (true) {
      case res.status === 401:
        return new AuthError(
          `linkedin ${what}: ${reason}. ${this.canRefresh() ? 'A refreshed token was rejected too.' : 'No refresh token: authorise MBO again.'}`,
          PLATFORM,
        );
      case res.status === 403:
        return new AuthError(`linkedin ${what}: not allowed for this member: ${reason}`, PLATFORM);
      case res.status === 404:
        return new NotFoundError(`linkedin ${what}: ${reason}`, PLATFORM);
      case res.status === 429: {
        const delay = retryAfterMs(res.headers.get('retry-after')) ?? rateLimitBackoff(this.opts.backoffKey);
        return new RateLimitError(`linkedin rate limit on ${what}: ${reason}; retry after ${delay} ms`, delay, PLATFORM);
      }
      case res.status >= 500:
        return new TransientError(`linkedin ${what}: ${reason}`, PLATFORM);
      default:
        // 400 (bad parameter, VERSION_MISSING), 414 (URI too long), 422, 426 (NONEXISTENT_VERSION): our request is wrong.
        return new ValidationError(`linkedin ${what}: HTTP ${res.status} ${reason}`, PLATFORM);
    }
  }

  private canRefresh(): boolean {
    return Boolean(this.secrets.refreshToken && this.secrets.clientId && this.secrets.clientSecret);
  }

  /** grant_type=refresh_token at the OAuth endpoint; LinkedIn keeps the refresh token's original one-year TTL. */
  private async refresh(): Promise<void> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.secrets.refreshToken!,
      client_id: this.secrets.clientId!,
      client_secret: this.secrets.clientSecret!,
    });
    const res = await httpRequest(
      this.opts.tokenUrl,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      { timeoutMs: this.opts.timeoutMs, platform: PLATFORM, what: 'token refresh' },
    );
    if (res.status >= 500) throw new TransientError(`linkedin token refresh: HTTP ${res.status}`, PLATFORM);
    const t = (res.json ?? {}) as LinkedInTokenResponse;
    if (res.status !== 200 || !t.access_token) {
      const why = t.error ? redact(`${t.error}${t.error_description ? `: ${t.error_description}` : ''}`, this.secrets) : `HTTP ${res.status}`;
      throw new AuthError(`linkedin token refresh failed (${why}); authorise MBO again`, PLATFORM);
    }
    this.secrets = { ...this.secrets, accessToken: t.access_token, refreshToken: t.refresh_token ?? this.secrets.refreshToken };
    await this.opts.onSecretsRefreshed?.({ ...this.secrets });
  }
}
