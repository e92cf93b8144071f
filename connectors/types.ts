// The one connector interface every ad platform sits behind (sandbox now; Google Ads, Meta, TikTok, LinkedIn
// later). Amounts cross it as decimal strings in the account currency, so no platform's float leaks in.
import type { DateRange, IsoDate } from '../core/dates.js';

export type PlatformKind = 'google_ads' | 'meta' | 'tiktok' | 'linkedin';
export const PLATFORMS: readonly PlatformKind[] = ['google_ads', 'meta', 'tiktok', 'linkedin'];

export interface AccountInfo {
  externalId: string;
  name: string;
  currency: string;
  timeZone: string;
  /** The account's current local date (a sandbox account has its own simulated clock). */
  today: IsoDate;
}

export interface CampaignInfo {
  externalId: string;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'REMOVED';
  /** Daily budget as a decimal string in the account currency; null when the budget lives elsewhere. */
  dailyBudget: string | null;
}

export interface MetricRow {
  campaignExternalId: string;
  date: IsoDate;
  impressions: number;
  clicks: number;
  spend: string;
  conversions: string;
  conversionValue: string;
}

export interface MetricsPage {
  rows: MetricRow[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextPageToken?: string;
}

export interface MutationResult {
  campaignExternalId: string;
  /** false when the idempotency key had already been applied: nothing changed this time. */
  applied: boolean;
  before: CampaignInfo;
  after: CampaignInfo;
}

export interface Connector {
  readonly platform: PlatformKind;
  authenticate(): Promise<AccountInfo>;
  listCampaigns(): Promise<CampaignInfo[]>;
  getMetrics(campaignIds: string[] | 'all', range: DateRange, page?: { pageToken?: string; pageSize?: number }): Promise<MetricsPage>;
  updateBudget(campaignId: string, amount: string, idempotencyKey: string): Promise<MutationResult>;
  pauseCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult>;
  resumeCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult>;
}
