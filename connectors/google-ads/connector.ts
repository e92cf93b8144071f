// MBO's Google Ads connector: the one Connector interface over the Google Ads REST API. Reads are GAQL
// (searchStream for the account and its campaigns, paged search for daily metrics so a sync can resume from a
// page token); writes are campaignBudgets:mutate and campaigns:mutate with partial failure on, read first (a
// mutation already at its target is not sent) and read back after.
import { todayIn, validateRange, type DateRange } from '../../core/dates.js';
import { isAppError } from '../../core/errors.js';
import { parseMoney } from '../../core/money.js';
import { childLogger } from '../../lib/logger.js';
import { ConnectorError, NotFoundError, TransientError, ValidationError } from '../errors.js';
import type { AccountInfo, BidTarget, CampaignInfo, Connector, LiveConnectorOptions, MetricsPage, MutationResult } from '../types.js';
import { GoogleAdsRestClient, type GoogleAdsSecrets } from './client.js';
import { partialFailures } from './failure.js';
import { campaignsQuery, customerQuery, metricsQuery } from './gaql.js';
import { planBidTarget, toCampaigns, toMetricRow } from './mapping.js';
import { microsFromWire, microsToWire, type GoogleAdsRow, type MutateOperation } from './wire.js';

const PLATFORM = 'google_ads';

export interface GoogleAdsConnectorOptions extends LiveConnectorOptions<GoogleAdsSecrets> {
  /** API version path segment; defaults to the version of the installed google-ads-api protos (v24). */
  apiVersion?: string;
  /** Clock for the account's "today" (tests). */
  now?: () => Date;
}

export interface BudgetChange {
  campaignId: string;
  /** New daily budget, a decimal string in the account currency. */
  amount: string;
}

/** One campaign's outcome in a batch: the read-back result, or the error Google gave for its operation. */
export type BudgetChangeOutcome = { campaignExternalId: string; result: MutationResult } | { campaignExternalId: string; error: ConnectorError };

interface Snapshot {
  rows: Map<string, GoogleAdsRow>;
  infos: Map<string, CampaignInfo>;
}

export class GoogleAdsConnector implements Connector {
  readonly platform = PLATFORM;
  private readonly api: GoogleAdsRestClient;
  private readonly now: () => Date;
  private readonly log;

  constructor(opts: GoogleAdsConnectorOptions) {
    this.api = guardSync(() => new GoogleAdsRestClient({ ...opts, customerId: opts.accountExternalId }));
    this.now = opts.now ?? (() => new Date());
    this.log = childLogger({ platform: PLATFORM, customerId: this.api.customerId });
  }

  authenticate(): Promise<AccountInfo> {
    return guard(async () => {
      const [row] = await this.api.searchStream(customerQuery());
      const c = row?.customer;
      if (!c?.id) throw new NotFoundError(`google_ads customer ${this.api.customerId} not found`, PLATFORM);
      if (c.manager) throw new ValidationError(`google_ads customer ${c.id} is a manager account: connect its client accounts instead`, PLATFORM);
      // Never guess these: amounts and dates mean nothing without them.
      if (!c.currencyCode || !c.timeZone) throw new TransientError(`google_ads customer ${c.id}: the answer lacks currency or time zone`, PLATFORM);
      return { externalId: c.id, name: c.descriptiveName ?? c.id, currency: c.currencyCode, timeZone: c.timeZone, today: todayIn(c.timeZone, this.now()) };
    });
  }

  listCampaigns(): Promise<CampaignInfo[]> {
    return guard(async () => [...(await this.snapshot()).infos.values()]);
  }

  /**
   * Pages are Google's (fixed at up to 10,000 rows; `pageSize` is not supported by the API and is ignored); the
   * cursor is Google's page token.
   */
  getMetrics(campaignIds: string[] | 'all', range: DateRange, page: { pageToken?: string; pageSize?: number } = {}): Promise<MetricsPage> {
    return guard(async () => {
      validateRange(range);
      if (campaignIds !== 'all' && campaignIds.length === 0) return { rows: [] };
      const query = metricsQuery(range, campaignIds === 'all' ? undefined : campaignIds);
      const res = await this.api.search(query, page.pageToken).catch((e: unknown) => {
        // A resumed sync may hold a token whose cached result set Google has dropped: start the report over
        // (pages already stored are upserted again, which changes nothing) rather than fail the sync.
        if (!(page.pageToken && e instanceof ValidationError && /requestError=(EXPIRED|INVALID)_PAGE_TOKEN/.test(e.message))) throw e;
        this.log.warn({ range }, 'google ads page token no longer valid; reading the report from its first page');
        return this.api.search(query);
      });
      const rows = (res.results ?? []).map(toMetricRow);
      return res.nextPageToken ? { rows, nextPageToken: res.nextPageToken } : { rows };
    });
  }

