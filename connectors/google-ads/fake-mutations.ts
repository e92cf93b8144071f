// The fake Google Ads API's update operations (campaignBudgets:mutate, campaigns:mutate): each operation is
// checked as Google checks it — resource name, update mask, value, currency unit, removed resources, the
// bidding-scheme oneof — and becomes either a change to apply or the error Google would report for it.
import type { FakeCustomer } from './fake-accounts.js';

export type OpError = { code: Record<string, string>; message: string };
export type MutateOp = { update?: { resourceName?: string; [k: string]: unknown }; updateMask?: string };
export type MutateBody = { operations?: MutateOp[]; partialFailure?: boolean; validateOnly?: boolean };

/** Smallest budget step per currency (micros): most currencies have cents; JPY, KRW and others have none. */
const NO_MINOR_UNIT = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'HUF', 'TWD', 'VND']);

export function budgetUpdate(customer: FakeCustomer, op: MutateOp): (() => void) | OpError {
  const target = checkTarget(customer, op, 'campaignBudgets', ['amountMicros']);
  if ('message' in target) return target;
  const budget = customer.budgets.find((b) => b.id === target.id);
  if (!budget) return opErr('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.');
  const raw = op.update!.amountMicros;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) return opErr('fieldError', 'INVALID_VALUE', 'The field value is invalid.');
  const amount = BigInt(raw);
  if (amount < 0n) return opErr('campaignBudgetError', 'NEGATIVE_MONEY_AMOUNT', 'A money amount was negative.');
  const unit = NO_MINOR_UNIT.has(customer.currencyCode) ? 1_000_000n : 10_000n;
  if (amount % unit !== 0n)
    return opErr('campaignBudgetError', 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT', 'A money amount was not a multiple of a minimum unit.');
  return () => (budget.amountMicros = amount);
}

export function campaignUpdate(customer: FakeCustomer, op: MutateOp): (() => void) | OpError {
  const paths = ['status', 'targetCpa.targetCpaMicros', 'maximizeConversions.targetCpaMicros', 'targetRoas.targetRoas', 'maximizeConversionValue.targetRoas'];
  const target = checkTarget(customer, op, 'campaigns', paths);
  if ('message' in target) return target;
  const campaign = customer.campaigns.find((c) => c.id === target.id);
  if (!campaign) return opErr('mutateError', 'RESOURCE_NOT_FOUND', 'Resource was not found.');
  if (campaign.status === 'REMOVED')
    return opErr('operationAccessDeniedError', 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE', 'The operation is not permitted on removed resources.');
  const u = op.update as Record<string, Record<string, unknown> | string | undefined>;
  const changes: (() => void)[] = [];
  for (const path of target.paths) {
    if (path === 'status') {
      const s = u.status;
      if (s !== 'ENABLED' && s !== 'PAUSED') return opErr('fieldError', 'INVALID_VALUE', 'The field value is invalid.');
      changes.push(() => (campaign.status = s));
      continue;
    }
    const [scheme, field] = path.split('.') as [string, string];
    const value = (u[scheme] as Record<string, unknown> | undefined)?.[field];
    if (campaign.portfolio)
      return opErr('biddingError', 'INVALID_BIDDING_STRATEGY_TYPE', 'The bidding strategy type is invalid for a campaign using a portfolio strategy.');
    if (field === 'targetCpaMicros') {
      if (typeof value !== 'string' || !/^\d+$/.test(value) || BigInt(value) === 0n) return opErr('rangeError', 'TOO_LOW', 'Too low.');
      const micros = BigInt(value);
      // bidding_scheme is a oneof: setting another scheme's field switches the campaign's strategy.
      changes.push(
        () =>
          (campaign.bidding =
            scheme === 'targetCpa' ? { type: 'TARGET_CPA', targetCpaMicros: micros } : { type: 'MAXIMIZE_CONVERSIONS', targetCpaMicros: micros }),
      );
    } else {
      if (typeof value !== 'number' || !(value > 0)) return opErr('rangeError', 'TOO_LOW', 'Too low.');
      changes.push(
        () =>
          (campaign.bidding = scheme === 'targetRoas' ? { type: 'TARGET_ROAS', targetRoas: value } : { type: 'MAXIMIZE_CONVERSION_VALUE', targetRoas: value }),
      );
    }
  }
  return () => changes.forEach((c) => c());
}

/** Checks an update operation's resource name and mask; returns the resource id and the masked paths. */
function checkTarget(customer: FakeCustomer, op: MutateOp, collection: string, allowed: string[]): { id: string; paths: string[] } | OpError {
  if (!op.update) return opErr('mutateError', 'MUTATE_NOT_ALLOWED', 'This fake supports update operations only.');
  if (!op.updateMask) return opErr('fieldMaskError', 'FIELD_MASK_MISSING', 'The field mask must be set for update operations.');
  const paths = op.updateMask.split(',').map((p) => p.trim());
  const bad = paths.find((p) => !allowed.includes(p));
  if (bad) return opErr('fieldMaskError', 'FIELD_NOT_FOUND', `The field mask contained an invalid field: '${bad}'.`);
  const m = new RegExp(`^customers/(\\d+)/${collection}/(\\d+)$`).exec(op.update.resourceName ?? '');
  if (!m) return opErr('requestError', 'RESOURCE_NAME_MALFORMED', 'Resource name is malformed.');
  if (m[1] !== customer.id) return opErr('requestError', 'INVALID_CUSTOMER_ID', 'Customer id in the resource name does not match the request.');
  return { id: m[2]!, paths };
}

export function opErr(group: string, value: string, message: string): OpError {
  return { code: { [group]: value }, message };
}
