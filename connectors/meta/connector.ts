// MBO's client for the Meta Marketing API (Facebook and Instagram ads), on facebook-nodejs-business-sdk through
// a session scoped to this connector (graph-api.ts). Lists campaigns with where their budget and bid cap live
// (campaigns.ts), reads daily campaign insights page by page — synchronously for short ranges, as an async report
// run for long ones — and changes budgets, status and bid caps with a read first (already at the target: nothing
// is written) and a read-back after. Meta has no idempotency keys for these writes; the target check is what makes
// a retried mutation harmless.
import { createHash } from 'node:crypto';
import { type DateRange, daysBetween, todayIn, validateRange } from '../../core/dates.js';
import { parseMoney } from '../../core/money.js';
import { ConnectorError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from '../http.js';
import type { AccountInfo, BidTarget, CampaignInfo, Connector, LiveConnectorOptions, MetricRow, MetricsPage, MutationResult } from '../types.js';
import { type ActionStat, actionTypesFrom, DEFAULT_CONVERSION_ACTION_TYPES, pickAction } from './actions.js';
import { ADSET_FIELDS, bidHome, budgetHome, CAMPAIGN_FIELDS, type RawAdSet, type RawCampaign, toCampaignInfo } from './campaigns.js';
import { decimalToMinor } from './currency.js';
import { toConnectorError } from './errors.js';
import { GraphSession, type SdkCursor } from './graph-api.js';

export interface MetaSecrets {
  [field: string]: string | undefined;
  /** A long-lived user token or a system-user token with ads_read (+ ads_management to change budgets). */
  accessToken: string;
  /** The app's secret: when set, every call carries appsecret_proof (required if the app enforces it). */
  appSecret?: string;
  /** Preference list of action types counted as conversions (JSON list or comma-separated); see actions.ts. */
  conversionActionTypes?: string;
  /** Preference list for conversion value (action_values); defaults to the conversion list. */
  revenueActionTypes?: string;
}

export interface MetaConnectorOptions extends LiveConnectorOptions<MetaSecrets> {
  conversionActionTypes?: string[];
  revenueActionTypes?: string[];
  /** Ranges longer than this many days are read through an async report run (default 30). */
  asyncThresholdDays?: number;
  /** Pause between report-run status checks (default 2 s). */
  asyncPollIntervalMs?: number;
  /**
   * How long one getMetrics call waits for a report run before handing back an empty page with a token to come back
   * with (default 10 s: the sync activity heartbeats per page, with a 15 s heartbeat timeout).
   */
  asyncWaitMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

const ACCOUNT_FIELDS = ['id', 'account_id', 'name', 'currency', 'timezone_name', 'account_status'];
/** Insights fields (Ads Insights reference): one row per campaign and day with time_increment=1. */
const INSIGHT_FIELDS = ['campaign_id', 'date_start', 'date_stop', 'spend', 'impressions', 'clicks', 'actions', 'action_values'];
const MAX_PAGE_SIZE = 500;

interface InsightRow {
  campaign_id?: string;
  date_start?: string;
  spend?: string;
  impressions?: string;
  clicks?: string;
  actions?: ActionStat[];
  action_values?: ActionStat[];
}

/** The opaque page token: which query it belongs to (k), the async report run (r) and the `after` cursor (a). */
interface PageToken {
  v: 1;
  k: string;
  r?: string;
  a?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class MetaConnector implements Connector {
  readonly platform = 'meta' as const;
  private readonly session: GraphSession;
  private readonly actId: string;
  private readonly conversionTypes: readonly string[];
  private readonly revenueTypes: readonly string[];
  private readonly secrets: string[];
  private rateLimited = 0;
  private accountCache?: { currency: string; timeZone: string; name: string };

  constructor(private readonly opts: MetaConnectorOptions) {
    const { accessToken, appSecret } = opts.secrets;
    if (!accessToken) throw new ValidationError('meta: no access token in the account secrets', 'meta');
    const raw = opts.accountExternalId.trim();
    if (!/^(act_)?\d+$/.test(raw)) throw new ValidationError(`meta: "${raw}" is not an ad account id (act_<digits>)`, 'meta');
    this.actId = raw.startsWith('act_') ? raw : `act_${raw}`;
    this.secrets = [accessToken, appSecret ?? ''].filter((s) => s !== '');
    this.session = new GraphSession({ accessToken, appSecret, baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    this.conversionTypes = actionTypesFrom(opts.conversionActionTypes, opts.secrets.conversionActionTypes, DEFAULT_CONVERSION_ACTION_TYPES);
    this.revenueTypes = actionTypesFrom(opts.revenueActionTypes, opts.secrets.revenueActionTypes, this.conversionTypes);
  }

  /** Runs one Graph call and maps its failure to a typed error (our own typed errors pass through). */
  private async graph<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.rateLimited = 0;
      return result;
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      const err = toConnectorError(e, what, { actId: this.actId, secrets: this.secrets, rateLimitAttempt: this.rateLimited + 1 });
      if (err instanceof RateLimitError) this.rateLimited++;
      throw err;
    }
  }

  /** Every object of a paged edge (follows paging.next). */
  private async all(what: string, first: () => Promise<SdkCursor>): Promise<Record<string, unknown>[]> {
    let cursor = await this.graph(what, first);
    const out = cursor.map((o) => o.exportAllData());
    while (cursor.hasNext() && cursor.length > 0) {
      const current = cursor;
      cursor = await this.graph(what, () => current.next());
      out.push(...cursor.map((o) => o.exportAllData()));
    }
    return out;
  }

  private async account() {
    if (!this.accountCache) {
      const a = await this.graph('read ad account', () => this.session.account(this.actId).get(ACCOUNT_FIELDS));
      const d = a.exportAllData() as { name?: string; currency?: string; timezone_name?: string };
      if (!d.currency || !d.timezone_name) throw new TransientError(`meta ${this.actId}: the account answer lacks currency or time zone`, 'meta');
      this.accountCache = { currency: d.currency, timeZone: d.timezone_name, name: d.name ?? this.actId };
    }
    return this.accountCache;
  }

  async authenticate(): Promise<AccountInfo> {
    const a = await this.account();
    return { externalId: this.actId, name: a.name, currency: a.currency, timeZone: a.timeZone, today: todayIn(a.timeZone, this.opts.now?.() ?? new Date()) };
  }

  async listCampaigns(): Promise<CampaignInfo[]> {
    const { currency } = await this.account();
    const acct = this.session.account(this.actId);
    const campaigns = (await this.all('list campaigns', () => acct.getCampaigns(CAMPAIGN_FIELDS, { limit: 200 }))) as unknown as RawCampaign[];
    const adSets = (await this.all('list ad sets', () => acct.getAdSets(ADSET_FIELDS, { limit: 200 }))) as unknown as RawAdSet[];
    const byCampaign = new Map<string, RawAdSet[]>();
    for (const s of adSets) {
      const key = String(s.campaign_id);
      byCampaign.set(key, [...(byCampaign.get(key) ?? []), s]);
    }
    return campaigns.map((c) => toCampaignInfo(c, byCampaign.get(String(c.id)) ?? [], currency));
  }

  /** One campaign with its ad sets, checked to belong to this ad account. */
  private async readCampaign(campaignId: string) {
    if (!/^\d+$/.test(campaignId)) throw new ValidationError(`meta ${this.actId}: "${campaignId}" is not a campaign id`, 'meta');
    const { currency } = await this.account();
    const campaign = this.session.campaign(campaignId);
    const raw = (await this.graph('read campaign', () => campaign.get(CAMPAIGN_FIELDS))).exportAllData() as unknown as RawCampaign;
    if (raw.account_id !== undefined && `act_${raw.account_id}` !== this.actId) {
      throw new ValidationError(`meta ${this.actId}: campaign ${campaignId} belongs to another ad account`, 'meta');
    }
    const adSets = (await this.all('read ad sets', () => campaign.getAdSets(ADSET_FIELDS, { limit: 200 }))) as unknown as RawAdSet[];
    return { raw, adSets, currency, info: toCampaignInfo(raw, adSets, currency) };
  }

  private async mutate(
    campaignId: string,
    write: (c: Awaited<ReturnType<MetaConnector['readCampaign']>>) => (() => Promise<unknown>) | null,
  ): Promise<MutationResult> {
    const before = await this.readCampaign(campaignId);
    const run = write(before);
    if (!run) return { campaignExternalId: campaignId, applied: false, before: before.info, after: before.info };
    await this.graph('update', run);
    const after = await this.readCampaign(campaignId);
    return { campaignExternalId: campaignId, applied: true, before: before.info, after: after.info };
  }

  /** The key is not sent: Meta's updates take none (the target check makes a retry a no-op). */
  updateBudget(campaignId: string, amount: string, _idempotencyKey: string): Promise<MutationResult> {
    return this.mutate(campaignId, ({ raw, adSets, currency }) => {
      const minor = decimalToMinor(amount, currency);
      const home = budgetHome(raw, adSets);
      if (home.kind === 'none') throw new ValidationError(`meta ${this.actId}: campaign ${campaignId} has no single daily budget: ${home.reason}`, 'meta');
      if (BigInt(home.minor) === BigInt(minor)) return null;
      const params = { daily_budget: safeInt(minor) };
      return home.kind === 'campaign' ? () => this.session.campaign(campaignId).update([], params) : () => this.session.adSet(home.adSetId).update([], params);
    });
  }

  pauseCampaign(campaignId: string, _idempotencyKey: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'PAUSED');
  }

  resumeCampaign(campaignId: string, _idempotencyKey: string): Promise<MutationResult> {
    return this.setStatus(campaignId, 'ACTIVE');
  }

  private setStatus(campaignId: string, status: 'PAUSED' | 'ACTIVE'): Promise<MutationResult> {
    return this.mutate(campaignId, ({ raw, info }) => {
      if (info.status === 'REMOVED')
        throw new ValidationError(`meta ${this.actId}: campaign ${campaignId} is ${raw.status}; it cannot be paused or resumed`, 'meta');
      if (raw.status === status) return null;
      return () => this.session.campaign(campaignId).update([], { status });
    });
  }

  updateBidTarget(campaignId: string, target: BidTarget, _idempotencyKey: string): Promise<MutationResult> {
    return this.mutate(campaignId, ({ raw, adSets, currency }) => {
      if (target.kind !== 'cost_cap' && target.kind !== 'bid_cap') {
        throw new ValidationError(`meta ${this.actId}: bid target "${target.kind}" is not supported on Meta (MBO changes cost caps and bid caps)`, 'meta');
      }
      const home = bidHome(raw, adSets);
      if (home.kind === 'none') throw new ValidationError(`meta ${this.actId}: campaign ${campaignId} has no single bid cap: ${home.reason}`, 'meta');
      if (home.kind !== target.kind) {
        throw new ValidationError(
          `meta ${this.actId}: campaign ${campaignId} bids with a ${home.kind.replace('_', ' ')}, not a ${target.kind.replace('_', ' ')} (MBO changes the amount, not the strategy)`,
          'meta',
        );
      }
      const minor = decimalToMinor(target.value, currency);
      if (home.minor !== null && BigInt(home.minor) === BigInt(minor)) return null;
      return () => this.session.adSet(home.adSetId).update([], { bid_amount: safeInt(minor) });
    });
  }

  // --- Metrics ---

  async getMetrics(campaignIds: string[] | 'all', range: DateRange, page: { pageToken?: string; pageSize?: number } = {}): Promise<MetricsPage> {
    try {
      validateRange(range);
    } catch (e) {
      throw new ValidationError(`meta ${this.actId}: ${(e as Error).message}`, 'meta');
    }
    if (campaignIds !== 'all' && campaignIds.length === 0) return { rows: [] };
    const key = scopeKey(campaignIds, range);
    const token = page.pageToken ? decodeToken(page.pageToken, key) : undefined;
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(page.pageSize ?? MAX_PAGE_SIZE)));
    const query: Record<string, unknown> = {
      level: 'campaign',
      time_range: { since: range.from, until: range.to },
      time_increment: 1,
      ...(campaignIds === 'all' ? {} : { filtering: [{ field: 'campaign.id', operator: 'IN', value: campaignIds }] }),
    };
    const after = token?.a ? { after: token.a } : {};
    const days = daysBetween(range.from, range.to) + 1;
    if (days <= (this.opts.asyncThresholdDays ?? 30) && !token?.r) {
      const cursor = await this.graph('read insights', () => this.session.account(this.actId).getInsights(INSIGHT_FIELDS, { ...query, limit, ...after }));
      return this.toPage(cursor, key);
    }
    // Long range: an async report run (POST /act_X/insights → report_run_id; GET /{id} until async_status is
    // "Job Completed"; GET /{id}/insights, paged like the synchronous edge).
    let runId = token?.r ?? (await this.startReport(query));
    if (!token?.a) {
      const state = await this.waitForReport(runId, query);
      if (!state.done) return { rows: [], nextPageToken: encodeToken({ v: 1, k: key, r: state.runId }) };
      runId = state.runId;
    }
    const run = this.session.reportRun(runId);
    const cursor = await this.graph('read report results', () => run.getInsights(INSIGHT_FIELDS, { limit, ...after }));
    return this.toPage(cursor, key, runId);
  }

  private async startReport(query: Record<string, unknown>): Promise<string> {
    const run = await this.graph('start insights report', () => this.session.account(this.actId).getInsightsAsync(INSIGHT_FIELDS, { ...query }));
    if (!run.id) throw new TransientError(`meta ${this.actId}: the insights report started without a report_run_id`, 'meta');
    return String(run.id);
  }

  /** Polls a report run for up to asyncWaitMs; a failed or skipped run is started again once. */
  private async waitForReport(runId: string, query: Record<string, unknown>): Promise<{ runId: string; done: boolean }> {
    const interval = this.opts.asyncPollIntervalMs ?? 2_000;
    const deadline = Date.now() + (this.opts.asyncWaitMs ?? 10_000);
    let restarted = false;
    for (;;) {
      const run = this.session.reportRun(runId);
      const s = (await this.graph('check insights report', () => run.get(['id', 'async_status', 'async_percent_completion']))).exportAllData();
      const status = String(s.async_status ?? '');
      const percent = Number(s.async_percent_completion ?? 100);
      if (status === 'Job Completed' && percent >= 100) return { runId, done: true };
      if (status === 'Job Failed' || status === 'Job Skipped') {
        if (restarted) throw new TransientError(`meta ${this.actId}: insights report ${runId} ended "${status}" twice`, 'meta');
        restarted = true;
        runId = await this.startReport(query);
        continue;
      }
      if (Date.now() + interval > deadline) return { runId, done: false };
      await sleep(interval);
    }
  }

  private toPage(cursor: SdkCursor, key: string, runId?: string): MetricsPage {
    let rows: MetricRow[];
    try {
      rows = cursor.map((o) => this.toRow(o.exportAllData() as InsightRow));
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      throw new TransientError(`meta ${this.actId}: unreadable insights row (${(e as Error).message})`, 'meta');
    }
    const next = cursor.paging?.next;
    const after = cursor.paging?.cursors?.after;
    if (!next || rows.length === 0) return { rows };
    if (!after) throw new TransientError(`meta ${this.actId}: insights page has a next page but no cursor`, 'meta');
    return { rows, nextPageToken: encodeToken({ v: 1, k: key, ...(runId ? { r: runId } : {}), a: after }) };
  }

  private toRow(r: InsightRow): MetricRow {
    if (!r.campaign_id || !r.date_start) throw new TransientError(`meta ${this.actId}: insights row without campaign_id or date_start`, 'meta');
    return {
      campaignExternalId: String(r.campaign_id),
      date: r.date_start,
      impressions: count(r.impressions),
      clicks: count(r.clicks),
      spend: decimal(r.spend ?? '0'),
      conversions: pickAction(r.actions, this.conversionTypes),
      conversionValue: pickAction(r.action_values, this.revenueTypes),
    };
  }
}

function count(v: string | undefined): number {
  const n = Number(v ?? '0');
  if (!Number.isSafeInteger(n) || n < 0) throw new TransientError(`meta: "${v}" is not a count`, 'meta');
  return n;
}

function decimal(v: string): string {
  parseMoney(v); // a decimal amount, or AppError
  return v.trim();
}

function safeInt(minor: string): number {
  const n = Number(minor);
  if (!Number.isSafeInteger(n)) throw new ValidationError(`meta: amount ${minor} (minor units) is too large`, 'meta');
  return n;
}

function scopeKey(ids: string[] | 'all', range: DateRange): string {
  const scope = JSON.stringify([range.from, range.to, ids === 'all' ? 'all' : [...ids].sort()]);
  return createHash('sha256').update(scope).digest('base64url').slice(0, 16);
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(text: string, key: string): PageToken {
  let t: PageToken;
  try {
    t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
  } catch {
    throw new ValidationError('meta: unreadable page token', 'meta');
  }
  if (t?.v !== 1 || t.k !== key) throw new ValidationError('meta: the page token belongs to another range or campaign set', 'meta');
  return t;
}
