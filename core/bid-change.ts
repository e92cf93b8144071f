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
  if (!current) return 'the campaign has no bid target MBO can change (its strategy sets none)';
  if (current.kind !== target.kind) return `the campaign bids with ${current.kind}; changing ${target.kind} would switch its bidding strategy`;
  let to: bigint;
  try {
    to = parseMoney(target.value);
  } catch {
    return `"${target.value}" is not a decimal value`;
  }
  if (to <= 0n) return 'a bid target must be positive';
  const from = parseMoney(current.value);
  if (to === from) return 'the bid target is already at this value';
  const change = Math.abs(Number(to - from)) / Number(from);
  if (change > maxChange + 1e-9)
    return `a ${(change * 100).toFixed(1)} % change of ${current.kind} exceeds ${platform}'s bound of ±${Math.round(maxChange * 100)} % per change`;
  return null;
}
