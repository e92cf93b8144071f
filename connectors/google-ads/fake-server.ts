// A loopback fake of the Google Ads REST API (v24) and Google's OAuth token endpoint, for testing MBO's real
// client code over real HTTP. It keeps state (customers, campaigns, budgets, daily metrics), answers GAQL through
// googleAds:search (fixed pages — 10,000 rows like Google, fewer via `pageRows` — with page tokens bound to the
// query) and googleAds:searchStream (an array of batches), applies campaignBudgets:mutate and campaigns:mutate
// (update masks, partialFailure, validateOnly, the bidding-scheme oneof), and requires what Google requires:
// a valid bearer token, the developer-token header, and login-customer-id for accounts reached through a manager.
// Errors use Google's envelope: google.rpc.Status with a GoogleAdsFailure in details (errors/errors.proto).
// Fault knobs: expired tokens, failing refresh, RESOURCE_EXHAUSTED with retryDelay, 5xx, hangs, failed operations.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GaqlError, compare, jsonPath, matches, parseGaql, setPath, type GaqlQuery } from './fake-gaql.js';
import type { GoogleAdsError } from './wire.js';

export type FakeBidding =
  | { type: 'MANUAL_CPC' }
  | { type: 'TARGET_CPA'; targetCpaMicros: bigint }
  | { type: 'MAXIMIZE_CONVERSIONS'; targetCpaMicros?: bigint }
  | { type: 'TARGET_ROAS'; targetRoas: number }
  | { type: 'MAXIMIZE_CONVERSION_VALUE'; targetRoas?: number };

export interface FakeCampaign {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED' | 'REMOVED';
  budgetId: string;
  bidding: FakeBidding;
  /** Resource name of a portfolio bidding strategy, when the campaign uses one. */
  portfolio?: string;
}

export interface FakeBudget {
  id: string;
  amountMicros: bigint;
  explicitlyShared: boolean;
}

export interface FakeMetricDay {
  campaignId: string;
  date: string;
  costMicros: bigint;
  impressions: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
}

export interface FakeCustomer {
  id: string;
  descriptiveName: string;
  currencyCode: string;
  timeZone: string;
  manager?: boolean;
  /** Reached through this manager: calls must carry login-customer-id = managedBy. */
  managedBy?: string;
  campaigns: FakeCampaign[];
  budgets: FakeBudget[];
  metrics: FakeMetricDay[];
}

export interface FakeGoogleAdsOptions {
  customers: FakeCustomer[];
  developerToken?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Access tokens valid from the start. */
  accessTokens?: string[];
  /** Rows per search page / searchStream batch (Google: 10,000). */
  pageRows?: number;
  apiVersion?: string;
}

export interface FakeCall {
  path: string;
  customerId?: string;
  method: string;
  developerToken: boolean;
  loginCustomerId?: string;
  body: unknown;
}

type OpError = { code: Record<string, string>; message: string };
type Ctx = { customer: FakeCustomer; campaign?: FakeCampaign; budget?: FakeBudget; day?: Omit<FakeMetricDay, 'campaignId' | 'date'> & { date?: string } };

const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: [
    'UNAUTHENTICATED',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  ],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  500: ['INTERNAL', 'Internal error encountered.'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
};

/** Smallest budget step per currency (micros): most currencies have cents; JPY, KRW and others have none. */
const NO_MINOR_UNIT = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'HUF', 'TWD', 'VND']);

export class FakeGoogleAds {
  readonly calls: FakeCall[] = [];
  /** How many access tokens the token endpoint has issued. */
  refreshes = 0;
  private readonly customers = new Map<string, FakeCustomer>();
  private readonly valid = new Set<string>();
  private readonly expired = new Set<string>();
  private readonly developerToken: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private refreshToken: string;
  private readonly pageRows: number;
  private readonly version: string;
  private refreshFailure?: { status: number; error: string; description: string };
  private rateLimits: { times: number; retryDelay?: string } = { times: 0 };
  private serverErrors: { times: number; status: number } = { times: 0, status: 500 };
  private hangs = 0;
  private rejectingTokens = false;
  private opFailure?: (resourceName: string) => OpError | undefined;
  private requestSeq = 0;

