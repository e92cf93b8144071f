// A small typed client for the GA4 Data API v1beta over fetch (no SDK: `@google-analytics/data` speaks gRPC to a
// fixed Google host, which a loopback fake cannot stand behind without TLS and patched globals). One place sets the
// Bearer token, bounds every call by a timeout, refreshes the OAuth access token once on a 401 and maps failures to
// typed connector errors (failure.ts). The property id travels as digits: `properties/{id}:runReport`.
import { childLogger } from '../../lib/logger.js';
import { AuthError, TransientError, ValidationError } from '../errors.js';
import { httpRequest, rateLimitBackoff, rateLimitCleared } from '../http.js';
import type { ConnectorSecrets } from '../types.js';
import { ga4Error, isTokenProblem, parseGa4Failure } from './failure.js';
import { GA4_API_VERSION, GA4_DATA_BASE_URL, GOOGLE_OAUTH_TOKEN_URL, type RunReportRequest, type RunReportResponse, type TokenResponse } from './wire.js';

/** What MBO stores (sealed) for a GA4 property: an OAuth client and a refresh token with analytics.readonly. */
export interface Ga4Secrets extends ConnectorSecrets {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
}

export interface Ga4ClientOptions {
  propertyId: string;
  secrets: Ga4Secrets;
  onSecretsRefreshed?: (secrets: Ga4Secrets) => Promise<void>;
  baseUrl?: string;
  tokenUrl?: string;
  timeoutMs?: number;
}

/** "properties/123", "123" → "123"; anything else is a ValidationError (it goes into the URL path). */
export function propertyIdOnWire(id: string): string {
  const m = /^(?:properties\/)?(\d{1,20})$/.exec(id.trim());
  if (!m) throw new ValidationError(`ga4: a property id is digits (e.g. 123456789), got "${id}"`, 'ga4');
  return m[1]!;
}

export class Ga4Client {
  readonly propertyId: string;
  private secrets: Ga4Secrets;
  private readonly url: string;
  private readonly tokenUrl: string;
  private refreshing?: Promise<void>;
  private readonly log;

  constructor(private readonly opts: Ga4ClientOptions) {
    this.propertyId = propertyIdOnWire(opts.propertyId);
    this.secrets = { ...opts.secrets };
    this.url = `${(opts.baseUrl ?? GA4_DATA_BASE_URL).replace(/\/+$/, '')}/${GA4_API_VERSION}/properties/${this.propertyId}:runReport`;
    this.tokenUrl = opts.tokenUrl ?? GOOGLE_OAUTH_TOKEN_URL;
    this.log = childLogger({ platform: 'ga4', propertyId: this.propertyId });
  }

  /** One page of a report. */
  async runReport(request: RunReportRequest): Promise<RunReportResponse> {
    let retried = false;
    if (!this.secrets.accessToken) await this.refresh();
    const key = `ga4:${this.propertyId}`;
    for (;;) {
      const used = this.secrets.accessToken;
      const { status, text } = await httpRequest(
        this.url,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${used}` }, body: JSON.stringify(request) },
        { timeoutMs: this.opts.timeoutMs, platform: 'ga4', what: 'runReport' },
      );
      this.log.debug({ status }, 'ga4 runReport');
      if (status >= 200 && status < 300) {
        rateLimitCleared(key);
        return (text ? JSON.parse(text) : {}) as RunReportResponse;
      }
      const failure = parseGa4Failure(status, text);
      if (!retried && isTokenProblem(failure)) {
        if (this.secrets.accessToken === used) await this.refresh();
        retried = true;
        continue;
      }
      // GA4's quota errors carry no retry delay: our per-property backoff (1 s, 2 s, 4 s … 5 min) decides.
      throw ga4Error(failure, `property ${this.propertyId} runReport`, status === 429 || failure.status === 'RESOURCE_EXHAUSTED' ? rateLimitBackoff(key) : 0);
    }
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { clientId, clientSecret, refreshToken } = this.secrets;
    if (!clientId || !clientSecret || !refreshToken)
      throw new AuthError('ga4: cannot refresh the access token — the secrets lack clientId, clientSecret or refreshToken', 'ga4');
    const form = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, grant_type: 'refresh_token' });
    const { status, json } = await httpRequest(
      this.tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
      { timeoutMs: this.opts.timeoutMs, platform: 'ga4', what: 'OAuth refresh' },
    );
    const token = (json ?? {}) as TokenResponse;
    if (status >= 500) throw new TransientError(`ga4 OAuth refresh: HTTP ${status}`, 'ga4');
    if (status !== 200 || !token.access_token) {
      const reason = token.error ? `${token.error}${token.error_description ? ` (${token.error_description})` : ''}` : `HTTP ${status}`;
      throw new AuthError(`ga4 OAuth refresh failed: ${reason}`, 'ga4');
    }
    this.secrets = { ...this.secrets, accessToken: token.access_token, ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}) };
    await this.opts.onSecretsRefreshed?.({ ...this.secrets });
  }
}
