// The GA4 Data API v1beta wire format MBO uses (POST /v1beta/properties/{id}:runReport), as documented by Google:
// request with dimensions, metrics, dateRanges, limit/offset; response with dimensionHeaders, metricHeaders, rows of
// string values, rowCount (all rows matching, across pages) and metadata (the property's currency and time zone).
// Errors are google.rpc.Status: `{error: {code, message, status}}` (e.g. 429 RESOURCE_EXHAUSTED, 401
// UNAUTHENTICATED, 403 PERMISSION_DENIED, 400 INVALID_ARGUMENT).

export const GA4_DATA_BASE_URL = 'https://analyticsdata.googleapis.com';
export const GA4_API_VERSION = 'v1beta';
export const GOOGLE_OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** The Data API's own maximum page size (it returns at most 250,000 rows per request). */
export const GA4_MAX_LIMIT = 250_000;

/** What MBO asks for: one row per day × session source × medium × campaign. */
export const TRAFFIC_DIMENSIONS = ['date', 'sessionSource', 'sessionMedium', 'sessionCampaignName'] as const;
/** `keyEvents` is what GA4 called `conversions` before 2024; `totalRevenue` is in the property's currency. */
export const TRAFFIC_METRICS = ['sessions', 'keyEvents', 'totalRevenue'] as const;

export interface RunReportRequest {
  dimensions?: { name: string }[];
  metrics: { name: string }[];
  dateRanges: { startDate: string; endDate: string; name?: string }[];
  /** Rows per page (default 10,000, max 250,000). Sent as a string or a number; both are accepted. */
  limit?: string | number;
  offset?: string | number;
  orderBys?: { dimension?: { dimensionName: string }; metric?: { metricName: string }; desc?: boolean }[];
  keepEmptyRows?: boolean;
  returnPropertyQuota?: boolean;
}

export type MetricType = 'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_CURRENCY' | 'TYPE_SECONDS' | 'METRIC_TYPE_UNSPECIFIED' | string;

export interface RunReportResponse {
  dimensionHeaders?: { name: string }[];
  metricHeaders?: { name: string; type: MetricType }[];
  rows?: { dimensionValues: { value: string }[]; metricValues: { value: string }[] }[];
  /** Rows matching the request, whatever limit/offset returned. */
  rowCount?: number;
  metadata?: { currencyCode?: string; timeZone?: string; dataLossFromOtherRow?: boolean };
  propertyQuota?: Record<string, { consumed: number; remaining: number }>;
  kind?: 'analyticsData#runReport';
}

export interface RpcStatus {
  error?: { code?: number; message?: string; status?: string; details?: Record<string, unknown>[] };
}

export interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  token_type?: string;
  error?: string;
  error_description?: string;
}
