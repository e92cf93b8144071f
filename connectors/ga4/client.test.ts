// The GA4 client and report against the loopback Data API fake: paging by limit/offset until rowCount, the mapping
// to exact decimals and ISO days, a token refresh on 401 (sealed back via the callback), 403 and a refused refresh
// as AuthError, 429 RESOURCE_EXHAUSTED as RateLimitError with a backoff, 400 INVALID_ARGUMENT as ValidationError,
// 5xx as TransientError, an unreachable host as TransientError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError, ValidationError } from '../errors.js';
import { Ga4Client, propertyIdOnWire, type Ga4Secrets } from './client.js';
import { FakeGa4 } from './fake-server.js';
import { fetchTraffic, trafficRows } from './report.js';

let fake: FakeGa4;
beforeAll(async () => (fake = await FakeGa4.start()));
afterAll(() => fake.close());

const secrets = (): Ga4Secrets => ({ clientId: fake.client.id, clientSecret: fake.client.secret, refreshToken: 'ga4-refresh-1' });
const client = (o: { propertyId?: string; secrets?: Ga4Secrets; onSecretsRefreshed?: (s: Ga4Secrets) => Promise<void>; baseUrl?: string } = {}) =>
  new Ga4Client({
    propertyId: o.propertyId ?? fake.state.propertyId,
    secrets: o.secrets ?? secrets(),
    baseUrl: o.baseUrl ?? fake.baseUrl,
    tokenUrl: fake.tokenUrl,
    onSecretsRefreshed: o.onSecretsRefreshed,
    timeoutMs: 5000,
  });

describe('GA4 Data API runReport client', () => {
  it('reads every row of the range in pages (limit/offset, rowCount), as exact decimals by ISO day', async () => {
    const refreshed: Ga4Secrets[] = [];
    const before = fake.requests.length;
    const report = await fetchTraffic(client({ onSecretsRefreshed: async (s) => void refreshed.push(s) }), { from: '2026-05-20', to: '2026-05-26' }, 10);
    expect(report.rows).toHaveLength(7 * 7);
    expect(report.pages).toBe(5);
    expect(report).toMatchObject({ currency: 'EUR', timeZone: 'Europe/Berlin' });
    const calls = fake.requests.slice(before).filter((r) => r.path.endsWith(':runReport'));
    expect(calls.map((c) => (c.body as { offset: number }).offset)).toEqual([0, 10, 20, 30, 40]);
    expect(calls[0]!.body).toMatchObject({
      dimensions: [{ name: 'date' }, { name: 'sessionSource' }, { name: 'sessionMedium' }, { name: 'sessionCampaignName' }],
      metrics: [{ name: 'sessions' }, { name: 'keyEvents' }, { name: 'totalRevenue' }],
      dateRanges: [{ startDate: '2026-05-20', endDate: '2026-05-26' }],
      limit: 10,
    });
    // no access token yet: one refresh first, handed back to be sealed
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).toMatch(/^ga4-access-/);
    const t = fake.totals('2026-05-20', '2026-05-26');
    expect(report.rows.reduce((s, r) => s + r.sessions, 0)).toBe(t.sessions);
    const micros = (xs: string[]) => xs.reduce((s, v) => s + BigInt(Math.round(Number(v) * 100)), 0n);
    expect(micros(report.rows.map((r) => r.revenue))).toBe(micros([t.revenue]));
    expect(report.rows[0]).toMatchObject({ date: '2026-05-20', source: expect.any(String), medium: expect.any(String) });
  });

  it('an empty range is one request and no rows', async () => {
    const report = await fetchTraffic(client(), { from: '2020-01-01', to: '2020-01-31' });
    expect(report).toMatchObject({ rows: [], pages: 1 });
  });

  it('an expired token is refreshed once and the call retried; a refused refresh is an AuthError', async () => {
    const c = client();
    await c.runReport({ metrics: [{ name: 'sessions' }], dateRanges: [{ startDate: '2026-05-20', endDate: '2026-05-20' }] });
    const n = fake.refreshes;
    fake.expireAllTokens();
    const res = await c.runReport({ metrics: [{ name: 'sessions' }], dateRanges: [{ startDate: '2026-05-20', endDate: '2026-05-20' }] });
    expect(res.rowCount).toBe(1);
    expect(fake.refreshes).toBe(n + 1);
    fake.expireAllTokens();
    fake.refreshRefused = true;
    try {
      await expect(c.runReport({ metrics: [{ name: 'sessions' }], dateRanges: [{ startDate: '2026-05-20', endDate: '2026-05-20' }] })).rejects.toThrow(
        /ga4 OAuth refresh failed: invalid_grant/,
      );
    } finally {
      fake.refreshRefused = false;
    }
  });

  it('maps 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 400 INVALID_ARGUMENT and 5xx to typed errors', async () => {
    const range = { from: '2026-05-20', to: '2026-05-20' };
    const denied = await fetchTraffic(client({ propertyId: 'properties/111' }), range).catch((e) => e);
    expect(denied).toBeInstanceOf(AuthError);
    expect(denied.message).toMatch(/PERMISSION_DENIED/);
    fake.errorQueue.push({ http: 429, status: 'RESOURCE_EXHAUSTED', message: 'Exhausted property tokens per hour for this property.' });
    const limited = await fetchTraffic(client(), range).catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(1000);
    fake.errorQueue.push({ http: 503, status: 'UNAVAILABLE', message: 'The service is currently unavailable.' });
    expect(await fetchTraffic(client(), range).catch((e) => e)).toBeInstanceOf(TransientError);
    const bad = await client()
      .runReport({ metrics: [{ name: 'bogus' }], dateRanges: [{ startDate: '2026-05-20', endDate: '2026-05-20' }] })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.message).toMatch(/INVALID_ARGUMENT: Field bogus is not a valid metric/);
    expect(await fetchTraffic(client({ baseUrl: 'http://127.0.0.1:9' }), range).catch((e) => e)).toBeInstanceOf(TransientError);
  });

  it('refuses malformed values and property ids instead of guessing', () => {
    expect(propertyIdOnWire('properties/42')).toBe('42');
    expect(() => propertyIdOnWire('G-ABC123')).toThrow(ValidationError);
    const res = {
      dimensionHeaders: ['date', 'sessionSource', 'sessionMedium', 'sessionCampaignName'].map((name) => ({ name })),
      metricHeaders: ['sessions', 'keyEvents', 'totalRevenue'].map((name) => ({ name, type: 'TYPE_INTEGER' })),
      rows: [{ dimensionValues: ['20260520', 'google', 'cpc', 'x'].map((value) => ({ value })), metricValues: ['3', '1', '1e3'].map((value) => ({ value })) }],
      rowCount: 1,
    };
    expect(() => trafficRows(res)).toThrow(/totalRevenue is not a decimal/);
    res.rows[0]!.metricValues[2]!.value = '12.50';
    expect(trafficRows(res)[0]).toEqual({
      date: '2026-05-20',
      source: 'google',
      medium: 'cpc',
      campaign: 'x',
      sessions: 3,
      conversions: '1',
      revenue: '12.50',
    });
  });
});
