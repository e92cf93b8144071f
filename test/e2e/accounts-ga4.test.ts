// GA4 as the workspace's analytics source, end to end through the API against the loopback Data API fake: connect
// (admin only; a refused token stores nothing; secrets sealed, never returned), sync the daily traffic (idempotent;
// a quota error is a 429 with Retry-After; an expired token is refreshed and sealed back), and read the cross-check
// of GA4's conversions per ad platform beside what the platforms report for the same days (a synced sandbox world).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGa4 } from '../../connectors/ga4/fake-server.js';
import { apiSuite, call, expectProblem } from './api-harness.js';

const s = apiSuite();
let fake: FakeGa4;
beforeAll(async () => (fake = await FakeGa4.start()));
afterAll(() => fake?.close());

const connectBody = (refreshToken = 'ga4-refresh-1') => ({
  propertyId: `properties/${fake.state.propertyId}`,
  secrets: { clientId: fake.client.id, clientSecret: fake.client.secret, refreshToken },
  options: { baseUrl: fake.baseUrl, tokenUrl: fake.tokenUrl },
});

describe('GA4 property: connect, sync, cross-check', () => {
  it('connects (admin only), refusing a bad token and never returning secrets', async () => {
    const { app, w } = s;
    expectProblem(await call(app, 'POST', '/api/v1/analytics/ga4', { key: w.keys.analyst, body: connectBody() }), 403, 'FORBIDDEN');
    expectProblem(await call(app, 'GET', '/api/v1/analytics/ga4/cross-check', { key: w.keys.viewer }), 404, 'NOT_FOUND', /no GA4 property/);
    const refused = await call(app, 'POST', '/api/v1/analytics/ga4', { key: w.keys.admin, body: connectBody('revoked') });
    expectProblem(refused, 422, 'VALIDATION', /invalid_grant/);
    expect(await s.ctx.prisma.analyticsProperty.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
    expectProblem(
      await call(app, 'POST', '/api/v1/analytics/ga4', { key: w.keys.admin, body: { ...connectBody(), propertyId: 'G-12345' } }),
      400,
      'INVALID_INPUT',
    );
    const ok = await call(app, 'POST', '/api/v1/analytics/ga4', { key: w.keys.admin, body: connectBody() });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ propertyId: fake.state.propertyId, currency: 'EUR', timeZone: 'Europe/Berlin' });
    expect(ok.text).not.toContain(fake.client.secret);
    const row = await s.ctx.prisma.analyticsProperty.findUniqueOrThrow({ where: { workspaceId: w.workspaceId } });
    expect(row.sealed).toMatch(/^v1:/);
    expect(row.sealed).not.toContain('ga4-refresh-1');
    const audit = await s.ctx.prisma.auditEvent.findFirstOrThrow({ where: { workspaceId: w.workspaceId, action: 'ga4.connected' } });
    expect(JSON.stringify([audit.after, audit.details])).not.toContain(fake.client.secret);
  });

  it('syncs daily rows idempotently; 429 RESOURCE_EXHAUSTED is a 429 with Retry-After; an expired token is refreshed and sealed back', async () => {
    const { app, w } = s;
    const range = { from: '2026-05-18', to: '2026-05-31' };
    expectProblem(await call(app, 'POST', '/api/v1/analytics/ga4/sync', { key: w.keys.viewer, body: range }), 403, 'FORBIDDEN');
    const first = await call(app, 'POST', '/api/v1/analytics/ga4/sync', { key: w.keys.analyst, body: range });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ rows: 98, changed: 98 });
    const again = await call(app, 'POST', '/api/v1/analytics/ga4/sync', { key: w.keys.analyst, body: range });
    expect(again.body).toMatchObject({ rows: 98, changed: 0 });
    const { rows } = await s.ctx.pool.query(
      `select count(*)::int as n, sum(sessions)::int as sessions, sum(revenue)::text as revenue from ga4_traffic_daily where workspace_id = $1`,
      [w.workspaceId],
    );
    const t = fake.totals(range.from, range.to);
    expect(rows[0]).toEqual({ n: 98, sessions: t.sessions, revenue: Number(t.revenue).toFixed(6) });

    fake.errorQueue.push({ http: 429, status: 'RESOURCE_EXHAUSTED', message: 'Exhausted property tokens per hour for this property.' });
    const limited = await call(app, 'POST', '/api/v1/analytics/ga4/sync', { key: w.keys.analyst, body: range });
    expectProblem(limited, 429, 'RATE_LIMITED', /RESOURCE_EXHAUSTED/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const sealedBefore = (await s.ctx.prisma.analyticsProperty.findUniqueOrThrow({ where: { workspaceId: w.workspaceId } })).sealed;
    fake.expireAllTokens();
    const refreshes = fake.refreshes;
    const after = await call(app, 'POST', '/api/v1/analytics/ga4/sync', { key: w.keys.analyst, body: { from: '2026-05-31', to: '2026-05-31' } });
    expect(after.status, after.text).toBe(200);
    expect(fake.refreshes).toBe(refreshes + 1);
    expect((await s.ctx.prisma.analyticsProperty.findUniqueOrThrow({ where: { workspaceId: w.workspaceId } })).sealed).not.toBe(sealedBefore);
  });

  it('cross-checks GA4 conversions per ad platform against the platforms’ own figures over the same days', async () => {
    const { app, w } = s;
    const r = await call(app, 'GET', '/api/v1/analytics/ga4/cross-check?from=2026-05-25&to=2026-05-31', { key: w.keys.viewer });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ propertyId: fake.state.propertyId, currency: 'EUR', from: '2026-05-25', to: '2026-05-31' });
    const google = r.body.platforms.find((p: { platform: string }) => p.platform === 'google_ads');
    // GA4: google/cpc rows only (google/organic is not Google Ads)
    const expected = fake.state.rows
      .filter((x) => x.date >= '2026-05-25' && x.date <= '2026-05-31' && x.sessionSource === 'google' && x.sessionMedium === 'cpc')
      .reduce((n, x) => n + Number(x.keyEvents), 0);
    expect(Number(google.ga4.conversions)).toBe(expected);
    // the sandbox's Google account reports its own conversions for the same week (the world synced 05-25..05-31)
    expect(google.reported.length).toBeGreaterThan(0);
    expect(Number(google.reported[0].conversions)).toBeGreaterThan(0);
    expect(r.body.sources.some((x: { medium: string }) => x.medium === 'email')).toBe(true);
    expect(r.body.platforms.map((p: { platform: string }) => p.platform).sort()).toEqual(['google_ads', 'linkedin', 'meta', 'tiktok']);
    expectProblem(await call(app, 'GET', '/api/v1/analytics/ga4/cross-check?from=2026-06-01&to=2026-05-01', { key: w.keys.viewer }), 400, 'INVALID_INPUT');
  });
});
