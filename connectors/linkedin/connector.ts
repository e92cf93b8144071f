// MBO's LinkedIn connector: the one Connector interface over our LinkedIn Marketing API client. Reads the ad
// account (name, currency; LinkedIn reports analytics by UTC day, so the account's time zone is UTC), its
// campaigns by the search finder with cursor paging, daily analytics by the adAnalytics finder (pivot CAMPAIGN,
// DAILY) in date windows and campaign chunks, and changes daily budgets, status and bids (unitCost) by partial
// update — idempotent by target (read first, write only when different, read back after).
import { daysBetween, isIsoDate, todayIn, type DateRange } from '../../core/dates.js';
import { formatMoney, parseMoney, toDecimalString } from '../../core/money.js';
import { ValidationError } from '../errors.js';
import { chunk, dateWindows, positiveAmount } from '../http.js';
import type { AccountInfo, BidTarget, CampaignInfo, Connector, LiveConnectorOptions, MetricRow, MetricsPage, MutationResult } from '../types.js';
import { LinkedInClient, type LinkedInSecrets } from './client.js';
import { isoFromLinkedInDate, restliDateRange, restliList, restliQuery } from './restli.js';
import {
  ANALYTICS_FIELDS,
  LINKEDIN_BASE_URL,
  LINKEDIN_TOKEN_URL,
  accountUrn,
  campaignUrn,
  type LinkedInAdAccount,
  type LinkedInAnalyticsElement,
  type LinkedInCampaign,
  type LinkedInCollection,
} from './wire.js';

/** Campaign statuses MBO lists (not PENDING_DELETION / REMOVED). */
const LISTED_STATUSES = ['ACTIVE', 'PAUSED', 'DRAFT', 'ARCHIVED', 'COMPLETED', 'CANCELED'];
const CAMPAIGN_PAGE_SIZE = 100;
/** adAnalytics returns at most 15,000 elements and has no paging: 30-day windows × 200 campaigns stay below it. */
const ANALYTICS_WINDOW_DAYS = 30;
const CAMPAIGNS_PER_ANALYTICS_CALL = 200;
/** The most elements one adAnalytics answer holds (ads-reporting docs). */
export const ANALYTICS_MAX_ELEMENTS = 15_000;

export interface LinkedInConnectorOptions extends LiveConnectorOptions<LinkedInSecrets> {
  /** Overrides LINKEDIN_VERSION (tests use it to show what a sunset version gets back). */
  version?: string;
  /** Overrides ANALYTICS_MAX_ELEMENTS (tests shrink it together with the fake's). */
  analyticsElementLimit?: number;
}

export class LinkedInConnector implements Connector {
  readonly platform = 'linkedin' as const;
  private readonly api: LinkedInClient;
  private readonly accountId: string;
  private readonly elementLimit: number;

  constructor(opts: LinkedInConnectorOptions) {
    this.accountId = opts.accountExternalId.replace(/^urn:li:sponsoredAccount:/, '');
    this.elementLimit = opts.analyticsElementLimit ?? ANALYTICS_MAX_ELEMENTS;
    this.api = new LinkedInClient({
      backoffKey: `linkedin:${this.accountId}`,
      baseUrl: (opts.baseUrl ?? LINKEDIN_BASE_URL).replace(/\/+$/, ''),
      tokenUrl: opts.tokenUrl ?? LINKEDIN_TOKEN_URL,
      timeoutMs: opts.timeoutMs,
      version: opts.version,
      secrets: opts.secrets,
      onSecretsRefreshed: opts.onSecretsRefreshed,
    });
  }

  async authenticate(): Promise<AccountInfo> {
    const a = await this.account();
    // LinkedIn's analytics dateRange days are UTC days whatever the advertiser's location.
    return { externalId: String(a.id), name: a.name, currency: a.currency, timeZone: 'UTC', today: todayIn('UTC') };
  }

  async listCampaigns(): Promise<CampaignInfo[]> {
    const out: CampaignInfo[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.api.request<LinkedInCollection<LinkedInCampaign>>({
        method: 'GET',
        path: `adAccounts/${this.accountId}/adCampaigns`,
        query: restliQuery([
          ['q', 'search'],
          ['search', `(status:(values:${restliList(LISTED_STATUSES)}))`],
          ['pageSize', CAMPAIGN_PAGE_SIZE],
          ['pageToken', pageToken === undefined ? undefined : encodeURIComponent(pageToken)],
        ]),
      });
      out.push(...(page.elements ?? []).map(campaignInfo));
      pageToken = page.metadata?.nextPageToken || undefined;
    } while (pageToken);
    return out;
  }

