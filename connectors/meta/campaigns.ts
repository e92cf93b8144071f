// Where a Meta campaign's daily budget and bid cap live, decided from the campaign and its ad sets as the Graph
// API returns them (pure; no I/O).
//
// Budgets. Meta has two homes for a budget: the campaign (Advantage campaign budget, "CBO": the campaign carries
// `daily_budget` and spreads it over its ad sets) or each ad set (the campaign has no budget; every ad set has its
// own `daily_budget` or `lifetime_budget`). MBO models one daily budget per campaign, so:
//   - CBO with a daily budget → that budget; MBO writes the campaign.
//   - no campaign budget and exactly one live ad set (not deleted or archived), which has a daily budget → the ad
//     set's budget *is* the campaign's; MBO writes that ad set.
//   - anything else (a lifetime budget, several ad sets each with its own budget) → `dailyBudget: null`: MBO
//     reports the campaign's spend and results but neither recommends nor applies a budget for it, since moving
//     one of several ad-set budgets is a different decision than the campaign-level one MBO makes.
// Bid caps. With bid strategy COST_CAP or LOWEST_COST_WITH_BID_CAP the cap is the ad set's `bid_amount` (for CBO
// the campaign holds the strategy and each ad set its own amount), so a campaign's bid target is defined when it
// has exactly one live ad set with a cap; that ad set is what `updateBidTarget` writes. Out of scope: ROAS goals
// (LOWEST_COST_WITH_MIN_ROAS, `bid_constraints.roas_average_floor`), changing the bid strategy itself, and
// campaigns with several capped ad sets.
import type { BidTarget, CampaignInfo } from '../types.js';
import { minorToDecimal } from './currency.js';

export interface RawCampaign {
  id: string;
  name?: string;
  account_id?: string;
  status?: string;
  effective_status?: string;
  daily_budget?: string;
  lifetime_budget?: string;
  bid_strategy?: string;
}

export interface RawAdSet {
  id: string;
  name?: string;
  campaign_id?: string;
  status?: string;
  effective_status?: string;
  daily_budget?: string;
  lifetime_budget?: string;
  bid_amount?: string | number;
  bid_strategy?: string;
}

export const CAMPAIGN_FIELDS = ['id', 'name', 'account_id', 'status', 'effective_status', 'daily_budget', 'lifetime_budget', 'bid_strategy'];
export const ADSET_FIELDS = ['id', 'name', 'campaign_id', 'status', 'effective_status', 'daily_budget', 'lifetime_budget', 'bid_amount', 'bid_strategy'];

export type BudgetHome = { kind: 'campaign'; minor: string } | { kind: 'adset'; adSetId: string; minor: string } | { kind: 'none'; reason: string };

export type BidHome = { kind: 'cost_cap' | 'bid_cap'; adSetId: string; minor: string | null } | { kind: 'none'; reason: string };

const positive = (v: string | number | undefined): v is string | number => v !== undefined && v !== null && /^\d+$/.test(String(v)) && BigInt(String(v)) > 0n;

export function liveAdSets(adSets: RawAdSet[]): RawAdSet[] {
  return adSets.filter((a) => a.status !== 'DELETED' && a.status !== 'ARCHIVED');
}

export function budgetHome(c: RawCampaign, adSets: RawAdSet[]): BudgetHome {
  if (positive(c.daily_budget)) return { kind: 'campaign', minor: String(c.daily_budget) };
  if (positive(c.lifetime_budget)) return { kind: 'none', reason: 'the campaign has a lifetime budget (MBO manages daily budgets)' };
  const live = liveAdSets(adSets);
  if (live.length !== 1)
    return { kind: 'none', reason: `the budget is spread over ${live.length} ad sets (MBO changes an ad-set budget only when the campaign has one ad set)` };
  const only = live[0]!;
  if (positive(only.daily_budget)) return { kind: 'adset', adSetId: only.id, minor: String(only.daily_budget) };
  return {
    kind: 'none',
    reason: positive(only.lifetime_budget)
      ? 'its ad set has a lifetime budget (MBO manages daily budgets)'
      : 'neither the campaign nor its ad set has a daily budget',
  };
}

export function bidHome(c: RawCampaign, adSets: RawAdSet[]): BidHome {
  const live = liveAdSets(adSets);
  if (live.length !== 1) return { kind: 'none', reason: `the campaign has ${live.length} ad sets (MBO changes a bid cap only when there is one)` };
  const only = live[0]!;
  const strategy = only.bid_strategy ?? c.bid_strategy;
  const kind = strategy === 'COST_CAP' ? 'cost_cap' : strategy === 'LOWEST_COST_WITH_BID_CAP' ? 'bid_cap' : null;
  if (!kind)
    return { kind: 'none', reason: `its bid strategy is ${strategy ?? 'not set'} (only COST_CAP and LOWEST_COST_WITH_BID_CAP have an amount MBO changes)` };
  return { kind, adSetId: only.id, minor: positive(only.bid_amount) ? String(only.bid_amount) : null };
}

export function campaignStatus(status: string | undefined): CampaignInfo['status'] {
  if (status === 'ACTIVE') return 'ACTIVE';
  if (status === 'DELETED' || status === 'ARCHIVED') return 'REMOVED';
  return 'PAUSED';
}

export function toCampaignInfo(c: RawCampaign, adSets: RawAdSet[], currency: string): CampaignInfo {
  const budget = budgetHome(c, adSets);
  const bid = bidHome(c, adSets);
  const bidTarget: BidTarget | null = bid.kind !== 'none' && bid.minor !== null ? { kind: bid.kind, value: minorToDecimal(bid.minor, currency) } : null;
  return {
    externalId: String(c.id),
    name: c.name ?? String(c.id),
    status: campaignStatus(c.status),
    dailyBudget: budget.kind === 'none' ? null : minorToDecimal(budget.minor, currency),
    bidTarget,
  };
}
