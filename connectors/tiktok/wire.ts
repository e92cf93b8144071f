// TikTok Marketing API v1.3 wire shapes, as documented (business-api.tiktok.com/portal/docs; the official SDK's
// js_sdk/docs in github.com/tiktok/tiktok-business-api-sdk). Shared by our client and the loopback fake, so the
// two cannot drift apart silently. Every answer is the envelope `{code, message, request_id, data}` inside
// HTTP 200; code 0 is success.

export const TIKTOK_BASE_URL = 'https://business-api.tiktok.com/open_api/v1.3';

export interface TikTokEnvelope<T> {
  code: number;
  message: string;
  request_id?: string;
  data?: T;
}

/** `page_info` of every paged GET (campaign/get, adgroup/get, report/integrated/get). */
export interface PageInfo {
  page: number;
  page_size: number;
  total_number: number;
  total_page: number;
}

export interface Paged<T> {
  list: T[];
  page_info: PageInfo;
}

/** advertiser/info/ — `data.list[]`. `display_timezone` is the IANA name shown in Ads Manager, `timezone` may be Etc/GMT±N. */
export interface AdvertiserInfo {
  advertiser_id: string;
  name: string;
  currency: string;
  timezone: string;
  display_timezone?: string;
  status?: string;
}

export type BudgetMode = 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL' | 'BUDGET_MODE_INFINITE';
export type OperationStatus = 'ENABLE' | 'DISABLE' | 'DELETE';

/** campaign/get/ — `data.list[]`. Budgets are JSON numbers in the account currency (not micros). */
export interface TikTokCampaign {
  campaign_id: string;
  advertiser_id: string;
  campaign_name: string;
  budget_mode: BudgetMode;
  budget: number;
  operation_status: OperationStatus;
  /** e.g. CAMPAIGN_STATUS_ENABLE, CAMPAIGN_STATUS_DISABLE, CAMPAIGN_STATUS_DELETE. */
  secondary_status?: string;
}

/** adgroup/get/ — `data.list[]`. Without campaign budget optimisation the budget lives here (campaign BUDGET_MODE_INFINITE). */
export interface TikTokAdGroup {
  adgroup_id: string;
  campaign_id: string;
  adgroup_name: string;
  budget_mode: BudgetMode;
  budget: number;
  operation_status: OperationStatus;
  secondary_status?: string;
  /** BID_TYPE_NO_BID (lowest cost) or BID_TYPE_CUSTOM (bid cap / cost cap, with bid_price or conversion_bid_price). */
  bid_type?: string;
  /** Bid cap (or cost cap) per result; needs bid_type BID_TYPE_CUSTOM. */
  bid_price?: number;
  /** Target cost per conversion for oCPM; needs billing_event OCPM and bid_type BID_TYPE_CUSTOM. */
  conversion_bid_price?: number;
}

/**
 * The report metrics we ask for (report/integrated/get/, report_type BASIC), by default. TikTok returns every
 * metric as a string. `conversion` counts the conversions of the ad group's optimization event; `total_complete_payment_rate`
 * is, despite its name, the total value of "Complete Payment" events (the purchase value reported by the pixel /
 * Events API); its count is `complete_payment`.
 */
export const BASE_METRICS = ['spend', 'impressions', 'clicks'] as const;
export const DEFAULT_CONVERSION_METRICS = { conversions: 'conversion', conversionValue: 'total_complete_payment_rate' } as const;
/**
 * Documented BASIC-report metrics an account may count as its conversions / conversion value instead: purchases
 * (`complete_payment`, value `total_complete_payment_rate`), web purchases (`total_purchase`, value
 * `total_purchase_value`), on-site shop orders (`onsite_shopping`, value `total_onsite_shopping_value`), leads.
 */
export const CONVERSION_METRIC_CHOICES = [
  'conversion',
  'complete_payment',
  'total_complete_payment_rate',
  'total_purchase',
  'total_purchase_value',
  'onsite_shopping',
  'total_onsite_shopping_value',
  'form',
  'onsite_form',
] as const;
export type ConversionMetric = (typeof CONVERSION_METRIC_CHOICES)[number];
export const REPORT_DIMENSIONS = ['campaign_id', 'stat_time_day'] as const;
/** With `stat_time_day` TikTok accepts at most 30 days per request. */
export const REPORT_MAX_DAYS = 30;
/** page_size is at most 1000 for report/integrated/get/ and the entity /get/ endpoints. */
export const MAX_PAGE_SIZE = 1000;

export interface ReportRow {
  dimensions: { campaign_id: string; stat_time_day: string };
  metrics: Record<string, string>;
}

/** tt_user/oauth2/refresh_token/ — `data`. Refresh tokens rotate: the new one replaces the old. */
export interface RefreshTokenData {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
}