  /**
   * adAnalytics has no pagination; our pages are (date window × campaign chunk) calls. Campaign lists longer than
   * the URL limits go through query tunnelling in the client. `pageSize` does not apply.
   */
  async getMetrics(campaignIds: string[] | 'all', range: DateRange, page: { pageToken?: string; pageSize?: number } = {}): Promise<MetricsPage> {
    if (!isIsoDate(range.from) || !isIsoDate(range.to) || range.from > range.to) {
      throw new ValidationError(`linkedin: bad date range ${range.from}..${range.to}`, this.platform);
    }
    if (campaignIds !== 'all' && campaignIds.length === 0) return { rows: [] };
    const windows = dateWindows(range, ANALYTICS_WINDOW_DAYS);
    const chunks = campaignIds === 'all' ? [null] : chunk(campaignIds, CAMPAIGNS_PER_ANALYTICS_CALL);
    const m = /^(\d+)\.(\d+)$/.exec(page.pageToken ?? '0.0');
    const [w, c] = m ? [Number(m[1]), Number(m[2])] : [-1, -1];
    if (!m || w >= windows.length || c >= chunks.length)
      throw new ValidationError(`linkedin: page token "${page.pageToken}" does not belong to this query`, this.platform);
    const rows = await this.analytics(windows[w]!, chunks[c] ?? null);
    const next = c + 1 < chunks.length ? `${w}.${c + 1}` : w + 1 < windows.length ? `${w + 1}.0` : undefined;
    return next ? { rows, nextPageToken: next } : { rows };
  }

  /**
   * One adAnalytics call. The finder answers at most ANALYTICS_MAX_ELEMENTS (15,000) elements and does not page, so a full
   * answer may be cut short: the window is then halved and asked again (an ad account holds at most 5,000
   * campaigns, so one day always fits).
   */
  private async analytics(window: DateRange, ids: string[] | null): Promise<MetricRow[]> {
    const data = await this.api.request<LinkedInCollection<LinkedInAnalyticsElement>>({
      method: 'GET',
      path: 'adAnalytics',
      query: restliQuery([
        ['q', 'analytics'],
        ['pivot', 'CAMPAIGN'],
        ['timeGranularity', 'DAILY'],
        ['dateRange', restliDateRange(window)],
        ids ? ['campaigns', restliList(ids.map(campaignUrn))] : ['accounts', restliList([accountUrn(this.accountId)])],
        ['fields', ANALYTICS_FIELDS.join(',')],
      ]),
    });
    const elements = data.elements ?? [];
    const days = daysBetween(window.from, window.to) + 1;
    if (elements.length >= this.elementLimit && days > 1) {
      const half = dateWindows(window, Math.ceil(days / 2));
      return [...(await this.analytics(half[0]!, ids)), ...(await this.analytics(half[1]!, ids))];
    }
    return elements.map(metricRow).filter((r): r is MetricRow => r !== null);
  }

  async updateBudget(campaignId: string, amount: string): Promise<MutationResult> {
    const target = positiveAmount(amount, 'budget', this.platform);
    return this.mutate(
      campaignId,
      (c) => {
        if (!c.dailyBudget) throw new ValidationError(`linkedin campaign ${campaignId} has no daily budget (lifetime budget only)`, this.platform);
        return parseMoney(c.dailyBudget.amount) === target;
      },
      (c) => ({ dailyBudget: { amount: formatMoney(target), currencyCode: c.dailyBudget!.currencyCode } }),
    );
  }

