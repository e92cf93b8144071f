// The Meta (Facebook / Instagram) Marketing API connector: the factory the connector registry calls, the secrets
// it reads, and what a user needs to know to connect an ad account.
import type { Connector } from '../types.js';
import { MetaConnector, type MetaConnectorOptions, type MetaSecrets } from './connector.js';

export type { MetaConnectorOptions, MetaSecrets };
export { GRAPH_API_VERSION } from './graph-api.js';
export { DEFAULT_CONVERSION_ACTION_TYPES } from './actions.js';

export function createMetaConnector(opts: MetaConnectorOptions): Connector {
  return new MetaConnector(opts);
}

export const describeMetaCredentials = `Meta (Facebook / Instagram ads) — Marketing API, Graph API v24.0.
- accessToken: a system-user token (Business Settings → Users → System users → Generate new token, with the
  app, the ad account assigned to the system user, and the permissions ads_read and ads_management), or a
  long-lived user token (60 days) from the app's Facebook Login. Meta issues no refresh token: when the token
  expires or is revoked (Graph error 190), syncs stop with "reconnect the account" until a person pastes a new one.
- appSecret (optional): the app's secret (App settings → Basic). When set, every call carries appsecret_proof
  (HMAC-SHA256 of the token), which apps with "Require App Secret" need.
- The account id is the ad account's id, with or without the act_ prefix (act_1234567890).
- conversionActionTypes / revenueActionTypes (optional): which insights action types count as conversions and
  conversion value, as an order of preference (the first one present in a day's row counts; Meta reports one
  purchase under several overlapping types). Default: omni_purchase, purchase, offsite_conversion.fb_pixel_purchase.
MBO reads: the ad account (name, currency, time zone), campaigns and ad sets (status, budgets, bid strategy, bid
amount) and daily campaign insights (spend, impressions, clicks, actions, action_values). MBO writes, only for an
approved change: a campaign's status (PAUSED / ACTIVE), its daily budget — on the campaign (Advantage campaign
budget) or on its single ad set — and the bid_amount of its single ad set for cost-cap and bid-cap bidding.`;
