// The LinkedIn connector's public face: the factory the lead wires into connectorFor, the secrets type, and the
// credentials text for the README.
import type { Connector } from '../types.js';
import { LinkedInConnector, type LinkedInConnectorOptions } from './connector.js';
import { LINKEDIN_VERSION } from './wire.js';

export type { LinkedInSecrets } from './client.js';
export type { LinkedInConnectorOptions } from './connector.js';
export { LINKEDIN_BASE_URL, LINKEDIN_TOKEN_URL, LINKEDIN_VERSION } from './wire.js';

export function createLinkedInConnector(opts: LinkedInConnectorOptions): Connector {
  return new LinkedInConnector(opts);
}

export const describeLinkedInCredentials = `LinkedIn (Marketing API, versioned: https://api.linkedin.com/rest, LinkedIn-Version ${LINKEDIN_VERSION})
- Account id: the ad account id (Campaign Manager → account name → the number in the URL), or its
  urn:li:sponsoredAccount:… URN.
- accessToken: an app at linkedin.com/developers with the Advertising API product (Marketing Developer Platform),
  OAuth 2.0 authorization-code flow with the scopes r_ads and r_ads_reporting (and rw_ads for MBO to change
  budgets, status and bids). Access tokens last 60 days.
- refreshToken, clientId, clientSecret (optional but recommended): apps approved for programmatic refresh tokens
  get a refresh token (valid 365 days from the first authorisation; refreshing does not extend it). On a 401 MBO
  refreshes once at https://www.linkedin.com/oauth/v2/accessToken (grant_type=refresh_token) and stores the new
  access token; when that fails the account stops with an auth error and the member must authorise again.
- MBO reads: adAccounts/{id} (name, currency), adAccounts/{id}/adCampaigns?q=search (status, dailyBudget, unitCost,
  optimizationTargetType), adAnalytics?q=analytics pivot CAMPAIGN, DAILY (costInLocalCurrency, impressions, clicks,
  externalWebsiteConversions, conversionValueInLocalCurrency). LinkedIn reports by UTC day, so the account's
  time zone in MBO is UTC.
- MBO writes, only after approval: partial updates of a campaign's dailyBudget, status (ACTIVE / PAUSED) and
  unitCost (the bid). Never archives or deletes.`;
