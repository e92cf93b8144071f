// Our small typed client for the TikTok Marketing API v1.3 over fetch (no SDK): sends the `Access-Token` header,
// unwraps the `{code, message, request_id, data}` envelope that TikTok returns inside HTTP 200, maps its codes to
// our typed errors (codes.ts) and, when TikTok says the token is invalid or expired, refreshes it once and
// retries. Advertiser tokens issued by oauth2/access_token/ are long-term (valid until the advertiser revokes
// the authorisation) and come with no refresh token, so for them an invalid token is final: AuthError, the
// advertiser must authorise MBO again. Only tokens that do expire (24 h, with a 1-year refresh token) can be
// refreshed, at tt_user/oauth2/refresh_token/ with the app id and secret.
import { AuthError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { httpRequest, rateLimitBackoff, rateLimitCleared, redact, retryAfterMs, type HttpResponse } from '../http.js';
import type { ConnectorSecrets } from '../types.js';
import { classifyTikTokCode } from './codes.js';
import type { RefreshTokenData, TikTokEnvelope } from './wire.js';

export interface TikTokSecrets extends ConnectorSecrets {
  accessToken: string;
  appId?: string;
  secret?: string;
  refreshToken?: string;
}

export interface TikTokClientOptions {
  baseUrl: string;
  /** Key of the process-wide rate-limit backoff (one per advertiser). */
  backoffKey: string;
  tokenUrl: string;
  timeoutMs?: number;
  secrets: TikTokSecrets;
  onSecretsRefreshed?: (secrets: TikTokSecrets) => Promise<void>;
}

const PLATFORM = 'tiktok';

export class TikTokClient {
  private secrets: TikTokSecrets;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly opts: TikTokClientOptions) {
    this.secrets = { ...opts.secrets };
  }

  /** GET with query parameters; arrays and objects are sent as JSON text, as TikTok's GET endpoints expect. */
  get<T>(path: string, params: Record<string, unknown>): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      qs.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    return this.call<T>('GET', `${path}?${qs}`, undefined);
  }

  post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    return this.call<T>('POST', path, JSON.stringify(body));
  }

  private async call<T>(method: 'GET' | 'POST', pathAndQuery: string, body: string | undefined, refreshed = false): Promise<T> {
    const what = pathAndQuery.split('?')[0]!;
    const headers: Record<string, string> = { 'Access-Token': this.secrets.accessToken };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await httpRequest(
      `${this.opts.baseUrl}/${pathAndQuery}`,
      { method, headers, body },
      { timeoutMs: this.opts.timeoutMs, platform: PLATFORM, what },
    );
    const env = this.envelope(res, what);
    const kind = classifyTikTokCode(env.code);
    const reason = `${redact(String(env.message), this.secrets)} (code ${env.code}${env.request_id ? `, request ${env.request_id}` : ''})`;
    switch (kind) {
      case 'ok':
        rateLimitCleared(this.opts.backoffKey);
        return env.data as T;
      case 'rate_limit': {
        // TikTok's envelope carries no delay: our own backoff, unless a Retry-After header came along.
        const delay = retryAfterMs(res.headers.get('retry-after')) ?? rateLimitBackoff(this.opts.backoffKey);
        throw new RateLimitError(`tiktok rate limit on ${what}: ${reason}; retry after ${delay} ms`, delay, PLATFORM);
      }
      case 'token':
        if (!refreshed && this.canRefresh()) {
          // Calls in flight together share one refresh (refresh tokens rotate: a second refresh would fail).
          if (this.secrets.accessToken === headers['Access-Token']) await (this.refreshing ??= this.refresh().finally(() => (this.refreshing = null)));
          return this.call<T>(method, pathAndQuery, body, true);
        }
        throw new AuthError(
          `tiktok access token rejected: ${reason}. ${this.canRefresh() ? 'A refreshed token was rejected too.' : 'Advertiser tokens do not expire and cannot be refreshed: authorise MBO again.'}`,
          PLATFORM,
        );
      case 'permission':
        throw new AuthError(`tiktok: no permission for this advertiser: ${reason}`, PLATFORM);
      case 'validation':
        throw new ValidationError(`tiktok ${what}: ${reason}`, PLATFORM);
      default:
        throw new TransientError(`tiktok ${what}: ${reason}`, PLATFORM);
    }
  }

  /** The envelope, also from a non-200 answer where TikTok (or a proxy) sent one; HTTP-level failures otherwise. */
  private envelope(res: HttpResponse, what: string): TikTokEnvelope<unknown> {
    const j = res.json as TikTokEnvelope<unknown> | undefined;
    if (j && typeof j === 'object' && typeof j.code === 'number') return j;
    if (res.status === 429) {
      const delay = retryAfterMs(res.headers.get('retry-after')) ?? rateLimitBackoff(this.opts.backoffKey);
      throw new RateLimitError(`tiktok rate limit on ${what} (HTTP 429); retry after ${delay} ms`, delay, PLATFORM);
    }
    if (res.status >= 500 || res.status === 200) throw new TransientError(`tiktok ${what}: HTTP ${res.status} without a TikTok envelope`, PLATFORM);
    if (res.status === 401 || res.status === 403) return { code: 40105, message: `HTTP ${res.status}` };
    throw new ValidationError(`tiktok ${what}: HTTP ${res.status}`, PLATFORM);
  }

  private canRefresh(): boolean {
    return Boolean(this.secrets.refreshToken && this.secrets.appId && this.secrets.secret);
  }

  /** One refresh at the token URL; the rotated refresh token replaces the old one and is handed to the caller. */
  private async refresh(): Promise<void> {
    const body = JSON.stringify({
      client_id: this.secrets.appId,
      client_secret: this.secrets.secret,
      grant_type: 'refresh_token',
      refresh_token: this.secrets.refreshToken,
    });
    const res = await httpRequest(
      this.opts.tokenUrl,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
      { timeoutMs: this.opts.timeoutMs, platform: PLATFORM, what: 'token refresh' },
    );
    if (res.status >= 500) throw new TransientError(`tiktok token refresh: HTTP ${res.status}`, PLATFORM);
    const env = res.json as TikTokEnvelope<RefreshTokenData> | undefined;
    if (!env || env.code !== 0 || !env.data?.access_token) {
      const why = env && typeof env.code === 'number' ? `${redact(String(env.message), this.secrets)} (code ${env.code})` : `HTTP ${res.status}`;
      throw new AuthError(`tiktok token refresh failed: ${why}; authorise MBO again`, PLATFORM);
    }
    this.secrets = { ...this.secrets, accessToken: env.data.access_token, refreshToken: env.data.refresh_token ?? this.secrets.refreshToken };
    await this.opts.onSecretsRefreshed?.({ ...this.secrets });
  }
}
