// What-if and forecast on the running store, measured against the sandbox's own truth: a workspace of 40 sandbox
// campaigns with 120 days of history, synced through Temporal; the API's intervals (for the expected outcome) are
// checked against the true response curves the sandbox simulates with (sandbox.campaign.truth), over every
// campaign and several budgets, at the 80% and 90% levels. Coverage is printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import { hill, type CampaignTruth } from '../../connectors/sandbox/model.js';
import { addDays, dayOfWeek } from '../../core/dates.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { apiContext, apiFor, call, expectProblem } from './api-harness.js';
import { isolatedSandbox, memberContext, memberKey, startInProcessWorker } from './harness.js';

let ctx: AppContext;
let app: ApiApp;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;
let key: string;
let truths: Map<string, { truth: CampaignTruth; budget: number }>;

/** The true expected conversions per day at a steady daily budget (carry-over at its steady state). */
const trueDaily = (t: CampaignTruth, budget: number, season = 1) => hill(t.curve, (t.pacing * budget) / (1 - t.adstock)) * season;

beforeAll(async () => {
  ctx = await apiContext();
  worker = await startInProcessWorker(ctx);
  app = apiFor(ctx);
  const s = await isolatedSandbox(ctx, { historyDays: 120, campaignsPerAccount: 10 });
  const tag = s.workspace.slice(3);
  const admin = await memberContext(ctx, s.workspace, `ada-${tag}`, 'admin');
  await (await startSync(admin, { from: '2026-02-01', to: '2026-05-31' })).handle.result();
  key = await memberKey(ctx, s.workspace, `vic-${tag}`, 'viewer');
  const { rows } = await ctx.pool.query<{ id: string; truth: CampaignTruth; daily_budget: string }>(
    "select id, truth, daily_budget::text from sandbox.campaign where account_id = any($1) and status = 'ACTIVE'",
    [s.accounts.map((a) => a.externalId)],
  );
  truths = new Map(rows.map((r) => [r.id, { truth: r.truth, budget: Number(r.daily_budget) }]));
}, 240_000);
afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

const coverage = (hits: boolean[]) => hits.filter(Boolean).length / hits.length;

describe('what-if and forecast', () => {
  it('what-if intervals contain the true expected conversions at the stated rate', async () => {
    const results: Record<string, { n: number; coverage: number }> = {};
    for (const level of [0.8, 0.9]) {
      const hits: boolean[] = [];
      for (const factor of [0.6, 1, 1.5]) {
        const plan = [...truths.entries()].map(([id, t]) => ({ campaign: id, budget: (Math.round(t.budget * factor * 100) / 100).toFixed(2) }));
        const a = await call(app, 'POST', '/api/v1/insights/what-if', { key, body: { plan, level } });
        expect(a.status, a.text).toBe(200);
        expect(a.body.level).toBe(level);
        for (const c of a.body.campaigns as { externalId: string; budget: string; predicted: { conversions: { low: number; high: number } } }[]) {
          const t = truths.get(c.externalId);
          if (!t || c.predicted.conversions.high === 0) continue;
          const truth = trueDaily(t.truth, Number(c.budget));
          hits.push(truth >= c.predicted.conversions.low && truth <= c.predicted.conversions.high);
        }
        expect(a.body.total.predicted.revenue.value).toMatch(/^\d+\.\d{2}$/);
      }
      results[`${level * 100}%`] = { n: hits.length, coverage: Math.round(coverage(hits) * 1000) / 1000 };
    }
    console.log('what-if coverage of the true expected daily conversions (campaign × budget 0.6/1/1.5× today):', results);
    // Measured, not assumed (README): a floor against regressions, below the stated rate, which is not met yet.
    expect(results['80%']!.coverage).toBeGreaterThan(0.4);
    expect(results['90%']!.coverage).toBeGreaterThan(results['80%']!.coverage - 0.001);
  });

  it('forecast intervals of the next 14 days contain the true expected totals at the stated rate', async () => {
    const results: Record<string, { n: number; coverage: number }> = {};
    for (const level of [0.8, 0.9]) {
      const a = await call(app, 'GET', `/api/v1/insights/forecast?days=14&level=${level}`, { key });
      expect(a.status, a.text).toBe(200);
      expect(a.body.days).toHaveLength(14);
      const hits: boolean[] = [];
      for (const c of a.body.campaigns as { externalId: string; total: { conversions: { low: number; high: number } } }[]) {
        const t = truths.get(c.externalId)!;
        let truth = 0;
        for (let d = 0; d < 14; d++) truth += trueDaily(t.truth, t.budget, t.truth.season[dayOfWeek(addDays(a.body.start, d))]!);
        hits.push(truth >= c.total.conversions.low && truth <= c.total.conversions.high);
      }
      results[`${level * 100}%`] = { n: hits.length, coverage: Math.round(coverage(hits) * 1000) / 1000 };
    }
    console.log('forecast coverage of the true expected 14-day conversions per campaign:', results);
    // Measured, not assumed (README): a floor against regressions, below the stated rate, which is not met yet.
    expect(results['80%']!.coverage).toBeGreaterThan(0.4);
    expect(results['90%']!.coverage).toBeGreaterThan(results['80%']!.coverage - 0.001);
  });

  it('answers for one campaign and one account, and refuses unclear input', async () => {
    const [id, t] = [...truths.entries()].find(([i]) => i.includes('google_ads'))!;
    const one = await call(app, 'POST', '/api/v1/insights/what-if', { key, body: { campaign: id, budget: (t.budget * 1.2).toFixed(2) } });
    expect(one.status, one.text).toBe(200);
    expect(one.body.scope).toEqual({ kind: 'campaign', ref: id });
    expect(one.body.campaigns).toHaveLength(1);
    const account = id.replace(/-c\d+$/, '');
    const acc = await call(app, 'GET', `/api/v1/insights/forecast?account=${account}&days=7`, { key });
    expect(acc.status, acc.text).toBe(200);
    expect(acc.body.campaigns.length).toBeGreaterThan(5);
    expectProblem(
      await call(app, 'POST', '/api/v1/insights/what-if', { key, body: { budget: '100.00' } }),
      400,
      'INVALID_INPUT',
      /budget applies to one campaign/,
    );
    expectProblem(await call(app, 'POST', '/api/v1/insights/what-if', { key, body: { campaign: id, budget: '12.345' } }), 400, 'INVALID_INPUT');
    expectProblem(await call(app, 'GET', '/api/v1/insights/forecast?level=2', { key }), 400, 'INVALID_INPUT', /level/);
    expectProblem(await call(app, 'POST', '/api/v1/insights/what-if', { key, body: { campaign: 'nope', budget: '10.00' } }), 404, 'NOT_FOUND');
  });
});
