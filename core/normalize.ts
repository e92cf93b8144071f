// One place that says what MBO's metrics mean and how each platform's report fields become them: money units
// (Google micros, Meta minor units with per-currency offsets, decimal strings elsewhere) to exact decimal strings in
// the account currency, the day a row belongs to on the account's calendar, and what counts as a conversion and
// its value per platform. Pure functions over the platforms' documented wire shapes; connectors call them.
import type { MetricRow, PlatformKind } from '../connectors/types.js';
import { isIsoDate, type IsoDate } from './dates.js';
import { AppError } from './errors.js';
import { formatMoney, parseMoney, toDecimalString, type Micros } from './money.js';

export type MetricName = 'spend' | 'revenue' | 'conversions' | 'clicks' | 'impressions';

export interface MetricDefinition {
  metric: MetricName;
  unit: string;
  meaning: string;
  /** The platform's report field(s) that become this metric. */
  source: Record<PlatformKind, string>;
}

/** MBO's metric definitions (the README table is generated from these words). */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    metric: 'spend',
    unit: 'account currency, exact decimal (NUMERIC 18,6)',
    meaning: 'what the platform charged for the day',
    source: {
      google_ads: 'metrics.cost_micros ÷ 1,000,000',
      meta: 'insights spend (decimal string, account currency)',
      tiktok: 'spend (decimal string)',
      linkedin: 'costInLocalCurrency (decimal string)',
    },
  },
  {
    metric: 'revenue',
    unit: 'account currency, exact decimal (stored as conversion_value)',
    meaning: 'value the platform attributes to the conversions below',
    source: {
      google_ads: 'metrics.conversions_value',
      meta: 'action_values of the first of the account’s revenue action types present (default omni_purchase, purchase, offsite_conversion.fb_pixel_purchase)',
      tiktok: 'total_complete_payment_rate (complete-payment value; configurable)',
      linkedin: 'conversionValueInLocalCurrency',
    },
  },
  {
    metric: 'conversions',
    unit: 'count, may be fractional (attributed), 4 decimals',
    meaning: 'the actions the advertiser counts as a conversion, per the platform’s attribution',
    source: {
      google_ads: 'metrics.conversions (conversion actions set to “include in Conversions”)',
      meta: 'actions of the first of the account’s conversion action types present (same default list)',
      tiktok: 'conversion (the ad group’s optimization event)',
      linkedin: 'externalWebsiteConversions',
    },
  },
  {
    metric: 'clicks',
    unit: 'integer',
    meaning: 'clicks that lead to the advertiser’s destination',
    source: {
      google_ads: 'metrics.clicks',
      meta: 'inline_link_clicks',
      tiktok: 'clicks (destination clicks)',
      linkedin: 'landingPageClicks',
    },
  },
  {
    metric: 'impressions',
    unit: 'integer',
    meaning: 'times an ad was shown',
    source: { google_ads: 'metrics.impressions', meta: 'impressions', tiktok: 'impressions', linkedin: 'impressions' },
  },
];

/** Where each platform's daily row gets its day from. */
export const METRIC_DATE_SOURCE: Record<PlatformKind, string> = {
  google_ads: 'segments.date — already the account’s time zone',
  meta: 'date_start — already the ad account’s time zone',
  tiktok: 'stat_time_day ("YYYY-MM-DD 00:00:00") — already the advertiser’s time zone',
  linkedin: 'dateRange.start — LinkedIn reports days in UTC; kept as reported (a day cannot be re-cut)',
};

// ---- money units -------------------------------------------------------------------------------------------

const INTEGER = /^-?\d+$/;

/** Google Ads micros (int64, as a JSON string or number) → exact decimal string. */
export function microsToDecimal(micros: string | number | bigint): string {
  const s = String(micros);
  if (!INTEGER.test(s)) throw new AppError('VALIDATION', `not an integer amount of micros: "${s}"`);
  return toDecimalString(BigInt(s));
}

/** Exact decimal string → Google Ads micros (for campaign_budget.amount_micros). */
export function decimalToMicros(amount: string): bigint {
  return parseMoney(amount);
}

/**
 * Meta's currency offsets (Marketing API "Currency codes" table): budgets and bids are integers in units of
 * 1/offset of the currency — 100 for most, 1 for the currencies listed here.
 */
