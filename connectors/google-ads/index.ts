// The Google Ads connector's public face: the factory the lead wires into connectorFor, the secrets it needs, and
// the text that tells a user how to get them and what MBO reads and writes.
//
// Why a typed REST client and not the google-ads-api package (24.1.0), decided after reading its code:
// its reads go through the global axios instance to a URL built from a hard-coded host
// (`https://googleads.googleapis.com/v24/…` in Customer.prepareGoogleAdsServicePostRequestArgs, a private
// method), its access tokens come from google-auth-library's fixed token endpoint and live in a process-wide
// 50-minute cache keyed by refresh token (a revoked token keeps being reused, our stored access token is never
// used and a refresh is never reported back), and its mutations are gRPC over TLS to the same fixed host. None of
// it can be pointed at a loopback fake without patching globals or overriding private methods, so none of it could
// be tested for real. It also cannot return one page of results (its public query/report read every page into
// memory; a resumable sync needs the page token), it loads in ~4.7 s and ~185 MB (gRPC + protobuf), and its paged-search
// error path reads `error.details[0]` without a check, so a plain 401 without details throws a TypeError
// instead of an auth error. Google's documented REST endpoints are small and stable: this connector calls them
// over fetch with a configurable base URL. The package still earns its place as the schema: `schema.test.ts`
// checks every GAQL field, mutate path and enum value we use against the v24 protos it ships (google-ads-node).
import { GoogleAdsConnector, type GoogleAdsConnectorOptions } from './connector.js';

export { GoogleAdsConnector, type BudgetChange, type BudgetChangeOutcome, type GoogleAdsConnectorOptions } from './connector.js';
export type { GoogleAdsSecrets } from './client.js';

export function createGoogleAdsConnector(opts: GoogleAdsConnectorOptions): GoogleAdsConnector {
  return new GoogleAdsConnector(opts);
}

export const describeGoogleAdsCredentials = `Google Ads — what MBO needs (stored encrypted, never logged):
- developerToken: from the API Center of your Google Ads manager account (Tools → API Center). Basic access or
  higher is needed for production accounts; a test-access token only works on test accounts.
- clientId / clientSecret: an OAuth client ("Desktop app" or "Web application") in a Google Cloud project with the
  Google Ads API enabled (APIs & Services → Credentials).
- refreshToken: from the OAuth consent flow for that client with the scope https://www.googleapis.com/auth/adwords,
  signed in as a user with access to the account (or to its manager). MBO exchanges it for short-lived access
  tokens at https://oauth2.googleapis.com/token and refreshes once when Google says a token expired.
- accessToken (optional): a current access token; MBO keeps the refreshed one here.
- loginCustomerId (optional): the manager account's customer id, when you reach the account through a manager
  (sent as the login-customer-id header). Customer ids may be given with dashes; MBO sends digits only.
What MBO reads: the account (name, currency, time zone), campaigns (name, status, budget and whether it is
shared, bidding strategy and target CPA / target ROAS) and daily campaign metrics (cost, impressions, clicks,
conversions, conversion value) through GAQL.
What MBO writes, only for changes a human approved: a campaign budget's daily amount (a shared budget changes
for every campaign on it), a campaign's status (PAUSED / ENABLED) and its target CPA or target ROAS.`;
