// TikTok answers failures inside HTTP 200 with a numeric `code` in the envelope. This maps the documented return
// codes (Marketing API "Return codes" appendix and "Rate limits", portal/docs?id=1740029171730433) to our kinds:
//   0                                   OK
//   40100, 40016, 40102, 40133          rate limited (QPS/QPM/QPD, "requests made too frequently")
//   40104, 40105                        access token empty / invalid, expired or revoked → refresh once, then AuthError
//   40001                               no permission for this advertiser (or it was deleted) → AuthError, no refresh
//   40000, 40002, 40006                 bad parameters / object not usable → ValidationError
//   50000, 50002, 51001, 51021, 60001   TikTok-side error, timeout, maintenance → TransientError
// Any other 4xxxx is treated as a request we got wrong (ValidationError), anything else as transient.

export type TikTokErrorKind = 'ok' | 'rate_limit' | 'token' | 'permission' | 'validation' | 'transient';

export const RATE_LIMIT_CODES: readonly number[] = [40100, 40016, 40102, 40133];
export const TOKEN_CODES: readonly number[] = [40104, 40105];
export const PERMISSION_CODES: readonly number[] = [40001];
export const VALIDATION_CODES: readonly number[] = [40000, 40002, 40006];
export const TRANSIENT_CODES: readonly number[] = [50000, 50002, 51001, 51021, 60001];

export function classifyTikTokCode(code: number): TikTokErrorKind {
  if (code === 0) return 'ok';
  if (RATE_LIMIT_CODES.includes(code)) return 'rate_limit';
  if (TOKEN_CODES.includes(code)) return 'token';
  if (PERMISSION_CODES.includes(code)) return 'permission';
  if (VALIDATION_CODES.includes(code)) return 'validation';
  if (TRANSIENT_CODES.includes(code)) return 'transient';
  return code >= 40000 && code < 50000 ? 'validation' : 'transient';
}
