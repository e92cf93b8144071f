// Bid-target change items, the pure part (no I/O): what a rule action "bid +N%" / "bid to X" proposes from a
// campaign's current target, and the guardrail every bid item passes before approval and again before apply —
// the target kind must be the one the campaign's strategy already uses (writing another strategy's field would
// switch strategies), the value positive, and the relative change within the platform's bound per change (smart
// bidding relearns after large moves: Google advises about ±20 %). Exact decimals through bigint micros.
import type { BidTarget } from '../connectors/types.js';
import { formatMoney, parseMoney } from './money.js';

export type BidPlatform = 'google_ads' | 'meta' | 'tiktok' | 'linkedin';

/** Largest relative change of a bid target in one change, by platform (a fraction: 0.2 = ±20 %). */
export const BID_MAX_CHANGE: Record<BidPlatform, number> = { google_ads: 0.2, meta: 0.25, tiktok: 0.2, linkedin: 0.3 };

export type BidAction = { by: number } | { to: string };

const digitsOf = (kind: BidTarget['kind']) => (kind === 'target_roas' ? 4 : 2);

/** The target a rule action proposes: ±N % of the current value, or an absolute value (same kind). */
export function proposeBidTarget(current: BidTarget, action: BidAction): BidTarget {
  const digits = digitsOf(current.kind);
  if ('to' in action) return { kind: current.kind, value: formatMoney(parseMoney(action.to), digits) };
  const cur = parseMoney(current.value);
  const bp = BigInt(Math.round(action.by * 10_000)); // basis points, exact
  return { kind: current.kind, value: formatMoney((cur * (10_000n + bp) + 5_000n) / 10_000n, digits) };
}

/** Why a bid item is refused, or null when it may go ahead. */
export function bidChangeProblem(
  platform: BidPlatform,
  current: BidTarget | null | undefined,
  target: BidTarget,
  maxChange = BID_MAX_CHANGE[platform],
): string | null {
  return bidChangeCheck(platform, current, target, maxChange)?.message ?? null;
}

/** bidChangeProblem with the guardrail rule it breaks: the bound is `max_change_pct`, anything else `invalid`. */
export function bidChangeCheck(
  platform: BidPlatform,
  current: BidTarget | null | undefined,
  target: BidTarget,
  maxChange = BID_MAX_CHANGE[platform] ?? 0.2,
): { rule: 'invalid' | 'max_change_pct'; message: string } | null {
  const invalid = (message: string) => ({ rule: 'invalid' as const, message });
  if (!current) return invalid('the campaign has no bid target MBO can change (its strategy sets none)');
  if (current.kind !== target.kind) return invalid(`the campaign bids with ${current.kind}; changing ${target.kind} would switch its bidding strategy`);
  let to: bigint;
  try {
    to = parseMoney(target.value);
  } catch {
    return invalid(`"${target.value}" is not a decimal value`);
  }
  if (to <= 0n) return invalid('a bid target must be positive');
  const from = parseMoney(current.value);
  if (to === from) return invalid('the bid target is already at this value');
  const change = Math.abs(Number(to - from)) / Number(from);
  if (change > maxChange + 1e-9)
    return {
      rule: 'max_change_pct',
      message: `a ${(change * 100).toFixed(1)} % change of ${current.kind} exceeds ${platform}'s bound of ±${Math.round(maxChange * 100)} % per change`,
    };
  return null;
}

/** "by ±N %" or "to X" → the new value of a bid target, in the kind the campaign uses (exact decimals). */
export function resolveBidTarget(current: BidTarget, change: { byPct?: number; to?: string }): BidTarget {
  return proposeBidTarget(current, change.to !== undefined ? { to: change.to } : { by: (change.byPct ?? 0) / 100 });
}

/** Whether a higher value of this kind bids more aggressively (a higher target ROAS asks for more per unit spent). */
export const higherBidsMore = (kind: BidTarget['kind']) => kind !== 'target_roas';
