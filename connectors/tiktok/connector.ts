// MBO's TikTok connector: the one Connector interface over our TikTok Marketing API v1.3 client. Reads the
// advertiser (currency, time zone), campaigns and ad groups (budget at campaign or ad-group level, bids on ad
// groups), the daily BASIC report by campaign in ≤ 30-day windows page by page, and changes budgets, status and
// bids — idempotent by target (read first, write only when different, read back after).
import { isIsoDate, todayIn, type DateRange } from '../../core/dates.js';
import { parseMoney, toDecimalString } from '../../core/money.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { chunk, dateWindows, positiveAmount } from '../http.js';
import type { AccountInfo, BidTarget, CampaignInfo, Connector, LiveConnectorOptions, MetricRow, MetricsPage, MutationResult } from '../types.js';
import { TikTokClient, type TikTokSecrets } from './client.js';
import { campaignView, splitBudget, wireNumber, type CampaignView } from './model.js';
import {
  MAX_PAGE_SIZE,
  REPORT_DIMENSIONS,
  REPORT_MAX_DAYS,
  BASE_METRICS,
  DEFAULT_CONVERSION_METRICS,
  TIKTOK_BASE_URL,
  type AdvertiserInfo,
  type ConversionMetric,
  type Paged,
  type ReportRow,
  type TikTokAdGroup,
  type TikTokCampaign,
} from './wire.js';

/** TikTok's `filtering.campaign_ids` takes at most 100 ids. */
const IDS_PER_FILTER = 100;

export interface TikTokConnectorOptions extends LiveConnectorOptions<TikTokSecrets> {
  /** Which report metrics count as conversions and conversion value for this advertiser (default conversion / total_complete_payment_rate). */
  conversionMetrics?: { conversions: ConversionMetric; conversionValue: ConversionMetric };
}

export class TikTokConnector implements Connector {
  readonly platform = 'tiktok' as const;
  private readonly api: TikTokClient;
  private readonly advertiserId: string;
  private readonly conv: { conversions: string; conversionValue: string };

  constructor(opts: TikTokConnectorOptions) {
    this.conv = opts.conversionMetrics ?? DEFAULT_CONVERSION_METRICS;
    const baseUrl = (opts.baseUrl ?? TIKTOK_BASE_URL).replace(/\/+$/, '');
    this.advertiserId = opts.accountExternalId;
    this.api = new TikTokClient({
      baseUrl,
      backoffKey: `tiktok:${opts.accountExternalId}`,
      tokenUrl: opts.tokenUrl ?? `${baseUrl}/tt_user/oauth2/refresh_token/`,
      timeoutMs: opts.timeoutMs,
      secrets: opts.secrets,
      onSecretsRefreshed: opts.onSecretsRefreshed,
    });
  }

  async authenticate(): Promise<AccountInfo> {
    const data = await this.api.get<{ list: AdvertiserInfo[] }>('advertiser/info/', {
      advertiser_ids: [this.advertiserId],
      fields: ['advertiser_id', 'name', 'currency', 'timezone', 'display_timezone', 'status'],
    });
    const a = data.list?.[0];
    if (!a) throw new NotFoundError(`tiktok advertiser ${this.advertiserId} not found for this token`, this.platform);
    const timeZone = [a.display_timezone, a.timezone].find((tz) => tz && isTimeZone(tz)) ?? 'UTC';
    return { externalId: a.advertiser_id, name: a.name, currency: a.currency, timeZone, today: todayIn(timeZone) };
  }

  async listCampaigns(): Promise<CampaignInfo[]> {
    const [campaigns, groups] = await Promise.all([this.allCampaigns(), this.allAdGroups()]);
    return campaigns.map((c) => campaignView(c, groups).info);
  }

