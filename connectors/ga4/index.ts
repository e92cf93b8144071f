// GA4 (Google Analytics 4) as an analytics source: not an ad platform (no campaigns or budgets), so it sits beside
// the Connector interface. MBO reads one report (report.ts) to cross-check what ad platforms report as conversions.
export { Ga4Client, propertyIdOnWire, type Ga4Secrets } from './client.js';
export { fetchTraffic, trafficRows, type Ga4TrafficReport, type Ga4TrafficRow } from './report.js';
export { GA4_DATA_BASE_URL, GOOGLE_OAUTH_TOKEN_URL } from './wire.js';

export function describeGa4Credentials() {
  return {
    secrets: {
      clientId: 'OAuth client id (Google Cloud console → APIs & Services → Credentials; Google Analytics Data API enabled)',
      clientSecret: 'OAuth client secret',
      refreshToken: 'refresh token of a user with at least Viewer on the property, scope https://www.googleapis.com/auth/analytics.readonly',
    },
    reads: 'runReport: sessions, keyEvents, totalRevenue by date, sessionSource, sessionMedium, sessionCampaignName',
    writes: 'nothing',
  };
}
