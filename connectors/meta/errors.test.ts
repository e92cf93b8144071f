import { describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { announcedDelayMs, toConnectorError } from './errors.js';
import { GraphTimeoutError } from './graph-api.js';

const ctx = { actId: 'act_42', secrets: ['EAAB-secret-token', 'app-secret'], rateLimitAttempt: 1 };

/** The shape the SDK's FacebookRequestError has after a Graph error answer. */
function sdkError(status: number | null, error: Record<string, unknown> | null, headers: Record<string, string> = {}) {
  return { name: 'FacebookRequestError', status, response: error, headers, url: 'https://graph.facebook.com/v24.0/act_42?access_token=EAAB-secret-token' };
}

describe('Graph error mapping', () => {
  it('reads the regain-access estimate for this account from x-business-use-case-usage (minutes), else x-ad-account-usage (seconds)', () => {
    const buc = JSON.stringify({
      '42': [{ type: 'ads_management', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 7 }],
      '99': [{ type: 'ads_insights', estimated_time_to_regain_access: 30 }],
    });
    expect(announcedDelayMs({ 'x-business-use-case-usage': buc }, '42')).toBe(420_000);
    expect(announcedDelayMs({ 'x-business-use-case-usage': buc }, '7')).toBe(1_800_000); // not ours listed: the largest
    expect(announcedDelayMs({ 'x-ad-account-usage': '{"acc_id_util_pct":100,"reset_time_duration":95}' }, '42')).toBe(95_000);
    expect(announcedDelayMs({ 'x-business-use-case-usage': 'not json' }, '42')).toBeNull();
    expect(announcedDelayMs(null, '42')).toBeNull();
  });

  it('maps codes to typed errors', () => {
    expect(toConnectorError(sdkError(400, { code: 190, error_subcode: 460, message: 'password changed' }), 'x', ctx)).toBeInstanceOf(AuthError);
    expect(toConnectorError(sdkError(400, { code: 200, message: 'Requires ads_management permission' }), 'x', ctx)).toBeInstanceOf(AuthError);
    expect(toConnectorError(sdkError(400, { code: 80000, message: 'too many insights calls' }), 'x', ctx)).toBeInstanceOf(RateLimitError);
    expect(toConnectorError(sdkError(400, { code: 100, error_subcode: 33, message: 'does not exist' }), 'x', ctx)).toBeInstanceOf(NotFoundError);
    expect(toConnectorError(sdkError(400, { code: 100, message: 'Invalid parameter' }), 'x', ctx)).toBeInstanceOf(ValidationError);
    expect(toConnectorError(sdkError(400, { code: 1, message: 'An unknown error occurred', is_transient: true }), 'x', ctx)).toBeInstanceOf(TransientError);
    expect(toConnectorError(sdkError(503, { message: 'Service Unavailable' }), 'x', ctx)).toBeInstanceOf(TransientError);
    expect(toConnectorError(sdkError(null, null), 'x', ctx)).toBeInstanceOf(TransientError);
    expect(toConnectorError(new SyntaxError('Unexpected token <'), 'x', ctx)).toBeInstanceOf(TransientError);
    expect(toConnectorError(new GraphTimeoutError('no answer within 5 ms'), 'x', ctx)).toBeInstanceOf(TransientError);
  });

  it('never puts the token, the app secret or the request URL in a message', () => {
    const e = toConnectorError(
      sdkError(400, { code: 190, message: 'Malformed access token EAAB-secret-token (app app-secret)', fbtrace_id: 'AbC' }),
      'read ad account',
      ctx,
    );
    expect(e.message).not.toContain('EAAB-secret-token');
    expect(e.message).not.toContain('app-secret');
    expect(e.message).not.toContain('graph.facebook.com');
    expect(e.message).toContain('fbtrace_id AbC');
  });
});