  async updateBudget(campaignId: string, amount: string, idempotencyKey: string): Promise<MutationResult> {
    const [outcome] = await this.updateBudgets([{ campaignId, amount }], idempotencyKey);
    if ('error' in outcome!) throw outcome.error;
    return outcome!.result;
  }

  /**
   * Several budget changes in one campaignBudgets:mutate with partial failure on: the valid ones apply, each
   * failed one comes back as a ValidationError carrying Google's message for that operation. A shared budget is
   * changed once for all of its campaigns; two changes to the same shared budget in one batch are refused.
   */
  updateBudgets(changes: BudgetChange[], idempotencyKey: string): Promise<BudgetChangeOutcome[]> {
    return guard(async () => {
      const before = await this.snapshot();
      const outcomes = new Map<number, BudgetChangeOutcome>();
      const ops: { index: number; op: MutateOperation<{ amountMicros: string }> }[] = [];
      const budgetsSeen = new Map<string, string>();
      changes.forEach((ch, index) => {
        try {
          const { row, info } = this.campaign(before, ch.campaignId);
          const micros = budgetMicros(ch.amount);
          const budget = row.campaign?.campaignBudget;
          if (!budget || info.dailyBudget === null) throw new ValidationError(`google_ads campaign ${ch.campaignId} has no daily budget of its own`, PLATFORM);
          if (info.status === 'REMOVED') throw new ValidationError(`google_ads campaign ${ch.campaignId} is removed`, PLATFORM);
          const other = budgetsSeen.get(budget);
          if (other !== undefined)
            throw new ValidationError(`google_ads campaign ${ch.campaignId} shares its budget with campaign ${other} in the same batch`, PLATFORM);
          budgetsSeen.set(budget, ch.campaignId);
          if (microsFromWire(row.campaignBudget?.amountMicros) === micros) {
            outcomes.set(index, {
              campaignExternalId: ch.campaignId,
              result: { campaignExternalId: ch.campaignId, applied: false, before: info, after: info },
            });
          } else {
            ops.push({ index, op: { update: { resourceName: budget, amountMicros: microsToWire(micros) }, updateMask: 'amountMicros' } });
          }
        } catch (e) {
          outcomes.set(index, { campaignExternalId: ch.campaignId, error: asConnectorError(e) });
        }
      });
      if (ops.length > 0) {
        this.log.info({ idempotencyKey, operations: ops.length }, 'google ads budget mutate');
        const res = await this.api.mutate('campaignBudgets', { operations: ops.map((o) => o.op), partialFailure: true });
        const failed = partialFailures(res);
        const after = await this.snapshot();
        ops.forEach(({ index }, opIndex) => {
          const id = changes[index]!.campaignId;
          const why = failed.get(opIndex);
          outcomes.set(
            index,
            why !== undefined
              ? { campaignExternalId: id, error: new ValidationError(`google_ads campaign ${id}: ${why}`, PLATFORM) }
              : {
                  campaignExternalId: id,
                  result: { campaignExternalId: id, applied: true, before: before.infos.get(id)!, after: this.campaign(after, id).info },
                },
          );
        });
      }
      return changes.map((_, i) => outcomes.get(i)!);
    });
  }

