// Journeys and attribution on the running store: the sandbox set-up's generated journeys (known channel effects)
// are attributed by every model through the API, and the data-driven models land closer to the truth than last
// touch (distance: total variation, half the L1 distance between credit shares and true shares). Batch ingest is
// idempotent and role-checked; a CSV with bad lines names them and stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import { generateJourneys, sandboxChannels } from '../../connectors/sandbox/journeys.js';
import { SANDBOX_JOURNEY_USERS } from '../../connectors/sandbox/journeys-store.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, call, expectProblem } from './api-harness.js';
import { isolatedSandbox, memberKey } from './harness.js';

const tvd = (a: Record<string, number>, b: Record<string, number>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].reduce((s, k) => s + Math.abs((a[k] ?? 0) - (b[k] ?? 0)), 0) / 2;
const shares = (c: Record<string, number>) => {
  const t = Object.values(c).reduce((x, y) => x + y, 0);
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, t ? v / t : 0]));
};

let ctx: AppContext;
let app: ApiApp;
let workspace: string;
let prefix: string;
let wsId: string;
const keys: Record<'viewer' | 'analyst', string> = { viewer: '', analyst: '' };

beforeAll(async () => {
  ctx = await apiContext();
  app = apiFor(ctx);
  const s = await isolatedSandbox(ctx);
  workspace = s.workspace;
  prefix = `t${workspace.slice(3)}`;
  wsId = (await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: workspace } })).id;
  keys.viewer = await memberKey(ctx, workspace, `vic-${prefix}`, 'viewer');
  keys.analyst = await memberKey(ctx, workspace, `ana-${prefix}`, 'analyst');
});
afterAll(async () => ctx?.close());

const counts = async () =>
  (
    await ctx.pool.query<{ t: string; c: string }>(
      'select (select count(*) from journey_touchpoint where workspace_id = $1) as t, (select count(*) from journey_conversion where workspace_id = $1) as c',
      [wsId],
    )
  ).rows[0]!;

describe('attribution', () => {
  it('recovers the sandbox journeys’ known channel effects; Markov and Shapley closer than last touch', async () => {
    const a = await call(app, 'GET', '/api/v1/attribution?to=2026-06-01', { key: keys.viewer });
    expect(a.status, a.text).toBe(200);
    expect(a.body.models.map((m: { id: string }) => m.id)).toEqual([
      'last_click',
      'first_click',
      'linear',
      'time_decay',
      'position_based',
      'markov',
      'shapley',
    ]);
    expect(a.body.models.find((m: { id: string }) => m.id === 'markov').name).toMatch(/Markov/);
    const truth = generateJourneys({ seed: 7, users: SANDBOX_JOURNEY_USERS, end: '2026-06-01', channels: sandboxChannels(prefix) });
    expect(a.body.journeys.conversions).toBe(truth.conversions.length);
    const distance: Record<string, number> = {};
    for (const m of a.body.models as { id: string }[]) {
      const credit = Object.fromEntries(
        a.body.channels.map((r: { channel: string; credit: Record<string, { conversions: number }> }) => [r.channel, r.credit[m.id]!.conversions]),
      );
      distance[m.id] = Math.round(tvd(shares(credit), truth.trueShare) * 1000) / 1000;
    }
    console.log(
      `attribution: total variation distance to the true channel shares (${a.body.journeys.paths} paths, ${a.body.journeys.conversions} conversions):`,
      distance,
    );
    console.log('true shares:', Object.fromEntries(Object.entries(truth.trueShare).map(([k, v]) => [k, Math.round(v * 1000) / 1000])));
    expect(distance.markov!).toBeLessThan(distance.last_click!);
    expect(distance.shapley!).toBeLessThan(distance.last_click!);
    expect(distance.shapley!).toBeLessThan(0.12);
    // per campaign: every model names its campaign and channel
    expect(a.body.campaigns.length).toBeGreaterThanOrEqual(12);
    expect(a.body.campaigns[0]).toMatchObject({ channel: expect.any(String), campaign: expect.any(String) });
    const camp = a.body.campaigns.find((r: { campaign: string }) => r.campaign === `${prefix}-meta-c01`);
    expect(Object.keys(camp.credit)).toContain('shapley');
  });
});

describe('journey ingest', () => {
  const batch = {
    touchpoints: [
      { userKey: 'api-1', channel: 'meta', campaign: 'spring', at: '2026-05-20T10:00:00Z' },
      { userKey: 'api-1', channel: 'google_ads', at: '2026-05-21T10:00:00Z' },
    ],
    conversions: [{ userKey: 'api-1', at: '2026-05-21T12:00:00Z', value: '120.50' }],
  };
  it('stores a batch once (analyst), refuses a viewer', async () => {
    expectProblem(await call(app, 'POST', '/api/v1/journeys', { key: keys.viewer, body: batch }), 403, 'FORBIDDEN');
    const first = await call(app, 'POST', '/api/v1/journeys', { key: keys.analyst, body: batch });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ received: { touchpoints: 2, conversions: 1 }, stored: { touchpoints: 2, conversions: 1 }, duplicates: 0 });
    const again = await call(app, 'POST', '/api/v1/journeys', { key: keys.analyst, body: batch });
    expect(again.body).toMatchObject({ stored: { touchpoints: 0, conversions: 0 }, duplicates: 3 });
    const bad = await call(app, 'POST', '/api/v1/journeys', { key: keys.analyst, body: { touchpoints: [{ userKey: 'x', channel: 'meta', at: 'yesterday' }] } });
    expectProblem(bad, 400, 'INVALID_INPUT', /ISO timestamp/);
  });

  it('imports CSV; a bad line is named with its number and nothing is stored', async () => {
    const before = await counts();
    const badCsv = [
      'type,user_key,channel,campaign,timestamp,value',
      'touch,csv-1,meta,spring,2026-05-10T08:00:00Z,',
      'touch,csv-1,,spring,2026-05-11T08:00:00Z,',
      'conversion,csv-1,,,2026-05-12T08:00:00Z,-5',
      'click,csv-2,meta,,2026-05-12T08:00:00Z,',
    ].join('\n');
    const bad = await call(app, 'POST', '/api/v1/journeys/import', { key: keys.analyst, body: { csv: badCsv } });
    expectProblem(bad, 400, 'INVALID_INPUT', /line 3: channel: a channel is required.*line 4: value.*line 5: type must be/);
    expect(await counts()).toEqual(before);
    const good = [
      'type,user_key,channel,campaign,timestamp,value',
      'touch,csv-1,meta,spring,2026-05-10T08:00:00Z,',
      'conversion,csv-1,,,2026-05-12T08:00:00Z,99.90',
    ].join('\n');
    const ok = await call(app, 'POST', '/api/v1/journeys/import', { key: keys.analyst, body: { csv: good } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.stored).toEqual({ touchpoints: 1, conversions: 1 });
  });
});
