// The WhatsApp Business Cloud API client MBO sends approval notices with: one POST per message to
// {base}/{version}/{phone-number-id}/messages with the business's access token (Bearer). Graph errors become the
// typed connector errors: an expired or wrong token is an AuthError, throughput limits (130429, 131056, 80007, 4)
// a RateLimitError, Meta's own trouble (5xx, 1, 2, 131000, 131016) a TransientError, and what the recipient or the
// message cannot take (131030 not an allowed test number, 131026 undeliverable, 100 bad parameter, 132xxx a template
// that does not match) a ValidationError — 131047 (outside the 24-hour window: templates only) as its subclass
// ReEngagementRequired. No error message carries the token.
import { AuthError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { backoffMs, httpRequest, redact, retryAfterMs } from '../http.js';
import { GRAPH_API_BASE, GRAPH_API_VERSION, type GraphError, type OutboundMessage, type SendAnswer } from './wire.js';

export interface WhatsAppSettings {
  phoneNumberId: string;
  accessToken: string;
  /** Graph API base (default https://graph.facebook.com); tests point it at the loopback fake. */
  apiBaseUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
}

export interface Sent {
  messageId: string;
  waId?: string;
}

/**
 * 131047 "Re-engagement message": the recipient has not written within 24 hours, so only a template message is
 * delivered (the sender falls back to its template).
 */
export class ReEngagementRequired extends ValidationError {}

const PLATFORM = 'whatsapp';
const RATE_CODES = new Set([4, 80007, 130429, 131056]);
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);
const AUTH_CODES = new Set([190, 10, 200, 102]);

export class WhatsAppClient {
  constructor(private readonly s: WhatsAppSettings) {
    if (!/^\d{1,30}$/.test(s.phoneNumberId)) throw new ValidationError('whatsapp: the phone number id is digits (from WhatsApp Manager)', PLATFORM);
  }

  get endpoint(): string {
    const base = (this.s.apiBaseUrl ?? GRAPH_API_BASE).replace(/\/$/, '');
    return `${base}/${this.s.apiVersion ?? GRAPH_API_VERSION}/${this.s.phoneNumberId}/messages`;
  }

  async send(message: OutboundMessage): Promise<Sent> {
    const res = await httpRequest(
      this.endpoint,
      { method: 'POST', headers: { authorization: `Bearer ${this.s.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(message) },
      { platform: PLATFORM, what: 'send message', timeoutMs: this.s.timeoutMs },
    );
    if (res.status >= 200 && res.status < 300) {
      const a = res.json as SendAnswer | undefined;
      const id = a?.messages?.[0]?.id;
      if (!id) throw new TransientError(`whatsapp: the answer (HTTP ${res.status}) carries no message id`, PLATFORM);
      return { messageId: id, waId: a?.contacts?.[0]?.wa_id };
    }
    throw this.failure(res.status, res.json as GraphError | undefined, res.headers.get('retry-after'));
  }

  private failure(status: number, body: GraphError | undefined, retryAfter: string | null): Error {
    const e = body?.error;
    const code = e?.code ?? 0;
    const detail = redact(`${e?.message ?? `HTTP ${status}`}${e?.error_data?.details ? ` (${e.error_data.details})` : ''}`, { token: this.s.accessToken });
    const what = `whatsapp: ${detail}${code ? ` [code ${code}]` : ''}`;
    if (status === 401 || AUTH_CODES.has(code))
      return new AuthError(`${what}: the access token is wrong, expired or lacks whatsapp_business_messaging`, PLATFORM);
    if (status === 429 || RATE_CODES.has(code)) return new RateLimitError(what, retryAfterMs(retryAfter) ?? backoffMs(1, 5_000), PLATFORM);
    if (status >= 500 || TRANSIENT_CODES.has(code) || !e) return new TransientError(what, PLATFORM);
    if (code === 131047) return new ReEngagementRequired(`${what}: outside the 24-hour window, only a template message is delivered`, PLATFORM);
    return new ValidationError(what, PLATFORM);
  }
}
