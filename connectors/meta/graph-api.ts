// The Meta Graph API session MBO talks through: facebook-nodejs-business-sdk (24.x) with its transport scoped to
// one connector instance. The SDK keeps its host in a static getter (FacebookAdsApi.GRAPH) and its version in
// another (FacebookAdsApi.VERSION); patching those would point every Meta connector in the process at the same
// place. Instead this subclass overrides `call` — the one method every SDK object (AdAccount, Campaign, AdSet,
// AdReportRun, the paging Cursor) sends its requests through — and builds the URL itself from this instance's
// base URL and GRAPH_API_VERSION, adding the token and appsecret_proof, and bounding the wait with a timeout.
//
// What stays global in the SDK, and why that is harmless here:
// - FacebookAdsApi.GRAPH / VERSION: read only by the SDK's own URL building, which we bypass (we hand `call` a
//   full URL, which it uses as is), by `Http.requestPromise`'s axios `baseURL` (ignored for absolute URLs) and by
//   the crash reporter (off, below).
// - The crash reporter: `new FacebookAdsApi(token, locale, true)` (and `FacebookAdsApi.init`) install a
//   process-wide uncaughtException handler that posts crash reports to graph.facebook.com. We pass `false`.
// - The default API (`FacebookAdsApi.init` / `setDefaultApi`): process-wide, so two accounts would share a token.
//   We never set it; every SDK object is built with this instance. AdReportRun's constructor drops its `api`
//   argument (it calls `super()` with nothing), so `reportRun()` binds the instance by hand.
// - axios: the SDK uses axios' shared default instance with no per-request timeout or abort signal, so the
//   timeout here stops *waiting* and the request is left to finish in the background, its answer ignored.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

/** The Graph API version MBO speaks, in one place (the SDK 24.0.x is built for it). */
export const GRAPH_API_VERSION = 'v24.0';
export const GRAPH_BASE_URL = 'https://graph.facebook.com';

// --- The SDK's surface that MBO uses (the package ships no TypeScript types). ---

export interface GraphPaging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}

/** The SDK's paging Cursor: an Array of the page's objects plus the Graph `paging` block. */
export interface SdkCursor<T = SdkObject> extends Array<T> {
  paging?: GraphPaging;
  hasNext(): boolean;
  next(): Promise<SdkCursor<T>>;
}

export interface SdkObject {
  id?: string;
  /** The object's fields as the API returned them. */
  exportAllData(): Record<string, unknown>;
}

export interface SdkAdAccount extends SdkObject {
  get(fields: string[], params?: Record<string, unknown>): Promise<SdkAdAccount>;
  getCampaigns(fields: string[], params?: Record<string, unknown>): Promise<SdkCursor>;
  getAdSets(fields: string[], params?: Record<string, unknown>): Promise<SdkCursor>;
  getInsights(fields: string[], params?: Record<string, unknown>): Promise<SdkCursor>;
  /** POST /act_X/insights: starts an async report run; the returned object's id is the report_run_id. */
  getInsightsAsync(fields: string[], params?: Record<string, unknown>): Promise<SdkObject>;
}

export interface SdkCampaign extends SdkObject {
  get(fields: string[], params?: Record<string, unknown>): Promise<SdkCampaign>;
  getAdSets(fields: string[], params?: Record<string, unknown>): Promise<SdkCursor>;
  /** The SDK ignores `fields`: the changes go in `params` (POST /{id}). */
  update(fields: string[], params: Record<string, unknown>): Promise<unknown>;
}

export interface SdkAdSet extends SdkObject {
  update(fields: string[], params: Record<string, unknown>): Promise<unknown>;
}

export interface SdkAdReportRun extends SdkObject {
  get(fields: string[], params?: Record<string, unknown>): Promise<SdkAdReportRun>;
  getInsights(fields: string[], params?: Record<string, unknown>): Promise<SdkCursor>;
}

interface SdkApiInstance {
  accessToken: string;
  call(method: string, path: string | string[], params?: Record<string, unknown>, files?: object, multipart?: boolean, urlOverride?: string): Promise<unknown>;
}

type Ctor<T> = new (id: string | null, data?: Record<string, unknown>, parentId?: string, api?: SdkApiInstance) => T;