const META_OFFSET_ONE = new Set(['CLP', 'COP', 'CRC', 'HUF', 'ISK', 'IDR', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);

export function metaCurrencyOffset(currency: string): 1n | 100n {
  return META_OFFSET_ONE.has(currency.toUpperCase()) ? 1n : 100n;
}

/** Meta minor units (e.g. daily_budget "2500" in USD = 25.00; in JPY = 2500) → exact decimal string. */
export function metaMinorToDecimal(minor: string | number, currency: string): string {
  const s = String(minor);
  if (!INTEGER.test(s)) throw new AppError('VALIDATION', `not an integer amount of minor units: "${s}"`);
  return toDecimalString((BigInt(s) * 1_000_000n) / metaCurrencyOffset(currency));
}

/**
 * Exact decimal string → Meta minor units. An amount finer than the currency's unit (12.345 USD, 10.5 JPY) is
 * refused rather than rounded: a budget is never silently changed.
 */
export function decimalToMetaMinor(amount: string, currency: string): string {
  const micros = parseMoney(amount);
  const step = 1_000_000n / metaCurrencyOffset(currency);
  if (micros % step !== 0n)
    throw new AppError('VALIDATION', `${amount} ${currency} is finer than Meta accepts for ${currency} (1/${metaCurrencyOffset(currency)})`);
  return (micros / step).toString();
}

/** A decimal string as a platform reports it ("12.3", "0", "1234.56") → canonical exact decimal string. */
export function decimalString(value: string | number, label = 'amount'): string {
  return toDecimalString(exact(value, label));
}

/** A count that may be fractional (attributed conversions, a JSON double) → decimal string with 4 digits. */
export function fractionalCount(value: string | number | undefined | null, label = 'conversions'): string {
  return formatMoney(exact(value ?? 0, label), 4);
}

/** An integer count (impressions, clicks; int64 strings in JSON) → number. */
export function count(value: string | number | undefined | null, label = 'count'): number {
  const s = String(value ?? 0);
  if (!INTEGER.test(s)) throw new AppError('VALIDATION', `${label} is not an integer: "${s}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new AppError('VALIDATION', `${label} is out of range: "${s}"`);
  return n;
}

/** Exact micros from a decimal string, or from a JSON number (a platform's double, rounded once to 6 digits). */
function exact(value: string | number, label: string): Micros {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('VALIDATION', `${label} is not a finite number: ${value}`);
    return parseMoney(value.toFixed(6));
  }
  try {
    return parseMoney(value === '' ? '0' : value);
  } catch {
    throw new AppError('VALIDATION', `${label} is not a decimal: "${value}"`);
  }
}

// ---- dates -------------------------------------------------------------------------------------------------

/** The day an instant falls on in a time zone (for sources that report instants rather than account days). */
export function localDate(instant: Date | string, timeZone: string): IsoDate {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION', `not an instant: "${String(instant)}"`);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** A platform's day label ("2026-05-01", "2026-05-01 00:00:00", "20260501") → IsoDate, checked. */
export function platformDay(label: string): IsoDate {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T]00:00(?::00)?)?$/.exec(label.trim());
  const d = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!isIsoDate(d)) throw new AppError('VALIDATION', `not a report day: "${label}"`);
  return d;
}

/** LinkedIn's `{year, month, day}` date. */
export function linkedInDay(d: { year: number; month: number; day: number }): IsoDate {
  return platformDay(`${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`);
}

// ---- per-platform rows ----------------------------------------------------------------------------------------

type Num = string | number;

/**
 * A Google Ads GAQL row (REST searchStream JSON is camelCase with int64 as strings; the google-ads-api package
 * gives snake_case numbers) for `campaign.id, segments.date, metrics.cost_micros, metrics.impressions,
 * metrics.clicks, metrics.conversions, metrics.conversions_value`.
 */
export interface GoogleAdsMetricRow {
  campaign: { id: Num };
  segments: { date: string };
  metrics: {
    cost_micros?: Num;
    costMicros?: Num;
    impressions?: Num;
    clicks?: Num;
    conversions?: Num;
    conversions_value?: Num;
    conversionsValue?: Num;
  };
}

export function normalizeGoogleAdsRow(row: GoogleAdsMetricRow): MetricRow {
  const m = row.metrics;
  return {
    campaignExternalId: String(row.campaign.id),
    date: platformDay(row.segments.date),
    impressions: count(m.impressions, 'metrics.impressions'),
    clicks: count(m.clicks, 'metrics.clicks'),
    spend: microsToDecimal(m.cost_micros ?? m.costMicros ?? 0),
    conversions: fractionalCount(m.conversions, 'metrics.conversions'),
    conversionValue: decimalString(m.conversions_value ?? m.conversionsValue ?? 0, 'metrics.conversions_value'),
  };
}

/**
 * Which Meta `actions` / `action_values` types count, per account, as an order of preference: Meta reports one
 * purchase under overlapping types (omni_purchase ⊇ purchase ⊇ offsite_conversion.fb_pixel_purchase), so the
 * first type present in a row is the row's figure and the rest are ignored — summing them would count a purchase
 * two or three times. (Same rule as connectors/meta/actions.ts.)
 */
export interface MetaConversionConfig {
  conversionActionTypes: readonly string[];
  /** Defaults to conversionActionTypes. */
  revenueActionTypes?: readonly string[];
}

export const DEFAULT_META_CONVERSIONS: MetaConversionConfig = {
  conversionActionTypes: ['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'],
};

/** A Meta insights row at level=campaign, time_increment=1 (numbers arrive as strings). */
export interface MetaInsightRow {
  campaign_id: string;
  date_start: string;
  spend?: string;
  impressions?: string;
  inline_link_clicks?: string;
  actions?: { action_type: string; value: string }[];
  action_values?: { action_type: string; value: string }[];
}

export function normalizeMetaInsight(row: MetaInsightRow, config: MetaConversionConfig = DEFAULT_META_CONVERSIONS): MetricRow {
  const first = (list: { action_type: string; value: string }[] | undefined, types: readonly string[], label: string): Micros => {
    for (const t of types) {
      const hit = list?.find((a) => a.action_type === t);
      if (hit) return exact(hit.value, label);
    }
    return 0n;
  };
  return {
    campaignExternalId: row.campaign_id,
    date: platformDay(row.date_start),
    impressions: count(row.impressions, 'impressions'),
    clicks: count(row.inline_link_clicks, 'inline_link_clicks'),
    spend: decimalString(row.spend ?? '0', 'spend'),
    conversions: formatMoney(first(row.actions, config.conversionActionTypes, 'actions'), 4),
    conversionValue: toDecimalString(first(row.action_values, config.revenueActionTypes ?? config.conversionActionTypes, 'action_values')),
  };
}

/** A TikTok report/integrated/get BASIC row with dimensions campaign_id and stat_time_day. */
export interface TikTokReportRow {
  dimensions: { campaign_id: string; stat_time_day: string };
  metrics: Record<string, string | undefined>;
}

export function normalizeTikTokRow(row: TikTokReportRow, opts: { conversionMetric?: string; revenueMetric?: string } = {}): MetricRow {
  const m = row.metrics;
  const conv = opts.conversionMetric ?? 'conversion';
  const rev = opts.revenueMetric ?? 'total_complete_payment_rate';
  return {
    campaignExternalId: row.dimensions.campaign_id,
    date: platformDay(row.dimensions.stat_time_day),
    impressions: count(m.impressions, 'impressions'),
    clicks: count(m.clicks, 'clicks'),
    spend: decimalString(m.spend ?? '0', 'spend'),
    conversions: fractionalCount(m[conv], conv),
    conversionValue: decimalString(m[rev] ?? '0', rev),
  };
}

/** A LinkedIn adAnalytics element (pivot CAMPAIGN, timeGranularity DAILY). */
export interface LinkedInAnalyticsElement {
  pivotValues?: string[];
  pivotValue?: string;
  dateRange: { start: { year: number; month: number; day: number } };
  costInLocalCurrency?: string;
  impressions?: number;
  landingPageClicks?: number;
  externalWebsiteConversions?: number;
  conversionValueInLocalCurrency?: string;
}

export function normalizeLinkedInElement(el: LinkedInAnalyticsElement): MetricRow {
  const urn = el.pivotValues?.[0] ?? el.pivotValue ?? '';
  const id = /^urn:li:sponsoredCampaign:(\d+)$/.exec(urn)?.[1];
  if (!id) throw new AppError('VALIDATION', `not a campaign URN: "${urn}"`);
  return {
    campaignExternalId: id,
    date: linkedInDay(el.dateRange.start),
    impressions: count(el.impressions, 'impressions'),
    clicks: count(el.landingPageClicks, 'landingPageClicks'),
    spend: decimalString(el.costInLocalCurrency ?? '0', 'costInLocalCurrency'),
    conversions: fractionalCount(el.externalWebsiteConversions, 'externalWebsiteConversions'),
    conversionValue: decimalString(el.conversionValueInLocalCurrency ?? '0', 'conversionValueInLocalCurrency'),
  };
}

/** The README table of metric definitions (markdown). */
export function metricDefinitionsMarkdown(): string {
  const head = '| metric | unit | meaning | Google Ads | Meta | TikTok | LinkedIn |\n| --- | --- | --- | --- | --- | --- | --- |';
  const rows = METRIC_DEFINITIONS.map(
    (d) => `| ${d.metric} | ${d.unit} | ${d.meaning} | ${d.source.google_ads} | ${d.source.meta} | ${d.source.tiktok} | ${d.source.linkedin} |`,
  );
  const date = `| date | account-local day | the day the row belongs to | ${METRIC_DATE_SOURCE.google_ads} | ${METRIC_DATE_SOURCE.meta} | ${METRIC_DATE_SOURCE.tiktok} | ${METRIC_DATE_SOURCE.linkedin} |`;
  return [head, ...rows, date].join('\n');
}
