// Google Ads rows → MBO's connector types, and bid targets → the campaign field that holds them. Pure functions:
// amounts stay exact (int64 micros as bigint; doubles read as the decimal Google wrote).
import { AppError } from '../../core/errors.js';
import { parseMoney, toDecimalString, type Micros } from '../../core/money.js';
import type { BidTarget, CampaignInfo, MetricRow } from '../types.js';
import { decimalFromMicros, microsFromDouble, microsFromWire, microsToWire, type GoogleAdsRow } from './wire.js';

/** "3.500000" → "3.5", "2.000000" → "2": for ratios and counts (conversions, ROAS). */
export function plainDecimal(m: Micros): string {
  return toDecimalString(m).replace(/\.?0+$/, '');
}

const STATUS: Record<string, CampaignInfo['status']> = { ENABLED: 'ACTIVE', PAUSED: 'PAUSED', REMOVED: 'REMOVED' };

/** A budget counts as shared when it is explicitly shared or more than one campaign uses it. */
export function isSharedBudget(row: GoogleAdsRow): boolean {
  const b = row.campaignBudget;
  return !!b && (b.explicitlyShared === true || Number(b.referenceCount ?? '0') > 1);
}

/**
 * Where each bid target lives, by bidding strategy. The bidding scheme is a oneof: a target is written only into
 * the scheme the campaign already uses, since setting another scheme's field would switch its strategy.
 */
const BID_FIELDS = [
  { kind: 'target_cpa', strategy: 'TARGET_CPA', scheme: 'targetCpa', field: 'targetCpaMicros' },
  { kind: 'target_cpa', strategy: 'MAXIMIZE_CONVERSIONS', scheme: 'maximizeConversions', field: 'targetCpaMicros' },
  { kind: 'target_roas', strategy: 'TARGET_ROAS', scheme: 'targetRoas', field: 'targetRoas' },
  { kind: 'target_roas', strategy: 'MAXIMIZE_CONVERSION_VALUE', scheme: 'maximizeConversionValue', field: 'targetRoas' },
] as const;
type BidField = (typeof BID_FIELDS)[number];

/** The target's current value in micros (CPA: int64 micros as a string; ROAS: a double ratio). */
function currentTarget(row: GoogleAdsRow, f: BidField): Micros {
  const v = (row.campaign?.[f.scheme] as Record<string, string | number | undefined> | undefined)?.[f.field];
  return f.kind === 'target_cpa' ? microsFromWire(v as string | undefined) : microsFromDouble(v as number | undefined);
}

function targetText(f: BidField, m: Micros): string {
  return f.kind === 'target_cpa' ? decimalFromMicros(m) : plainDecimal(m);
}

export function bidTargetOf(row: GoogleAdsRow): BidTarget | null {
  if (row.campaign?.biddingStrategy) return null; // a portfolio strategy: its target lives on the strategy, not the campaign
  const f = BID_FIELDS.find((b) => b.strategy === row.campaign?.biddingStrategyType);
  const m = f ? currentTarget(row, f) : 0n;
  return f && m > 0n ? { kind: f.kind, value: targetText(f, m) } : null;
}

/**
 * Campaign rows → CampaignInfo. `sharedBudget.campaignExternalIds` lists every campaign in `rows` on the same
 * budget that is not REMOVED (a removed campaign no longer spends it), plus the campaign itself.
 */
export function toCampaigns(rows: GoogleAdsRow[]): CampaignInfo[] {
  const onBudget = new Map<string, string[]>();
  for (const r of rows) {
    const budget = r.campaign?.campaignBudget;
    if (budget && r.campaign?.id && r.campaign.status !== 'REMOVED') onBudget.set(budget, [...(onBudget.get(budget) ?? []), r.campaign.id]);
  }
  return rows.map((r) => {
    const c = r.campaign ?? {};
    const id = c.id ?? '';
    const info: CampaignInfo = {
      externalId: id,
      name: c.name ?? '',
      status: STATUS[c.status ?? ''] ?? 'PAUSED',
      dailyBudget: r.campaignBudget?.amountMicros !== undefined ? decimalFromMicros(microsFromWire(r.campaignBudget.amountMicros)) : null,
      bidTarget: bidTargetOf(r),
    };
    if (isSharedBudget(r) && c.campaignBudget) {
      const ids = new Set([...(onBudget.get(c.campaignBudget) ?? []), id]);
      info.sharedBudget = { id: r.campaignBudget?.id ?? c.campaignBudget.split('/').pop()!, campaignExternalIds: [...ids].sort(byNumber) };
    }
    return info;
  });
}

function byNumber(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function toMetricRow(r: GoogleAdsRow): MetricRow {
  const m = r.metrics ?? {};
  return {
    campaignExternalId: r.campaign?.id ?? '',
    date: r.segments?.date ?? '',
    impressions: Number(m.impressions ?? '0'),
    clicks: Number(m.clicks ?? '0'),
    spend: decimalFromMicros(microsFromWire(m.costMicros)),
    conversions: plainDecimal(microsFromDouble(m.conversions)),
    conversionValue: decimalFromMicros(microsFromDouble(m.conversionsValue)),
  };
}

/** The campaign field (and its update mask) that holds a bid target under the campaign's current strategy. */
export interface BidTargetWrite {
  updateMask: string;
  fields: Record<string, unknown>;
  /** The value there now, in micros (a ROAS ratio as micros of the ratio). */
  current: Micros;
  wanted: Micros;
}

export function planBidTarget(row: GoogleAdsRow, target: BidTarget): BidTargetWrite {
  const c = row.campaign ?? {};
  if (c.biddingStrategy) throw new AppError('VALIDATION', `campaign ${c.id} uses a portfolio bidding strategy; change its target on the strategy`);
  const wanted = parseMoney(target.value);
  if (wanted <= 0n) throw new AppError('VALIDATION', `a ${target.kind} must be above zero, got "${target.value}"`);
  const type = c.biddingStrategyType ?? 'UNKNOWN';
  const f = BID_FIELDS.find((b) => b.kind === target.kind && b.strategy === type);
  if (!f) {
    const fits = BID_FIELDS.filter((b) => b.kind === target.kind).map((b) => b.strategy);
    throw new AppError(
      'VALIDATION',
      `campaign ${c.id} bids with ${type}; a ${target.kind} needs ${fits.length ? fits.join(' or ') : 'a platform that has one'}`,
    );
  }
  // target ROAS is a double on the wire: the ratio goes as the decimal the user gave (e.g. 3.5).
  const value = f.kind === 'target_cpa' ? microsToWire(wanted) : Number(plainDecimal(wanted));
  return { updateMask: `${f.scheme}.${f.field}`, fields: { [f.scheme]: { [f.field]: value } }, current: currentTarget(row, f), wanted };
}
