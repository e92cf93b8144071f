// LinkedIn Marketing API wire shapes and constants (learn.microsoft.com/linkedin/marketing: versioning, campaign
// management, ads reporting, query tunnelling; shared/api-guide: protocol version, rate limits; shared/
// authentication: programmatic refresh tokens). Shared by our client and the loopback fake.

export const LINKEDIN_BASE_URL = 'https://api.linkedin.com/rest';
export const LINKEDIN_TOKEN_URL = 'https://www.linkedin.com/oauth/v2/accessToken';
/**
 * The one Marketing API version MBO speaks (`LinkedIn-Version: YYYYMM`). Versions are monthly and each is
 * supported for at least a year; the versioned API applies no default, a call without the header is refused.
 */
export const LINKEDIN_VERSION = '202607';
export const RESTLI_PROTOCOL_VERSION = '2.0.0';

/**
 * Request size limits (shared/api-guide/concepts/query-tunneling): raw URL 8 KB, query string 4 KB; beyond them
 * LinkedIn answers 414 and the call must be tunnelled (POST, `X-HTTP-Method-Override: GET`, the query in a
 * form-urlencoded body).
 */
export const MAX_URL_BYTES = 8 * 1024;
export const MAX_QUERY_BYTES = 4 * 1024;

/** Money as LinkedIn sends it: a decimal string amount and an ISO currency. */
export interface LinkedInMoney {
  amount: string;
  currencyCode: string;
}

/** GET adAccounts/{id}. */
export interface LinkedInAdAccount {
  id: number;
  name: string;
  currency: string;
  status: string;
  type?: string;
  reference?: string;
  test?: boolean;
}

export type LinkedInCampaignStatus = 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'COMPLETED' | 'CANCELED' | 'DRAFT' | 'PENDING_DELETION' | 'REMOVED';

/** adAccounts/{id}/adCampaigns (search finder and GET by id). */
export interface LinkedInCampaign {
  id: number;
  name: string;
  account: string;
  campaignGroup?: string;
  status: LinkedInCampaignStatus;
  costType?: 'CPC' | 'CPM' | 'CPV';
  dailyBudget?: LinkedInMoney;
  totalBudget?: LinkedInMoney;
  /** The bid: manual bid (optimizationTargetType NONE), target cost or cost cap, by optimizationTargetType. */
  unitCost?: LinkedInMoney;
  optimizationTargetType?: string;
}

/** Finder responses: `elements` and, with cursor paging (pageSize/pageToken), `metadata.nextPageToken`. */
export interface LinkedInCollection<T> {
  elements: T[];
  metadata?: { nextPageToken?: string };
  paging?: { start?: number; count?: number; links?: unknown[] };
}

export interface LinkedInDate {
  year: number;
  month: number;
  day: number;
}

/** adAnalytics?q=analytics — one element per pivot value and day. The endpoint has no pagination. */
export interface LinkedInAnalyticsElement {
  pivotValues: string[];
  dateRange: { start: LinkedInDate; end: LinkedInDate };
  costInLocalCurrency?: string;
  impressions?: number;
  clicks?: number;
  externalWebsiteConversions?: number;
  conversionValueInLocalCurrency?: string;
}

export const ANALYTICS_FIELDS = [
  'costInLocalCurrency',
  'impressions',
  'clicks',
  'externalWebsiteConversions',
  'conversionValueInLocalCurrency',
  'dateRange',
  'pivotValues',
] as const;

/** Error body of api.linkedin.com, e.g. {"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}. */
export interface LinkedInErrorBody {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message?: string;
}

/** www.linkedin.com/oauth/v2/accessToken — success, or {error, error_description} on failure. */
export interface LinkedInTokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  error?: string;
  error_description?: string;
}

export const campaignUrn = (id: string): string => `urn:li:sponsoredCampaign:${id}`;
export const accountUrn = (id: string): string => `urn:li:sponsoredAccount:${id}`;
