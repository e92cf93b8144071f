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
import { type FakeCustomer, runQuery } from './fake-accounts.js';
import { GaqlError } from './fake-gaql.js';
import { budgetUpdate, campaignUpdate, type MutateBody, type MutateOp, type OpError } from './fake-mutations.js';
import type { GoogleAdsError } from './wire.js';

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
  private tokenEpoch = 0;
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

  /** Page tokens issued so far expire (Google's cached result sets do not live forever): EXPIRED_PAGE_TOKEN. */
  expirePageTokens(): void {
    this.tokenEpoch++;
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
          return this.mutate(res, body as MutateBody, (op) => budgetUpdate(customer, op));
        default:
          return this.mutate(res, body as MutateBody, (op) => campaignUpdate(customer, op));
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
    const { rows, fieldMask } = runQuery(customer, body.query ?? '');
    let offset = 0;
    if (body.pageToken) {
      const t = decodeToken(body.pageToken);
      if (!t || t.q !== body.query) throw new RequestFailure(err('requestError', 'INVALID_PAGE_TOKEN', 'Page token is invalid.'));
      if (t.e !== this.tokenEpoch) throw new RequestFailure(err('requestError', 'EXPIRED_PAGE_TOKEN', 'Page token has expired.'));
      offset = t.o;
    }
    const page = rows.slice(offset, offset + this.pageRows);
    const next = offset + this.pageRows < rows.length ? encodeToken({ q: body.query ?? '', o: offset + this.pageRows, e: this.tokenEpoch }) : undefined;
    return { ...(page.length ? { results: page } : {}), ...(next ? { nextPageToken: next } : {}), fieldMask };
  }

  private searchStream(customer: FakeCustomer, body: { query?: string }) {
    const { rows, fieldMask } = runQuery(customer, body.query ?? '');
    const batches = [];
    for (let i = 0; i < rows.length; i += this.pageRows)
      batches.push({ results: rows.slice(i, i + this.pageRows), fieldMask, requestId: this.nextRequestId() });
    return batches.length ? batches : [{ fieldMask, requestId: this.nextRequestId() }];
  }

  // ---- mutations (checks in fake-mutations.ts) ---------------------------------------------------------------------------------------------

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
}

class RequestFailure extends Error {
  constructor(readonly error: GoogleAdsError) {
    super(error.message);
  }
}

function err(group: string, value: string, message: string): GoogleAdsError {
  return { errorCode: { [group]: value }, message };
}

/** A page token: the query it belongs to, the offset, and the epoch it was issued in (see expirePageTokens). */
type PageToken = { q: string; o: number; e: number };

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): PageToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as { q?: unknown; o?: unknown; e?: unknown };
    return typeof t.q === 'string' && typeof t.o === 'number' && typeof t.e === 'number' ? { q: t.q, o: t.o, e: t.e } : undefined;
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

export type { FakeBidding, FakeBudget, FakeCampaign, FakeCustomer, FakeMetricDay } from './fake-accounts.js';
