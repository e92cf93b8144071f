// MBO's client for the sandbox platform: implements the one Connector interface and maps the platform's
// HTTP-like answers to typed connector errors, exactly as a live connector maps its API's errors.
import type pg from 'pg';
import type { DateRange } from '../../core/dates.js';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import type { AccountInfo, BidTarget, CampaignInfo, Connector, MetricsPage, MutationResult, PlatformKind } from '../types.js';
import { SandboxApiError, SandboxPlatform } from './platform.js';

export class SandboxConnector implements Connector {
  private readonly api: SandboxPlatform;

  constructor(
    pool: pg.Pool,
    readonly platform: PlatformKind,
    private readonly accountId: string,
  ) {
    this.api = new SandboxPlatform(pool);
  }

  private async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof SandboxApiError)) throw new TransientError(`sandbox call failed: ${(e as Error).message}`, this.platform);
      switch (e.status) {
        case 401:
          throw new AuthError(`${this.platform} account ${this.accountId}: ${e.message}`, this.platform);
        case 400:
          throw new ValidationError(e.message, this.platform);
        case 404:
          throw new NotFoundError(e.message, this.platform);
        case 429:
          throw new RateLimitError(`${this.platform} rate limit: retry after ${e.retryAfterSeconds}s`, (e.retryAfterSeconds ?? 1) * 1000, this.platform);
        default:
          throw new TransientError(`${this.platform}: ${e.message}`, this.platform);
      }
    }
  }

  authenticate(): Promise<AccountInfo> {
    return this.wrap(async () => {
      const a = await this.api.authenticate(this.accountId);
      return { externalId: a.id, name: a.name, currency: a.currency, timeZone: a.time_zone, today: a.today };
    });
  }

  listCampaigns(): Promise<CampaignInfo[]> {
    return this.wrap(() => this.api.listCampaigns(this.accountId));
  }

  getCampaign(campaignId: string): Promise<CampaignInfo | null> {
    return this.wrap(() => this.api.getCampaign(this.accountId, campaignId));
  }

  getMetrics(campaignIds: string[] | 'all', range: DateRange, page: { pageToken?: string; pageSize?: number } = {}): Promise<MetricsPage> {
    return this.wrap(() => this.api.getMetrics(this.accountId, campaignIds === 'all' ? null : campaignIds, range, page.pageToken, page.pageSize ?? 500));
  }

  private mutate(campaignId: string, kind: 'budget' | 'pause' | 'resume' | 'bid', key: string, amount?: string, target?: BidTarget): Promise<MutationResult> {
    return this.wrap(async () => {
      const r = await this.api.mutate(this.accountId, campaignId, kind, key, amount, target);
      return { campaignExternalId: campaignId, ...r };
    });
  }

  updateBudget(campaignId: string, amount: string, idempotencyKey: string) {
    return this.mutate(campaignId, 'budget', idempotencyKey, amount);
  }

  pauseCampaign(campaignId: string, idempotencyKey: string) {
    return this.mutate(campaignId, 'pause', idempotencyKey);
  }

  resumeCampaign(campaignId: string, idempotencyKey: string) {
    return this.mutate(campaignId, 'resume', idempotencyKey);
  }

  /** The campaign's bid target (target CPA/ROAS, bid or cost cap), with the same idempotency key rule as budgets. */
  updateBidTarget(campaignId: string, target: BidTarget, idempotencyKey: string) {
    return this.mutate(campaignId, 'bid', idempotencyKey, undefined, target);
  }
}
