// The Google Ads REST wire format MBO speaks (v24, the version of the installed google-ads-api / google-ads-node
// protos; `schema.test.ts` checks every field named here against those protos). REST JSON follows the proto3 JSON
// mapping: camelCase keys, int64 as decimal strings, doubles as numbers, enums as their names, FieldMask as
// comma-separated camelCase paths.
//   Search:        https://developers.google.com/google-ads/api/docs/rest/common/search (fixed pages of 10,000 rows,
//                  `pageToken` / `nextPageToken`; `pageSize` is rejected with PAGE_SIZE_NOT_SUPPORTED since v19)
//   SearchStream:  the same rows as a JSON array of batches
//   Mutate:        https://developers.google.com/google-ads/api/reference/rpc/v24/MutateCampaignBudgetsRequest
//                  (`partialFailure`, `validateOnly`; results[] has `{}` for a failed operation)
//   Errors:        google.rpc.Status with GoogleAdsFailure in details (errors/errors.proto)
import { AppError } from '../../core/errors.js';
import { formatMoney, parseMoney, toDecimalString, type Micros } from '../../core/money.js';

export const GOOGLE_ADS_API_VERSION = 'v24';
export const GOOGLE_ADS_BASE_URL = 'https://googleads.googleapis.com';
export const GOOGLE_OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** The fields of a GoogleAdsRow MBO selects; every one may be absent (proto3 omits unset fields). */
export interface GoogleAdsRow {
  customer?: { resourceName?: string; id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string; manager?: boolean };
  campaign?: {
    resourceName?: string;
    id?: string;
    name?: string;
    status?: CampaignStatus;
    biddingStrategyType?: string;
    /** Set when the campaign uses a portfolio bidding strategy (its targets live on that strategy). */
    biddingStrategy?: string;
    campaignBudget?: string;
    targetCpa?: { targetCpaMicros?: string };
    maximizeConversions?: { targetCpaMicros?: string };
    targetRoas?: { targetRoas?: number };
    maximizeConversionValue?: { targetRoas?: number };
  };
  campaignBudget?: { resourceName?: string; id?: string; amountMicros?: string; explicitlyShared?: boolean; referenceCount?: string; period?: string };
  segments?: { date?: string };
  metrics?: { costMicros?: string; impressions?: string; clicks?: string; conversions?: number; conversionsValue?: number };
}

export type CampaignStatus = 'UNSPECIFIED' | 'UNKNOWN' | 'ENABLED' | 'PAUSED' | 'REMOVED';

/** googleAds:search response. */
export interface SearchResponse {
  results?: GoogleAdsRow[];
  nextPageToken?: string;
  fieldMask?: string;
}

/** googleAds:searchStream response: an array of these batches. */
export interface SearchStreamBatch {
  results?: GoogleAdsRow[];
  fieldMask?: string;
  requestId?: string;
}

export interface MutateOperation<R> {
  update: R & { resourceName: string };
  /** Comma-separated camelCase field paths (the JSON form of google.protobuf.FieldMask). */
  updateMask: string;
}

export interface MutateRequest<R> {
  operations: MutateOperation<R>[];
  partialFailure?: boolean;
  validateOnly?: boolean;
}

export interface MutateResponse {
  /** One per operation; `{}` (no resourceName) where that operation failed in partial-failure mode. */
  results?: { resourceName?: string }[];
  partialFailureError?: RpcStatus;
}

/** google.rpc.Status as REST renders it; for searchStream the body is `[{ error: … }]`. */
export interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: (GoogleAdsFailure | { '@type'?: string; [k: string]: unknown })[];
}

export interface GoogleAdsFailure {
  '@type'?: string;
  errors?: GoogleAdsError[];
  requestId?: string;
}

export interface GoogleAdsError {
  /** A oneof: exactly one key such as `quotaError`, `authenticationError`, `campaignBudgetError`. */
  errorCode?: Record<string, string>;
  message?: string;
  location?: { fieldPathElements?: { fieldName?: string; index?: number }[] };
  details?: { quotaErrorDetails?: { rateScope?: string; rateName?: string; retryDelay?: string } };
}

export interface ErrorEnvelope {
  error?: RpcStatus;
}

/** OAuth 2.0 token endpoint answer (RFC 6749 §5.1 / §5.2). */
export interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  token_type?: string;
  error?: string;
  error_description?: string;
}

/** Customer ids travel as digits only ("123-456-7890" → "1234567890"). */
export function customerIdOnWire(id: string, label = 'customer id'): string {
  const digits = id.trim().replace(/-/g, '');
  if (!/^\d{1,20}$/.test(digits)) throw new AppError('VALIDATION', `${label} must be digits (dashes allowed), got "${id}"`);
  return digits;
}

/** int64 micros as JSON (a decimal string) → bigint; absent → 0. */
export function microsFromWire(v: string | undefined): Micros {
  if (v === undefined || v === '') return 0n;
  if (!/^-?\d+$/.test(v)) throw new AppError('VALIDATION', `not an int64 amount: "${v}"`);
  return BigInt(v);
}

/** Micros → the shortest exact decimal with at least two fraction digits ("12.5" → "12.50", "0.123456"). */
export function decimalFromMicros(m: Micros): string {
  const six = toDecimalString(m);
  return m % 10_000n === 0n ? formatMoney(m, 2) : six.replace(/0+$/, '');
}

/**
 * A JSON double (conversions, ROAS) → exact micros of the decimal Google wrote. JSON.parse keeps the shortest
 * round-trip form, so String(n) is that decimal unless it needs an exponent.
 */
export function microsFromDouble(n: number | undefined): Micros {
  if (n === undefined) return 0n;
  if (!Number.isFinite(n)) throw new AppError('VALIDATION', `not a finite number: ${n}`);
  const text = String(n);
  return parseMoney(/e/i.test(text) ? n.toFixed(6) : text);
}

/** A decimal amount → the micros a budget or CPA field carries on the wire (int64 as a string). */
export function microsToWire(m: Micros): string {
  return m.toString();
}
