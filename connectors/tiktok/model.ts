// Pure mapping from TikTok's campaign + ad-group objects to MBO's CampaignInfo: where the daily budget lives
// (campaign level with budget_mode BUDGET_MODE_DAY, or the ad groups when the campaign is BUDGET_MODE_INFINITE),
// the bid target the ad groups share, and the exact split of a new daily budget over several ad groups.
import { formatMoney, moneyFromNumber, type Micros } from '../../core/money.js';
import type { BidTarget, CampaignInfo } from '../types.js';
import type { TikTokAdGroup, TikTokCampaign } from './wire.js';

export type BudgetPlacement =
  | { level: 'campaign'; daily: Micros }
  | { level: 'adgroup'; daily: Micros; groups: { id: string; budget: Micros }[] }
  /** A lifetime (BUDGET_MODE_TOTAL) or unlimited budget somewhere: MBO changes daily budgets only. */
  | { level: 'none'; why: string };

export interface CampaignView {
  info: CampaignInfo;
  budget: BudgetPlacement;
  /** The live (not deleted) ad groups, where bids live. */
  groups: TikTokAdGroup[];
}

const CENT: Micros = 10_000n;

function isDeleted(o: { operation_status: string; secondary_status?: string }): boolean {
  return o.operation_status === 'DELETE' || (o.secondary_status ?? '').endsWith('_DELETE');
}

export function budgetPlacement(c: TikTokCampaign, groups: TikTokAdGroup[]): BudgetPlacement {
  if (c.budget_mode === 'BUDGET_MODE_DAY') return { level: 'campaign', daily: moneyFromNumber(c.budget) };
  if (c.budget_mode === 'BUDGET_MODE_TOTAL') return { level: 'none', why: 'the campaign has a lifetime budget (BUDGET_MODE_TOTAL)' };
  if (groups.length === 0) return { level: 'none', why: 'the campaign has no budget and no ad groups' };
  const notDaily = groups.find((g) => g.budget_mode !== 'BUDGET_MODE_DAY');
  if (notDaily) return { level: 'none', why: `ad group ${notDaily.adgroup_id} has no daily budget (${notDaily.budget_mode})` };
  const split = groups.map((g) => ({ id: g.adgroup_id, budget: moneyFromNumber(g.budget) }));
  return { level: 'adgroup', daily: split.reduce((s, g) => s + g.budget, 0n), groups: split };
}

/** The bid the live ad groups share: target CPA (conversion_bid_price) or bid cap (bid_price); null when they differ or bid automatically. */
export function sharedBid(groups: TikTokAdGroup[]): BidTarget | null {
  if (groups.length === 0) return null;
  const same = (pick: (g: TikTokAdGroup) => number | undefined): Micros | null => {
    const values = groups.map((g) => pick(g) ?? 0);
    return values.every((v) => v > 0 && v === values[0]) ? moneyFromNumber(values[0]!) : null;
  };
  const cpa = same((g) => g.conversion_bid_price);
  if (cpa !== null) return { kind: 'target_cpa', value: formatMoney(cpa) };
  const cap = same((g) => g.bid_price);
  if (cap !== null) return { kind: 'bid_cap', value: formatMoney(cap) };
  return null;
}

export function campaignView(c: TikTokCampaign, allGroups: TikTokAdGroup[]): CampaignView {
  const groups = allGroups.filter((g) => g.campaign_id === c.campaign_id && !isDeleted(g));
  const budget = budgetPlacement(c, groups);
  const status: CampaignInfo['status'] = isDeleted(c) ? 'REMOVED' : c.operation_status === 'ENABLE' ? 'ACTIVE' : 'PAUSED';
  return {
    info: {
      externalId: c.campaign_id,
      name: c.campaign_name,
      status,
      dailyBudget: budget.level === 'none' ? null : formatMoney(budget.daily),
      bidTarget: sharedBid(groups),
    },
    budget,
    groups,
  };
}

/** Rounds to whole cents, the precision TikTok budgets carry. */
export function toCents(m: Micros): Micros {
  return ((m + CENT / 2n) / CENT) * CENT;
}

/**
 * Splits a new daily total over ad groups in proportion to their current budgets, in whole cents, exactly: each
 * gets floor(share) and the leftover cents go one each to the largest groups, so the parts sum to the total.
 */
export function splitBudget(current: Micros[], total: Micros): Micros[] {
  const cents = current.map((m) => m / CENT);
  const totalCents = toCents(total) / CENT;
  const sum = cents.reduce((s, c) => s + c, 0n);
  const weights = sum === 0n ? cents.map(() => 1n) : cents;
  const wsum = weights.reduce((s, w) => s + w, 0n);
  const parts = weights.map((w) => (w * totalCents) / wsum);
  let left = totalCents - parts.reduce((s, p) => s + p, 0n);
  const order = weights.map((w, i) => ({ w, i })).sort((a, b) => (b.w > a.w ? 1 : b.w < a.w ? -1 : a.i - b.i));
  for (let k = 0; left > 0n; k = (k + 1) % order.length, left -= 1n) {
    const i = order[k]!.i;
    parts[i] = parts[i]! + 1n;
  }
  return parts.map((p) => p * CENT);
}

/** A money amount as the JSON number TikTok's write endpoints take (≤ 2 decimals: the decimal text round-trips). */
export function wireNumber(m: Micros): number {
  return Number(formatMoney(m, 2));
}