  private constructor(
    private readonly server: Server,
    opts: FakeGoogleAdsOptions,
  ) {
    for (const c of opts.customers) this.customers.set(c.id, c);
    this.developerToken = opts.developerToken ?? 'dev-token-fake';
    this.clientId = opts.clientId ?? 'client-id.apps.googleusercontent.com';
    this.clientSecret = opts.clientSecret ?? 'client-secret';
    this.refreshToken = opts.refreshToken ?? '1//refresh-token';
    for (const t of opts.accessTokens ?? []) this.valid.add(t);
    this.pageRows = opts.pageRows ?? 10_000;
    this.version = opts.apiVersion ?? 'v24';
  }

  static async start(opts: FakeGoogleAdsOptions): Promise<FakeGoogleAds> {
    const server = createServer();
    const fake = new FakeGoogleAds(server, opts);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  customer(id: string): FakeCustomer {
    return this.customers.get(id)!;
  }

  // ---- fault knobs -------------------------------------------------------------------------------------------

  /** Every access token issued so far expires (401 authenticationError=OAUTH_TOKEN_EXPIRED). */
  expireAccessTokens(): void {
    for (const t of this.valid) this.expired.add(t);
    this.valid.clear();
  }

  /** Google refuses every access token, fresh ones included (401 OAUTH_TOKEN_INVALID), e.g. access was withdrawn. */
  rejectAllTokens(): void {
    this.rejectingTokens = true;
  }

  /** The token endpoint refuses refreshes, as Google does for a revoked refresh token. */
  failRefresh(error = 'invalid_grant', description = 'Token has been expired or revoked.', status = 400): void {
    this.refreshFailure = { status, error, description };
  }

  /** The next `times` API calls get 429 RESOURCE_EXHAUSTED, with quotaErrorDetails.retryDelay when given. */
  rateLimit(times: number, retryDelay?: string): void {
    this.rateLimits = { times, retryDelay };
  }

  serverError(times: number, status = 500): void {
    this.serverErrors = { times, status };
  }

  /** The next `times` API calls never answer. */
  hang(times: number): void {
    this.hangs = times;
  }

  /** Mutate operations on matching resources fail with this error (a policy or budget error Google would give). */
  failOperations(fn: (resourceName: string) => OpError | undefined): void {
    this.opFailure = fn;
  }

  // ---- HTTP --------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/token') return this.token(raw, res);
    const route = new RegExp(`^/${this.version}/customers/(\\d+)/(googleAds:search|googleAds:searchStream|campaignBudgets:mutate|campaigns:mutate)$`).exec(
      url.pathname,
    );
    const stream = route?.[2] === 'googleAds:searchStream';
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return this.fail(res, 400, [], stream, 'Invalid JSON payload received.');
    }
    const header = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string) : undefined);
    this.calls.push({
      path: url.pathname,
      customerId: route?.[1],
      method: req.method ?? '',
      developerToken: !!header('developer-token'),
      loginCustomerId: header('login-customer-id'),
      body,
    });
    if (this.hangs > 0) {
      this.hangs--;
      return; // never answers; close() ends the socket
    }
    if (req.method !== 'POST' || !route) return this.fail(res, 404, [], false, `The requested URL ${url.pathname} was not found on this server.`);
    if (this.serverErrors.times > 0) {
      this.serverErrors.times--;
      const s = this.serverErrors.status;
      return this.fail(res, s, s === 500 ? [err('internalError', 'INTERNAL_ERROR', 'An internal error has occurred.')] : [], stream);
    }
    // Authentication: Google's front end refuses a missing or unknown token without a GoogleAdsFailure.
    const token = /^Bearer (.+)$/.exec(header('authorization') ?? '')?.[1];
    if (!token || (!this.valid.has(token) && !this.expired.has(token))) return this.fail(res, 401, [], stream);
    if (this.rejectingTokens)
      return this.fail(res, 401, [err('authenticationError', 'OAUTH_TOKEN_INVALID', 'OAuth token in the header is not valid.')], stream);
    if (this.expired.has(token))
      return this.fail(res, 401, [err('authenticationError', 'OAUTH_TOKEN_EXPIRED', 'OAuth token in the header has expired.')], stream);
    const dev = header('developer-token');
    if (!dev) return this.fail(res, 400, [err('requestError', 'DEVELOPER_TOKEN_PARAMETER_MISSING', 'Developer token is missing.')], stream);
    if (dev !== this.developerToken)
      return this.fail(res, 401, [err('authenticationError', 'DEVELOPER_TOKEN_INVALID', 'The developer token is not valid.')], stream);
    const customer = this.customers.get(route[1]!);
    if (!customer) return this.fail(res, 400, [err('authenticationError', 'CUSTOMER_NOT_FOUND', 'No customer found for the provided customer id.')], stream);
    const login = header('login-customer-id');
    if (login !== undefined && !/^\d+$/.test(login))
      return this.fail(res, 400, [err('headerError', 'INVALID_LOGIN_CUSTOMER_ID', 'The login customer ID could not be validated.')], stream);
    if ((customer.managedBy ?? customer.id) !== (login ?? customer.id)) {
      return this.fail(
        res,
        403,
        [
          err(
            'authorizationError',
            'USER_PERMISSION_DENIED',
            "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
          ),
        ],
        stream,
      );
    }
    if (this.rateLimits.times > 0) {
      this.rateLimits.times--;
      const e = err('quotaError', 'RESOURCE_EXHAUSTED', 'Too many requests. Retry in the time given in retryDelay.');
      if (this.rateLimits.retryDelay)
        e.details = {
          quotaErrorDetails: { rateScope: 'DEVELOPER', rateName: 'Number of operations for basic access', retryDelay: this.rateLimits.retryDelay },
        };
      return this.fail(res, 429, [e], stream);
    }
    try {
      switch (route[2]) {
        case 'googleAds:search':
          return send(res, 200, this.search(customer, body as { query?: string; pageToken?: string; pageSize?: number }));
        case 'googleAds:searchStream':
          return send(res, 200, this.searchStream(customer, body as { query?: string }));
        case 'campaignBudgets:mutate':
          return this.mutate(res, body as MutateBody, (op) => this.budgetOp(customer, op));
        default:
          return this.mutate(res, body as MutateBody, (op) => this.campaignOp(customer, op));
      }
    } catch (e) {
      if (e instanceof GaqlError) return this.fail(res, 400, [err('queryError', e.code, e.message)], stream);
      if (e instanceof RequestFailure) return this.fail(res, 400, [e.error], stream);
      throw e;
    }
  }

  private token(raw: string, res: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (this.refreshFailure)
      return send(res, this.refreshFailure.status, { error: this.refreshFailure.error, error_description: this.refreshFailure.description });
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return send(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== this.refreshToken)
      return send(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
    const accessToken = `ya29.fake-${++this.refreshes}`;
    this.valid.add(accessToken);
    send(res, 200, { access_token: accessToken, expires_in: 3599, scope: 'https://www.googleapis.com/auth/adwords', token_type: 'Bearer' });
  }

  private fail(res: ServerResponse, status: number, errors: GoogleAdsError[], stream: boolean, message?: string): void {
    const [code, text] = STATUS_TEXT[status] ?? ['UNKNOWN', 'Unknown error.'];
    const error = {
      code: status,
      message: message ?? text,
      status: code,
      ...(errors.length ? { details: [{ '@type': this.failureType(), errors, requestId: this.nextRequestId() }] } : {}),
    };
    send(res, status, stream ? [{ error }] : { error });
  }

  private failureType(): string {
    return `type.googleapis.com/google.ads.googleads.${this.version}.errors.GoogleAdsFailure`;
  }

  private nextRequestId(): string {
    return `fake-req-${++this.requestSeq}`;
  }

  // ---- GAQL --------------------------------------------------------------------------------------------------

  private search(customer: FakeCustomer, body: { query?: string; pageToken?: string; pageSize?: number }) {
    if (body.pageSize !== undefined) throw new RequestFailure(err('requestError', 'PAGE_SIZE_NOT_SUPPORTED', 'Setting the page size is not supported.'));
    const { rows, fieldMask } = this.run(customer, body.query ?? '');
    let offset = 0;
    if (body.pageToken) {
      const t = decodeToken(body.pageToken);
      if (!t || t.q !== body.query) throw new RequestFailure(err('requestError', 'INVALID_PAGE_TOKEN', 'Page token is invalid.'));
      offset = t.o;
    }
    const page = rows.slice(offset, offset + this.pageRows);
    const next = offset + this.pageRows < rows.length ? encodeToken({ q: body.query ?? '', o: offset + this.pageRows }) : undefined;
    return { ...(page.length ? { results: page } : {}), ...(next ? { nextPageToken: next } : {}), fieldMask };
  }

  private searchStream(customer: FakeCustomer, body: { query?: string }) {
    const { rows, fieldMask } = this.run(customer, body.query ?? '');
    const batches = [];
    for (let i = 0; i < rows.length; i += this.pageRows)
      batches.push({ results: rows.slice(i, i + this.pageRows), fieldMask, requestId: this.nextRequestId() });
    return batches.length ? batches : [{ fieldMask, requestId: this.nextRequestId() }];
  }

  private run(customer: FakeCustomer, text: string): { rows: Record<string, unknown>[]; fieldMask: string } {
    const q = parseGaql(text);
    if (q.resource !== 'customer' && q.resource !== 'campaign')
      throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in FROM clause: invalid resource name '${q.resource}'.`);
    const used = [...q.fields, ...q.where.map((c) => c.field), ...q.orderBy.map((o) => o.field)];
    for (const f of used) {
      if (!FIELDS[f]) throw new GaqlError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${f}'.`);
      if (q.resource === 'customer' && !f.startsWith('customer.'))
        throw new GaqlError(
          'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE',
          `Cannot select or filter on '${f}' when the resource in the FROM clause is 'customer'.`,
        );
    }
    let ctxs = this.contexts(customer, q, used);
    ctxs = ctxs.filter((x) => q.where.every((c) => matches(FIELDS[c.field]!(x), c)));
    if (q.resource === 'campaign' && !q.fields.includes('segments.date') && used.some((f) => f.startsWith('metrics.'))) ctxs = aggregate(ctxs);
    for (const o of [...q.orderBy].reverse()) ctxs.sort((a, b) => compare(FIELDS[o.field]!(a), FIELDS[o.field]!(b)) * (o.desc ? -1 : 1));
    if (q.limit !== undefined) ctxs = ctxs.slice(0, q.limit);
    return { rows: ctxs.map((x) => project(x, q)), fieldMask: q.fields.map((f) => jsonPath(f).join('.')).join(',') };
  }

  private contexts(customer: FakeCustomer, q: GaqlQuery, used: string[]): Ctx[] {
    if (q.resource === 'customer') return [{ customer }];
    const budgetOf = (c: FakeCampaign) => customer.budgets.find((b) => b.id === c.budgetId);
    if (!used.some((f) => f.startsWith('segments.') || f.startsWith('metrics.')))
      return customer.campaigns.map((c) => ({ customer, campaign: c, budget: budgetOf(c) }));
    return customer.metrics.flatMap((m) => {
      const campaign = customer.campaigns.find((c) => c.id === m.campaignId);
      return campaign ? [{ customer, campaign, budget: budgetOf(campaign), day: m }] : [];
    });
  }

  // ---- mutations ---------------------------------------------------------------------------------------------

  private mutate(res: ServerResponse, body: MutateBody, plan: (op: MutateOp) => (() => void) | OpError): void {
    const ops = Array.isArray(body.operations) ? body.operations : [];
    if (ops.length === 0) return this.fail(res, 400, [err('requestError', 'OPERATION_REQUIRED', 'At least one operation is required.')], false);
    const planned = ops.map((op) => (op.update?.resourceName ? this.opFailure?.(op.update.resourceName) : undefined) ?? plan(op));
    const errors: GoogleAdsError[] = planned.flatMap((p, i) =>
      typeof p === 'function'
        ? []
        : [{ errorCode: p.code, message: p.message, location: { fieldPathElements: [{ fieldName: 'operations', index: i }, { fieldName: 'update' }] } }],
    );
    // Without partial failure (and for validate-only), one bad operation fails the whole request and nothing applies.
    if (errors.length && (!body.partialFailure || body.validateOnly)) return this.fail(res, 400, errors, false);
    if (body.validateOnly) return send(res, 200, {});
    const results = planned.map((p, i) => {
      if (typeof p !== 'function') return {};
      p();
      return { resourceName: ops[i]!.update!.resourceName };
    });
    const partialFailureError = errors.length
      ? { code: 3, message: errors.map((e) => e.message).join(', '), details: [{ '@type': this.failureType(), errors, requestId: this.nextRequestId() }] }
      : undefined;
    send(res, 200, { results, ...(partialFailureError ? { partialFailureError } : {}) });
  }

  private budgetOp(customer: FakeCustomer, op: MutateOp): (() => void) | OpError {
    const target = this.target(customer, op, 'campaignBudgets', ['amountMicros']);
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

  private campaignOp(customer: FakeCustomer, op: MutateOp): (() => void) | OpError {
    const paths = ['status', 'targetCpa.targetCpaMicros', 'maximizeConversions.targetCpaMicros', 'targetRoas.targetRoas', 'maximizeConversionValue.targetRoas'];
    const target = this.target(customer, op, 'campaigns', paths);
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
            (campaign.bidding =
              scheme === 'targetRoas' ? { type: 'TARGET_ROAS', targetRoas: value } : { type: 'MAXIMIZE_CONVERSION_VALUE', targetRoas: value }),
        );
      }
    }
    return () => changes.forEach((c) => c());
  }

  /** Checks an update operation's resource name and mask; returns the resource id and the masked paths. */
  private target(customer: FakeCustomer, op: MutateOp, collection: string, allowed: string[]): { id: string; paths: string[] } | OpError {
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
}

