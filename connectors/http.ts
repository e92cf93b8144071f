// The few HTTP helpers the hand-written platform clients (TikTok, LinkedIn) share: one fetch with a timeout
// (network errors and timeouts become TransientError, never a bare TypeError), JSON parsing that tolerates a
// proxy's HTML error page, Retry-After parsing and the exponential backoff used when a platform rate-limits
// without saying for how long. Nothing here logs, and no error message carries a header or a request body
// (they hold tokens and client secrets).
import { addDays, daysBetween, type DateRange } from '../core/dates.js';
import { formatMoney, parseMoney, type Micros } from '../core/money.js';
import { TransientError, ValidationError } from './errors.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** One HTTP call. Rejects only with TransientError (timeout, connection refused/reset); any HTTP status resolves. */
export async function httpRequest(url: string, init: RequestInit, opts: { timeoutMs?: number; platform: string; what: string }): Promise<HttpResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: parseJson(text) };
  } catch (e) {
    const err = e as Error;
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    throw new TransientError(
      timedOut ? `${opts.platform} ${opts.what}: no answer within ${timeoutMs} ms` : `${opts.platform} ${opts.what}: ${describeNetworkError(err)}`,
      opts.platform,
    );
  }
}

function describeNetworkError(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Our own backoff for rate limits that come without a delay: base · 2^(attempt−1), capped. Deterministic (no
 * jitter) so the caller's retry schedule is reproducible; `attempt` counts consecutive rate-limited calls from 1.
 */
export function backoffMs(attempt: number, baseMs = 1_000, capMs = 300_000): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 30));
}

/**
 * Consecutive rate-limited answers per key (`platform:account`), kept for the whole process: a connector is built
 * per activity attempt, so a count held by one instance would always restart at 1 s. A success clears the key;
 * 15 minutes without a rate limit forget it.
 */
const rateLimited = new Map<string, { count: number; at: number }>();
const RATE_LIMIT_MEMORY_MS = 15 * 60_000;

/** Records one more rate-limited answer for `key` and returns our backoff for it. */
export function rateLimitBackoff(key: string, now: number = Date.now()): number {
  const prev = rateLimited.get(key);
  const count = prev && now - prev.at < RATE_LIMIT_MEMORY_MS ? prev.count + 1 : 1;
  rateLimited.set(key, { count, at: now });
  return backoffMs(count);
}

export function rateLimitCleared(key: string): void {
  rateLimited.delete(key);
}

/** The range cut into consecutive windows of at most `days` days (report APIs cap the span of one request). */
export function dateWindows(range: DateRange, days: number): DateRange[] {
  const out: DateRange[] = [];
  for (let from = range.from; from <= range.to; from = addDays(from, days)) {
    const to = addDays(from, days - 1);
    out.push({ from, to: daysBetween(to, range.to) >= 0 ? to : range.to });
  }
  return out;
}

export function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A positive decimal amount (budget, bid) as micros rounded to whole cents; anything else is a ValidationError. */
export function positiveAmount(text: string, what: string, platform: string): Micros {
  let m: Micros;
  try {
    m = parseMoney(text);
  } catch {
    throw new ValidationError(`${platform}: ${what} must be a decimal amount, got "${text}"`, platform);
  }
  if (m <= 0n) throw new ValidationError(`${platform}: ${what} must be positive, got ${formatMoney(m)}`, platform);
  return parseMoney(formatMoney(m));
}

/** A platform's own text with any of our secrets masked, before it goes into an error message. */
export function redact(text: string, secrets: Record<string, string | undefined>): string {
  let out = text;
  for (const v of Object.values(secrets)) if (v && v.length >= 6) out = out.split(v).join('***');
  return out;
}
