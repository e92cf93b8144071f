// Applying one bid-target change item to the platform (an activity's I/O step, kept apart from the budget-change
// apply step so that step only has to dispatch `kind === 'bid'` here). The campaign is read first: a target already
// at the value is nothing to do (idempotent by target, as budgets are); the guardrail is checked again on the live
// value (the platform may have moved since approval); then updateBidTarget with the item's key, and the read-back
// must show the target. Errors are the connector's typed errors, or a VALIDATION AppError for a refused item.
import type { Connector, BidTarget, CampaignInfo } from '../connectors/types.js';
import { bidChangeProblem, type BidPlatform } from '../core/bid-change.js';
import { AppError } from '../core/errors.js';
import { parseMoney } from '../core/money.js';

export interface BidApplyResult {
  applied: boolean;
  before: BidTarget | null;
  after: BidTarget | null;
}

const same = (a: BidTarget | null | undefined, b: BidTarget) => !!a && a.kind === b.kind && parseMoney(a.value) === parseMoney(b.value);

export async function applyBidItem(connector: Connector, campaignExternalId: string, target: BidTarget, idempotencyKey: string): Promise<BidApplyResult> {
  const live: CampaignInfo | undefined = (await connector.listCampaigns()).find((c) => c.externalId === campaignExternalId);
  if (!live) throw new AppError('NOT_FOUND', `campaign ${campaignExternalId} is not on the platform any more`);
  if (same(live.bidTarget, target)) return { applied: false, before: live.bidTarget ?? null, after: live.bidTarget ?? null };
  const problem = bidChangeProblem(connector.platform as BidPlatform, live.bidTarget, target);
  if (problem) throw new AppError('VALIDATION', `bid change refused at apply: ${problem}`);
  if (!connector.updateBidTarget) throw new AppError('VALIDATION', `${connector.platform} has no bid target MBO can change`);
  const r = await connector.updateBidTarget(campaignExternalId, target, idempotencyKey);
  if (!same(r.after.bidTarget, target))
    throw new AppError('CONFLICT', `the platform reads back ${JSON.stringify(r.after.bidTarget)} after setting ${target.kind} ${target.value}`);
  return { applied: r.applied, before: live.bidTarget ?? null, after: r.after.bidTarget ?? null };
}
