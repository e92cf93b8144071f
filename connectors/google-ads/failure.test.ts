// Google's error envelopes → typed connector errors, on bodies shaped like the documented ones (errors.proto;
// REST renders google.rpc.Status with a GoogleAdsFailure in details, inside an array for searchStream).
import { describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { DEFAULT_RATE_LIMIT_DELAY_MS, isTokenProblem, parseFailure, parseRetryDelay, partialFailures, toConnectorError } from './failure.js';

const TYPE = 'type.googleapis.com/google.ads.googleads.v24.errors.GoogleAdsFailure';
const body = (code: number, status: string, errors: object[]) =>
  JSON.stringify({ error: { code, message: 'm', status, details: [{ '@type': TYPE, errors, requestId: 'r1' }] } });
const classify = (status: number, text: string) => toConnectorError(parseFailure(status, text), 'test');

describe('Google Ads failures', () => {
  it('reads protobuf Duration retry delays', () => {
    expect(parseRetryDelay('3s')).toBe(3000);
    expect(parseRetryDelay('1.5s')).toBe(1500);
    expect(parseRetryDelay('0.000001s')).toBe(1);
    expect(parseRetryDelay('3')).toBeUndefined();
    expect(parseRetryDelay(undefined)).toBeUndefined();
  });

  it('maps by error code first, HTTP status second', () => {
    const quota = body(429, 'RESOURCE_EXHAUSTED', [
      { errorCode: { quotaError: 'RESOURCE_EXHAUSTED' }, message: 'Too many', details: { quotaErrorDetails: { retryDelay: '42s' } } },
    ]);
    const rl = classify(429, quota);
    expect(rl).toBeInstanceOf(RateLimitError);
    expect((rl as RateLimitError).retryAfterMs).toBe(42_000);
    expect(rl.message).toBe('google_ads test: quotaError=RESOURCE_EXHAUSTED: Too many [request r1]');
    expect((classify(429, '{}') as RateLimitError).retryAfterMs).toBe(DEFAULT_RATE_LIMIT_DELAY_MS);
    expect(classify(400, body(400, 'INVALID_ARGUMENT', [{ errorCode: { authenticationError: 'CUSTOMER_NOT_FOUND' } }]))).toBeInstanceOf(NotFoundError);
    expect(classify(403, body(403, 'PERMISSION_DENIED', [{ errorCode: { authorizationError: 'DEVELOPER_TOKEN_NOT_APPROVED' } }]))).toBeInstanceOf(AuthError);
    expect(classify(400, body(400, 'INVALID_ARGUMENT', [{ errorCode: { requestError: 'LOGIN_CUSTOMER_ID_PARAMETER_MISSING' } }]))).toBeInstanceOf(AuthError);
    expect(classify(400, body(400, 'INVALID_ARGUMENT', [{ errorCode: { queryError: 'UNRECOGNIZED_FIELD' } }]))).toBeInstanceOf(ValidationError);
    expect(classify(500, body(500, 'INTERNAL', [{ errorCode: { internalError: 'TRANSIENT_ERROR' } }]))).toBeInstanceOf(TransientError);
    expect(classify(504, '<html>Gateway Timeout</html>')).toBeInstanceOf(TransientError);
    expect(classify(404, '<html>Not Found</html>')).toBeInstanceOf(NotFoundError);
  });

  it('reads the searchStream form (an array around the error)', () => {
    const f = parseFailure(400, `[${body(400, 'INVALID_ARGUMENT', [{ errorCode: { queryError: 'BAD_FIELD_NAME' }, message: 'bad' }])}]`);
    expect(f.errors[0]!.errorCode).toEqual({ queryError: 'BAD_FIELD_NAME' });
    expect(f.requestId).toBe('r1');
  });

  it('refreshes only for access-token 401s', () => {
    expect(isTokenProblem(parseFailure(401, JSON.stringify({ error: { code: 401, status: 'UNAUTHENTICATED' } })))).toBe(true);
    expect(isTokenProblem(parseFailure(401, body(401, 'UNAUTHENTICATED', [{ errorCode: { authenticationError: 'OAUTH_TOKEN_EXPIRED' } }])))).toBe(true);
    expect(isTokenProblem(parseFailure(401, body(401, 'UNAUTHENTICATED', [{ errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' } }])))).toBe(false);
    expect(isTokenProblem(parseFailure(403, body(403, 'PERMISSION_DENIED', [{ errorCode: { authorizationError: 'USER_PERMISSION_DENIED' } }])))).toBe(false);
  });

  it('locates partial failures by operation index', () => {
    const res = {
      results: [{ resourceName: 'customers/1/campaignBudgets/1' }, {}, {}],
      partialFailureError: {
        code: 3,
        message: 'x',
        details: [
          {
            '@type': TYPE,
            errors: [
              {
                errorCode: { campaignBudgetError: 'NEGATIVE_MONEY_AMOUNT' },
                message: 'neg',
                location: { fieldPathElements: [{ fieldName: 'operations', index: 2 }, { fieldName: 'update' }] },
              },
              { errorCode: { fieldError: 'INVALID_VALUE' }, message: 'bad', location: { fieldPathElements: [{ fieldName: 'operations', index: 1 }] } },
            ],
          },
        ],
      },
    };
    expect([...partialFailures(res)].sort()).toEqual([
      [1, 'fieldError=INVALID_VALUE: bad'],
      [2, 'campaignBudgetError=NEGATIVE_MONEY_AMOUNT: neg'],
    ]);
    expect(partialFailures({ results: [{ resourceName: 'a' }] }).size).toBe(0);
  });
});
