// The TikTok connector's public face: the factory the lead wires into connectorFor, the secrets type, and the
// credentials text for the README.
import type { Connector } from '../types.js';
import { TikTokConnector, type TikTokConnectorOptions } from './connector.js';

export type { TikTokSecrets } from './client.js';
export type { TikTokConnectorOptions } from './connector.js';
export { CONVERSION_METRIC_CHOICES, DEFAULT_CONVERSION_METRICS, TIKTOK_BASE_URL } from './wire.js';

export function createTikTokConnector(opts: TikTokConnectorOptions): Connector {
  return new TikTokConnector(opts);
}

export const describeTikTokCredentials = `TikTok (Marketing API v1.3, https://business-api.tiktok.com/open_api/v1.3)
- Account id: the advertiser id (a long number, in TikTok Ads Manager next to the account name).
- accessToken: create an app at business-api.tiktok.com (My Apps) with the Ad Account Management, Campaign
  Management and Reporting scopes, open the app's advertiser authorisation URL, approve, and exchange the
  auth_code at POST /open_api/v1.3/oauth2/access_token/ (app_id, secret, auth_code). Advertiser tokens are
  long-term: they do not expire until the advertiser revokes the authorisation, and come without a refresh
  token; when TikTok rejects one (code 40105) MBO stops with an auth error and the advertiser authorises again.
- appId, secret, refreshToken (optional): only for tokens that do expire (24 h with a one-year refresh token);
  MBO then refreshes once at /tt_user/oauth2/refresh_token/ and stores the rotated tokens.
- MBO reads: advertiser/info (name, currency, time zone), campaign/get and adgroup/get (status, budgets, bids),
  report/integrated/get (BASIC, AUCTION_CAMPAIGN, by campaign and day: spend, impressions, clicks, and by default
  conversion as conversions and total_complete_payment_rate — the purchase value — as conversion value; per
  account another documented pair can be chosen, e.g. complete_payment / total_complete_payment_rate).
- MBO writes, only after approval: campaign/update (daily budget), adgroup/update (ad-group daily budgets when the
  campaign has none; bid_price / conversion_bid_price), campaign/status/update (ENABLE / DISABLE). Never deletes.`;
