// The GAQL queries MBO sends. Only validated digits and ISO dates are ever spliced into a query, so no input can
// change its meaning. Field names follow https://developers.google.com/google-ads/api/fields/v24/campaign and are
// checked against the v24 protos in schema.test.ts. A metrics query must be byte-identical from page to page
// (Google serves later pages from a cache keyed by the query), so it is built from its inputs alone.
import type { DateRange } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';

export const CUSTOMER_FIELDS = ['customer.id', 'customer.descriptive_name', 'customer.currency_code', 'customer.time_zone', 'customer.manager'] as const;

export const CAMPAIGN_FIELDS = [
  'campaign.id',
  'campaign.name',
  'campaign.status',
  'campaign.bidding_strategy_type',
  'campaign.bidding_strategy',
  'campaign.campaign_budget',
  'campaign_budget.id',
  'campaign_budget.amount_micros',
  'campaign_budget.explicitly_shared',
  'campaign_budget.reference_count',
  'campaign.target_cpa.target_cpa_micros',
  'campaign.maximize_conversions.target_cpa_micros',
  'campaign.target_roas.target_roas',
  'campaign.maximize_conversion_value.target_roas',
] as const;

export const METRIC_FIELDS = [
  'campaign.id',
  'segments.date',
  'metrics.cost_micros',
  'metrics.impressions',
  'metrics.clicks',
  'metrics.conversions',
  'metrics.conversions_value',
] as const;

/** A Google Ads id (campaign, budget): digits only. */
export function assertId(id: string, label = 'campaign id'): string {
  if (!/^\d{1,20}$/.test(id)) throw new AppError('VALIDATION', `${label} must be digits, got "${id}"`);
  return id;
}

export function customerQuery(): string {
  return `SELECT ${CUSTOMER_FIELDS.join(', ')} FROM customer`;
}

/** Every campaign, REMOVED ones included (listed as REMOVED), or just one. */
export function campaignsQuery(campaignId?: string): string {
  const where = campaignId === undefined ? '' : ` WHERE campaign.id = ${assertId(campaignId)}`;
  return `SELECT ${CAMPAIGN_FIELDS.join(', ')} FROM campaign${where} ORDER BY campaign.id`;
}

/** Daily metrics per campaign over an inclusive range of account-local dates. */
export function metricsQuery(range: DateRange, campaignIds?: string[]): string {
  const ids = campaignIds === undefined ? '' : ` AND campaign.id IN (${campaignIds.map((id) => assertId(id)).join(', ')})`;
  return (
    `SELECT ${METRIC_FIELDS.join(', ')} FROM campaign` +
    ` WHERE segments.date BETWEEN '${range.from}' AND '${range.to}'${ids}` +
    ` ORDER BY segments.date, campaign.id`
  );
}
