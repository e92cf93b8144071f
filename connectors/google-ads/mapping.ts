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

export function bidTargetOf(row: GoogleAdsRow): BidTarget | null {
  const c = row.campaign ?? {};
  if (c.biddingStrategy) return null; // a portfolio strategy: its target lives on the strategy, not the campaign
  switch (c.biddingStrategyType) {
    case 'TARGET_CPA':
      return c.targetCpa?.targetCpaMicros ? { kind: 'target_cpa', value: decimalFromMicros(microsFromWire(c.targetCpa.targetCpaMicros)) } : null;
    case 'MAXIMIZE_CONVERSIONS': {
      const m = microsFromWire(c.maximizeConversions?.targetCpaMicros);
      return m > 0n ? { kind: 'target_cpa', value: decimalFromMicros(m) } : null;
    }
    case 'TARGET_ROAS':
      return c.targetRoas?.targetRoas ? { kind: 'target_roas', value: plainDecimal(microsFromDouble(c.targetRoas.targetRoas)) } : null;
    case 'MAXIMIZE_CONVERSION_VALUE': {
      const m = microsFromDouble(c.maximizeConversionValue?.targetRoas);
      return m > 0n ? { kind: 'target_roas', value: plainDecimal(m) } : null;
    }
    default:
      return null;
  }
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

/**
 * Writes only into the strategy the campaign already uses: the bidding scheme is a oneof, so setting another
 * strategy's field would silently switch the campaign's bidding strategy.
 */
export function planBidTarget(row: GoogleAdsRow, target: BidTarget): BidTargetWrite {
  const c = row.campaign ?? {};
  if (c.biddingStrategy) throw new AppError('VALIDATION', `campaign ${c.id} uses a portfolio bidding strategy; change its target on the strategy`);
  const wanted = parseMoney(target.value);
  if (wanted <= 0n) throw new AppError('VALIDATION', `a ${target.kind} must be above zero, got "${target.value}"`);
  const type = c.biddingStrategyType ?? 'UNKNOWN';
  if (target.kind === 'target_cpa' && type === 'TARGET_CPA')
    return { updateMask: 'targetCpa.targetCpaMicros', fields: { targetCpa: { targetCpaMicros: microsToWire(wanted) } }, current: microsFromWire(c.targetCpa?.targetCpaMicros), wanted };
  if (target.kind === 'target_cpa' && type === 'MAXIMIZE_CONVERSIONS')
    return {
      updateMask: 'maximizeConversions.targetCpaMicros',
      fields: { maximizeConversions: { targetCpaMicros: microsToWire(wanted) } },
      current: microsFromWire(c.maximizeConversions?.targetCpaMicros),
      wanted,
    };
  // target ROAS is a double on the wire; the ratio is sent as the decimal the user gave (e.g. 3.5).
  if (target.kind === 'target_roas' && type === 'TARGET_ROAS')
    return { updateMask: 'targetRoas.targetRoas', fields: { targetRoas: { targetRoas: Number(plainDecimal(wanted)) } }, current: microsFromDouble(c.targetRoas?.targetRoas), wanted };
  if (target.kind === 'target_roas' && type === 'MAXIMIZE_CONVERSION_VALUE')
    return {
      updateMask: 'maximizeConversionValue.targetRoas',
      fields: { maximizeConversionValue: { targetRoas: Number(plainDecimal(wanted)) } },
      current: microsFromDouble(c.maximizeConversionValue?.targetRoas),
      wanted,
    };
  throw new AppError('VALIDATION', `campaign ${c.id} bids with ${type}; a ${target.kind} needs ${target.kind === 'target_cpa' ? 'Target CPA or Maximize conversions' : 'Target ROAS or Maximize conversion value'}`);
}