  async getMetrics(campaignIds: string[] | 'all', range: DateRange, page: { pageToken?: string; pageSize?: number } = {}): Promise<MetricsPage> {
    if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.from > range.to) {
      throw new ValidationError(`tiktok: bad date range ${range.from}..${range.to}`, this.platform);
    }
    if (campaignIds !== 'all' && campaignIds.length === 0) return { rows: [] };
    const windows = dateWindows(range, REPORT_MAX_DAYS);
    const idChunks = campaignIds === 'all' ? [null] : chunk(campaignIds, IDS_PER_FILTER);
    const cursor = parseCursor(page.pageToken, windows.length, idChunks.length);
    const window = windows[cursor.window]!;
    const ids = idChunks[cursor.ids];
    const data = await this.api.get<Paged<ReportRow>>('report/integrated/get/', {
      advertiser_id: this.advertiserId,
      report_type: 'BASIC',
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: REPORT_DIMENSIONS,
      metrics: [...new Set([...BASE_METRICS, this.conv.conversions, this.conv.conversionValue])],
      start_date: window.from,
      end_date: window.to,
      page: cursor.page,
      page_size: Math.min(Math.max(1, page.pageSize ?? MAX_PAGE_SIZE), MAX_PAGE_SIZE),
      filtering: ids ? [{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: JSON.stringify(ids) }] : undefined,
    });
    const rows = (data.list ?? []).map((r) => metricRow(r, this.conv));
    const next =
      cursor.page < (data.page_info?.total_page ?? 0)
        ? { ...cursor, page: cursor.page + 1 }
        : cursor.ids + 1 < idChunks.length
          ? { window: cursor.window, ids: cursor.ids + 1, page: 1 }
          : cursor.window + 1 < windows.length
            ? { window: cursor.window + 1, ids: 0, page: 1 }
            : null;
    return next ? { rows, nextPageToken: `${next.window}.${next.ids}.${next.page}` } : { rows };
  }

  async updateBudget(campaignId: string, amount: string): Promise<MutationResult> {
    const target = positiveAmount(amount, 'budget', this.platform);
    return this.mutate(
      campaignId,
      (v) => {
        if (v.budget.level === 'none')
          throw new ValidationError(`tiktok campaign ${campaignId}: ${v.budget.why}; MBO changes daily budgets only`, this.platform);
        return v.budget.daily === target;
      },
      async (v) => {
        if (v.budget.level === 'campaign') {
          await this.api.post('campaign/update/', { advertiser_id: this.advertiserId, campaign_id: campaignId, budget: wireNumber(target) });
        } else if (v.budget.level === 'adgroup') {
          const groups = v.budget.groups;
          const parts = splitBudget(
            groups.map((g) => g.budget),
            target,
          );
          let done = 0;
          for (const [i, g] of groups.entries()) {
            if (parts[i] === g.budget) continue;
            try {
              await this.api.post('adgroup/update/', { advertiser_id: this.advertiserId, adgroup_id: g.id, budget: wireNumber(parts[i]!) });
            } catch (e) {
              // TikTok has no batch budget write: say how far it got; a retry reads the new total and splits again.
              if (done > 0) (e as Error).message += ` (partially applied: ${done} of ${groups.length} ad-group budgets were changed first)`;
              throw e;
            }
            done += 1;
          }
        }
      },
    );
  }

  pauseCampaign(campaignId: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'DISABLE');
  }

  resumeCampaign(campaignId: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'ENABLE');
  }

  /** TikTok bids live on ad groups: the target applies to every live ad group of the campaign. */
  async updateBidTarget(campaignId: string, target: BidTarget): Promise<MutationResult> {
    const field = target.kind === 'target_cpa' ? 'conversion_bid_price' : target.kind === 'bid_cap' ? 'bid_price' : null;
    if (!field) throw new ValidationError(`tiktok supports bid targets target_cpa and bid_cap, not ${target.kind}`, this.platform);
    const value = positiveAmount(target.value, 'bid', this.platform);
    return this.mutate(
      campaignId,
      (v) => {
        const current = v.info.bidTarget;
        if (!current) throw new ValidationError(`tiktok campaign ${campaignId}: its ad groups have no shared custom bid to change`, this.platform);
        if (current.kind !== target.kind)
          throw new ValidationError(`tiktok campaign ${campaignId} bids with ${current.kind}, not ${target.kind}`, this.platform);
        return parseMoney(current.value) === value;
      },
      async (v) => {
        for (const g of v.groups)
          await this.api.post('adgroup/update/', { advertiser_id: this.advertiserId, adgroup_id: g.adgroup_id, [field]: wireNumber(value) });
      },
    );
  }

  private setStatus(campaignId: string, op: 'ENABLE' | 'DISABLE'): Promise<MutationResult> {
    const want = op === 'ENABLE' ? 'ACTIVE' : 'PAUSED';
    return this.mutate(
      campaignId,
      (v) => {
        if (v.info.status === 'REMOVED') throw new ValidationError(`tiktok campaign ${campaignId} is deleted`, this.platform);
        return v.info.status === want;
      },
      async () => {
        await this.api.post('campaign/status/update/', { advertiser_id: this.advertiserId, campaign_ids: [campaignId], operation_status: op });
      },
    );
  }

  /** Read, write only when not already at the target, read back: TikTok has no idempotency keys. */
  private async mutate(campaignId: string, atTarget: (v: CampaignView) => boolean, write: (v: CampaignView) => Promise<void>): Promise<MutationResult> {
    const before = await this.readCampaign(campaignId);
    if (atTarget(before)) return { campaignExternalId: campaignId, applied: false, before: before.info, after: before.info };
    await write(before);
    const after = await this.readCampaign(campaignId);
    return { campaignExternalId: campaignId, applied: true, before: before.info, after: after.info };
  }

  private async readCampaign(campaignId: string): Promise<CampaignView> {
    const filtering = { campaign_ids: [campaignId] };
    const [campaigns, groups] = await Promise.all([this.allCampaigns(filtering), this.allAdGroups(filtering)]);
    const c = campaigns.find((x) => x.campaign_id === campaignId);
    if (!c) throw new NotFoundError(`tiktok campaign ${campaignId} not found in advertiser ${this.advertiserId}`, this.platform);
    return campaignView(c, groups);
  }

  private allCampaigns(filtering?: object): Promise<TikTokCampaign[]> {
    return this.allPages<TikTokCampaign>('campaign/get/', filtering);
  }

  private allAdGroups(filtering?: object): Promise<TikTokAdGroup[]> {
    return this.allPages<TikTokAdGroup>('adgroup/get/', filtering);
  }

  private async allPages<T>(path: string, filtering?: object): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const data = await this.api.get<Paged<T>>(path, { advertiser_id: this.advertiserId, page, page_size: MAX_PAGE_SIZE, filtering });
      out.push(...(data.list ?? []));
      if (page >= (data.page_info?.total_page ?? 0)) return out;
    }
  }
}

function metricRow(r: ReportRow, conv: { conversions: string; conversionValue: string }): MetricRow {
  const m = r.metrics;
  const dec = (v: string | undefined) => toDecimalString(parseMoney(v && v !== '-' ? v : '0'));
  return {
    campaignExternalId: r.dimensions.campaign_id,
    date: r.dimensions.stat_time_day.slice(0, 10),
    impressions: Number(m.impressions ?? 0),
    clicks: Number(m.clicks ?? 0),
    spend: dec(m.spend),
    conversions: dec(m[conv.conversions]),
    conversionValue: dec(m[conv.conversionValue]),
  };
}

function parseCursor(token: string | undefined, windows: number, idChunks: number): { window: number; ids: number; page: number } {
  if (!token) return { window: 0, ids: 0, page: 1 };
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(token);
  const [w, i, p] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [-1, -1, -1];
  if (!m || w >= windows || i >= idChunks || p < 1) throw new ValidationError(`tiktok: page token "${token}" does not belong to this query`, 'tiktok');
  return { window: w, ids: i, page: p };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