type MutateOp = { update?: { resourceName?: string; [k: string]: unknown }; updateMask?: string };
type MutateBody = { operations?: MutateOp[]; partialFailure?: boolean; validateOnly?: boolean };

class RequestFailure extends Error {
  constructor(readonly error: GoogleAdsError) {
    super(error.message);
  }
}

function err(group: string, value: string, message: string): GoogleAdsError {
  return { errorCode: { [group]: value }, message };
}

function opErr(group: string, value: string, message: string): OpError {
  return { code: { [group]: value }, message };
}

/** GAQL field → its REST JSON value for a row context (undefined = not set, omitted like proto3 JSON does). */
const FIELDS: Record<string, (x: Ctx) => unknown> = {
  'customer.id': (x) => x.customer.id,
  'customer.descriptive_name': (x) => x.customer.descriptiveName,
  'customer.currency_code': (x) => x.customer.currencyCode,
  'customer.time_zone': (x) => x.customer.timeZone,
  'customer.manager': (x) => x.customer.manager ?? false,
  'campaign.id': (x) => x.campaign?.id,
  'campaign.name': (x) => x.campaign?.name,
  'campaign.status': (x) => x.campaign?.status,
  'campaign.bidding_strategy_type': (x) => x.campaign?.bidding.type,
  'campaign.bidding_strategy': (x) => x.campaign?.portfolio,
  'campaign.campaign_budget': (x) => x.campaign && `customers/${x.customer.id}/campaignBudgets/${x.campaign.budgetId}`,
  'campaign.target_cpa.target_cpa_micros': (x) => (x.campaign?.bidding.type === 'TARGET_CPA' ? String(x.campaign.bidding.targetCpaMicros) : undefined),
  'campaign.maximize_conversions.target_cpa_micros': (x) =>
    x.campaign?.bidding.type === 'MAXIMIZE_CONVERSIONS' && x.campaign.bidding.targetCpaMicros !== undefined
      ? String(x.campaign.bidding.targetCpaMicros)
      : undefined,
  'campaign.target_roas.target_roas': (x) => (x.campaign?.bidding.type === 'TARGET_ROAS' ? x.campaign.bidding.targetRoas : undefined),
  'campaign.maximize_conversion_value.target_roas': (x) =>
    x.campaign?.bidding.type === 'MAXIMIZE_CONVERSION_VALUE' ? x.campaign.bidding.targetRoas : undefined,
  'campaign_budget.id': (x) => x.budget?.id,
  'campaign_budget.amount_micros': (x) => x.budget && String(x.budget.amountMicros),
  'campaign_budget.explicitly_shared': (x) => x.budget?.explicitlyShared,
  'campaign_budget.reference_count': (x) =>
    x.budget && String(x.customer.campaigns.filter((c) => c.budgetId === x.budget!.id && c.status !== 'REMOVED').length),
  'campaign_budget.period': (x) => x.budget && 'DAILY',
  'segments.date': (x) => x.day?.date,
  'metrics.cost_micros': (x) => x.day && String(x.day.costMicros),
  'metrics.impressions': (x) => x.day && String(x.day.impressions),
  'metrics.clicks': (x) => x.day && String(x.day.clicks),
  'metrics.conversions': (x) => x.day?.conversions,
  'metrics.conversions_value': (x) => x.day?.conversionsValue,
};