interface SdkModule {
  FacebookAdsApi: (new (accessToken: string, locale?: string, crashLog?: boolean) => SdkApiInstance) & { _encodeParams(params: object): string };
  AdAccount: Ctor<SdkAdAccount>;
  Campaign: Ctor<SdkCampaign>;
  AdSet: Ctor<SdkAdSet>;
  AdReportRun: Ctor<SdkAdReportRun>;
}

// Loaded on first use: the SDK is a 72k-line bundle and only Meta accounts need it.
let loaded: SdkModule | undefined;
function sdk(): SdkModule {
  loaded ??= createRequire(import.meta.url)('facebook-nodejs-business-sdk') as SdkModule;
  return loaded;
}

/** Raised when a call outlives `timeoutMs`; the connector maps it to TransientError. */
export class GraphTimeoutError extends Error {
  override readonly name = 'GraphTimeoutError';
}

/** Raised for a paging URL that points away from this session's host (the token would leave with it). */
export class ForeignUrlError extends Error {
  override readonly name = 'ForeignUrlError';
}

export interface GraphSessionOptions {
  accessToken: string;
  appSecret?: string;
  baseUrl?: string;
  timeoutMs: number;
}

/** appsecret_proof: HMAC-SHA256 of the access token keyed with the app secret, hex (Graph API "Securing Requests"). */
export function appSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

/** One Graph session: the SDK objects of one ad account, all bound to this instance's transport. */
export class GraphSession {
  readonly api: SdkApiInstance;
  readonly baseUrl: string;

  constructor(opts: GraphSessionOptions) {
    const { FacebookAdsApi } = sdk();
    const baseUrl = (opts.baseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, '');
    this.baseUrl = baseUrl;
    const proof = opts.appSecret ? appSecretProof(opts.accessToken, opts.appSecret) : undefined;
    const encode = (p: object) => FacebookAdsApi._encodeParams(p);

    class ScopedApi extends FacebookAdsApi {
      override call(method: string, path: string | string[], params: Record<string, unknown> = {}, files: object = {}, multipart = false): Promise<unknown> {
        let url: string;
        let body: Record<string, unknown> = {};
        if (typeof path === 'string' || (path as unknown) instanceof String) {
          // A paging URL from the API (Cursor.next): same host only; it carries the token, add the proof.
          const u = new URL(String(path));
          if (u.origin !== new URL(baseUrl).origin) return Promise.reject(new ForeignUrlError('paging URL on another host'));
          if (proof && !u.searchParams.has('appsecret_proof')) u.searchParams.set('appsecret_proof', proof);
          url = u.toString();
        } else {
          const auth: Record<string, unknown> = { access_token: this.accessToken, ...(proof ? { appsecret_proof: proof } : {}) };
          const write = method === 'POST' || method === 'PUT';
          const query = write ? auth : { ...params, ...auth };
          if (write) body = params;
          url = `${baseUrl}/${GRAPH_API_VERSION}/${path.join('/')}?${encode(query)}`;
        }
        const pending = super.call(method, url, body, files, multipart);
        return withTimeout(pending, opts.timeoutMs);
      }
    }
    // `false`: no process-wide crash reporter (see the header).
    this.api = new ScopedApi(opts.accessToken, 'en_US', false);
  }

  account(actId: string): SdkAdAccount {
    return new (sdk().AdAccount)(actId, {}, undefined, this.api);
  }

  campaign(id: string): SdkCampaign {
    return new (sdk().Campaign)(id, {}, undefined, this.api);
  }

  adSet(id: string): SdkAdSet {
    return new (sdk().AdSet)(id, {}, undefined, this.api);
  }

  /** An AdReportRun bound to this session (its SDK constructor would fall back to the process-wide default API). */
  reportRun(reportRunId: string): SdkAdReportRun {
    const run = new (sdk().AdReportRun)(null, { report_run_id: reportRunId });
    (run as unknown as { _api: SdkApiInstance })._api = this.api;
    return run;
  }
}

function withTimeout<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GraphTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  pending.catch(() => undefined); // a late failure after the timeout must not become an unhandled rejection
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}
