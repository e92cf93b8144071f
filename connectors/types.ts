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
  /**
   * Where the budget is shared with other campaigns (a Google Ads shared budget): changing it changes all of
   * them, and a change request must say so.
   */
  sharedBudget?: { id: string; campaignExternalIds: string[] };
  /** The campaign's bidding target where the platform has one (e.g. Google target CPA, Meta cost cap). */
  bidTarget?: BidTarget | null;
}

/** A bidding target, as a decimal string in the account currency (target_roas: a ratio, e.g. "3.5"). */
export interface BidTarget {
  kind: 'target_cpa' | 'target_roas' | 'bid_cap' | 'cost_cap' | 'bid';
  value: string;
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
  /** One campaign as the platform has it now (null when gone); where missing, callers list the account's campaigns. */
  getCampaign?(campaignId: string): Promise<CampaignInfo | null>;
  getMetrics(campaignIds: string[] | 'all', range: DateRange, page?: { pageToken?: string; pageSize?: number }): Promise<MetricsPage>;
  updateBudget(campaignId: string, amount: string, idempotencyKey: string): Promise<MutationResult>;
  pauseCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult>;
  resumeCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult>;
  /** Changes a campaign's bidding target (where the platform has one); same idempotency and read-back rules. */
  updateBidTarget?(campaignId: string, target: BidTarget, idempotencyKey: string): Promise<MutationResult>;
}

// Real platforms have no idempotency keys for these mutations: a live connector makes a mutation idempotent by
// its target (it reads the campaign first and returns `applied: false` when it is already at the target), and
// the key is kept for logs and the platform's request id where it takes one.

/** Secrets a live connector needs, decrypted only in the worker for the call; a refresh hands new ones back. */
export interface ConnectorSecrets {
  [field: string]: string | undefined;
}

export interface LiveConnectorOptions<S extends ConnectorSecrets = ConnectorSecrets> {
  /** The account's id on the platform (Google customer id, Meta act_…, TikTok advertiser id, LinkedIn account id). */
  accountExternalId: string;
  secrets: S;
  /** Called with the new secrets after an OAuth refresh, so the caller can store them (encrypted). */
  onSecretsRefreshed?: (secrets: S) => Promise<void>;
  /** Base URL of the platform's API; tests point it at a loopback fake. Defaults to the real host. */
  baseUrl?: string;
  /** OAuth token endpoint; tests point it at the fake too. */
  tokenUrl?: string;
  /** Upper bound for one HTTP call before it counts as a TransientError (ms). */
  timeoutMs?: number;
}