const RESOURCE_NAME: Record<string, (x: Ctx) => string | undefined> = {
  customer: (x) => `customers/${x.customer.id}`,
  campaign: (x) => x.campaign && `customers/${x.customer.id}/campaigns/${x.campaign.id}`,
  campaign_budget: (x) => x.budget && `customers/${x.customer.id}/campaignBudgets/${x.budget.id}`,
};

/** A row as Google returns it: the selected fields plus each selected resource's resourceName. */
function project(x: Ctx, q: GaqlQuery): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of q.fields) {
    const resource = f.slice(0, f.indexOf('.'));
    const name = RESOURCE_NAME[resource]?.(x);
    if (name) setPath(row, [...jsonPath(resource), 'resourceName'], name);
    const v = FIELDS[f]!(x);
    if (v !== undefined) setPath(row, jsonPath(f), v);
  }
  return row;
}

/** Metrics without segments.date: one row per campaign, summed over the days the WHERE clause kept. */
function aggregate(ctxs: Ctx[]): Ctx[] {
  const by = new Map<string, Ctx>();
  for (const x of ctxs) {
    const key = x.campaign!.id;
    const acc = by.get(key);
    const d = x.day!;
    if (!acc)
      by.set(key, {
        ...x,
        day: { costMicros: d.costMicros, impressions: d.impressions, clicks: d.clicks, conversions: d.conversions, conversionsValue: d.conversionsValue },
      });
    else {
      const a = acc.day!;
      acc.day = {
        costMicros: a.costMicros + d.costMicros,
        impressions: a.impressions + d.impressions,
        clicks: a.clicks + d.clicks,
        conversions: a.conversions + d.conversions,
        conversionsValue: a.conversionsValue + d.conversionsValue,
      };
    }
  }
  return [...by.values()];
}

function encodeToken(t: { q: string; o: number }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): { q: string; o: number } | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as { q?: unknown; o?: unknown };
    return typeof t.q === 'string' && typeof t.o === 'number' ? { q: t.q, o: t.o } : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The GAQL fields the fake knows (schema.test.ts checks them against Google's protos). */
export const FAKE_GAQL_FIELDS: readonly string[] = Object.keys(FIELDS);