  pauseCampaign(campaignId: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'PAUSED');
  }

  resumeCampaign(campaignId: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'ACTIVE');
  }

  /** The bid is the campaign's unitCost; its kind (manual bid, target cost, cost cap) is fixed by optimizationTargetType. */
  async updateBidTarget(campaignId: string, target: BidTarget): Promise<MutationResult> {
    const value = positiveAmount(target.value, 'bid', this.platform);
    return this.mutate(
      campaignId,
      (c) => {
        const current = bidTarget(c);
        if (!current)
          throw new ValidationError(`linkedin campaign ${campaignId} bids automatically (${c.optimizationTargetType}); no unitCost to change`, this.platform);
        if (current.kind !== target.kind)
          throw new ValidationError(`linkedin campaign ${campaignId} bids with ${current.kind}, not ${target.kind}`, this.platform);
        return parseMoney(current.value) === value;
      },
      (c) => ({ unitCost: { amount: formatMoney(value), currencyCode: c.unitCost!.currencyCode } }),
    );
  }

  private setStatus(campaignId: string, status: 'ACTIVE' | 'PAUSED'): Promise<MutationResult> {
    return this.mutate(
      campaignId,
      (c) => {
        if (campaignInfo(c).status === 'REMOVED') throw new ValidationError(`linkedin campaign ${campaignId} is ${c.status}`, this.platform);
        return c.status === status;
      },
      () => ({ status }),
    );
  }

  /** Read, partial-update only when not already at the target, read back: LinkedIn has no idempotency keys. */
  private async mutate(
    campaignId: string,
    atTarget: (c: LinkedInCampaign) => boolean,
    patch: (c: LinkedInCampaign) => Record<string, unknown>,
  ): Promise<MutationResult> {
    const before = await this.campaign(campaignId);
    const beforeInfo = campaignInfo(before);
    if (atTarget(before)) return { campaignExternalId: campaignId, applied: false, before: beforeInfo, after: beforeInfo };
    await this.api.request({
      method: 'POST',
      path: `adAccounts/${this.accountId}/adCampaigns/${encodeURIComponent(campaignId)}`,
      restliMethod: 'PARTIAL_UPDATE',
      body: { patch: { $set: patch(before) } },
    });
    const after = await this.campaign(campaignId);
    return { campaignExternalId: campaignId, applied: true, before: beforeInfo, after: campaignInfo(after) };
  }

  private campaign(campaignId: string): Promise<LinkedInCampaign> {
    return this.api.request<LinkedInCampaign>({ method: 'GET', path: `adAccounts/${this.accountId}/adCampaigns/${encodeURIComponent(campaignId)}` });
  }

  private account(): Promise<LinkedInAdAccount> {
    return this.api.request<LinkedInAdAccount>({ method: 'GET', path: `adAccounts/${this.accountId}` });
  }
}

function campaignInfo(c: LinkedInCampaign): CampaignInfo {
  const status: CampaignInfo['status'] = c.status === 'ACTIVE' ? 'ACTIVE' : c.status === 'PAUSED' || c.status === 'DRAFT' ? 'PAUSED' : 'REMOVED';
  return {
    externalId: String(c.id),
    name: c.name,
    status,
    dailyBudget: c.dailyBudget ? formatMoney(parseMoney(c.dailyBudget.amount)) : null,
    bidTarget: bidTarget(c),
  };
}

/** NONE (or unset) with a unitCost: a manual bid; TARGET_COST_PER_*: target cost; CAP_COST_AND_MAXIMIZE_*: cost cap; MAX_*: automated. */
function bidTarget(c: LinkedInCampaign): BidTarget | null {
  if (!c.unitCost) return null;
  const t = c.optimizationTargetType ?? 'NONE';
  const value = formatMoney(parseMoney(c.unitCost.amount));
  if (t === 'NONE') return { kind: 'bid', value };
  if (t.startsWith('TARGET_COST_PER_')) return { kind: 'target_cpa', value };
  if (t.startsWith('CAP_COST_AND_MAXIMIZE_')) return { kind: 'cost_cap', value };
  return null;
}

function metricRow(e: LinkedInAnalyticsElement): MetricRow | null {
  const urn = e.pivotValues?.[0];
  const id = urn?.startsWith('urn:li:sponsoredCampaign:') ? urn.slice('urn:li:sponsoredCampaign:'.length) : null;
  if (!id || !e.dateRange) return null;
  const dec = (v: string | number | undefined) => toDecimalString(parseMoney(String(v ?? '0')));
  return {
    campaignExternalId: id,
    date: isoFromLinkedInDate(e.dateRange.start),
    impressions: e.impressions ?? 0,
    clicks: e.clicks ?? 0,
    spend: dec(e.costInLocalCurrency),
    conversions: dec(e.externalWebsiteConversions),
    conversionValue: dec(e.conversionValueInLocalCurrency),
  };
}