  /**
   * A dry run of a budget change: Google validates the operation (`validateOnly`) without applying it. Resolves
   * with the campaign as it is and whether the change would do anything; rejects with Google's reason.
   */
  validateBudgetChange(campaignId: string, amount: string): Promise<{ campaign: CampaignInfo; wouldChange: boolean }> {
    return guard(async () => {
      const { row, info } = this.campaign(await this.snapshot(), campaignId);
      const micros = budgetMicros(amount);
      const budget = row.campaign?.campaignBudget;
      if (!budget || info.dailyBudget === null) throw new ValidationError(`google_ads campaign ${campaignId} has no daily budget of its own`, PLATFORM);
      await this.api.mutate('campaignBudgets', {
        operations: [{ update: { resourceName: budget, amountMicros: microsToWire(micros) }, updateMask: 'amountMicros' }],
        validateOnly: true,
      });
      return { campaign: info, wouldChange: microsFromWire(row.campaignBudget?.amountMicros) !== micros };
    });
  }

  pauseCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'PAUSED', idempotencyKey);
  }

  resumeCampaign(campaignId: string, idempotencyKey: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'ENABLED', idempotencyKey);
  }

  private setStatus(campaignId: string, status: 'PAUSED' | 'ENABLED', idempotencyKey: string): Promise<MutationResult> {
    return this.mutateCampaign(campaignId, idempotencyKey, (row) => {
      if (row.campaign?.status === 'REMOVED')
        throw new ValidationError(`google_ads campaign ${campaignId} is removed and cannot be ${status.toLowerCase()}`, PLATFORM);
      if (row.campaign?.status === status) return null;
      return { update: { resourceName: row.campaign!.resourceName ?? this.campaignResource(campaignId), status }, updateMask: 'status' };
    });
  }

  /** Target CPA / target ROAS, written into the bidding strategy the campaign already uses. */
  updateBidTarget(campaignId: string, target: BidTarget, idempotencyKey: string): Promise<MutationResult> {
    return this.mutateCampaign(campaignId, idempotencyKey, (row) => {
      const plan = planBidTarget(row, target);
      if (plan.current === plan.wanted) return null;
      return { update: { resourceName: row.campaign!.resourceName ?? this.campaignResource(campaignId), ...plan.fields }, updateMask: plan.updateMask };
    });
  }

  /** Read, plan (null = already at target), campaigns:mutate with partial failure, read back. */
  private mutateCampaign(campaignId: string, idempotencyKey: string, plan: (row: GoogleAdsRow) => MutateOperation<object> | null): Promise<MutationResult> {
    return guard(async () => {
      const before = this.campaign(await this.snapshot(), campaignId);
      const op = plan(before.row);
      if (op === null) return { campaignExternalId: campaignId, applied: false, before: before.info, after: before.info };
      this.log.info({ idempotencyKey, campaignId, updateMask: op.updateMask }, 'google ads campaign mutate');
      const res = await this.api.mutate('campaigns', { operations: [op], partialFailure: true });
      const why = partialFailures(res).get(0);
      if (why !== undefined) throw new ValidationError(`google_ads campaign ${campaignId}: ${why}`, PLATFORM);
      const after = this.campaign(await this.snapshot(), campaignId);
      return { campaignExternalId: campaignId, applied: true, before: before.info, after: after.info };
    });
  }

  private async snapshot(): Promise<Snapshot> {
    const rows = await this.api.searchStream(campaignsQuery());
    const infos = toCampaigns(rows);
    return { rows: new Map(rows.map((r) => [r.campaign?.id ?? '', r])), infos: new Map(infos.map((c) => [c.externalId, c])) };
  }

  private campaign(s: Snapshot, id: string): { row: GoogleAdsRow; info: CampaignInfo } {
    const row = s.rows.get(id);
    const info = s.infos.get(id);
    if (!row || !info) throw new NotFoundError(`google_ads campaign ${id} not found in customer ${this.api.customerId}`, PLATFORM);
    return { row, info };
  }

  private campaignResource(id: string): string {
    return `customers/${this.api.customerId}/campaigns/${id}`;
  }
}

function budgetMicros(amount: string): bigint {
  const micros = parseMoney(amount);
  if (micros <= 0n) throw new ValidationError(`a daily budget must be above zero, got "${amount}"`, PLATFORM);
  return micros;
}

/** Input problems found in our own code (AppError VALIDATION) surface as the connector's ValidationError. */
function asConnectorError(e: unknown): ConnectorError {
  if (e instanceof ConnectorError) return e;
  if (isAppError(e) && e.code === 'VALIDATION') return new ValidationError(e.message, PLATFORM);
  throw e;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asConnectorError(e);
  }
}

function guardSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asConnectorError(e);
  }
}
