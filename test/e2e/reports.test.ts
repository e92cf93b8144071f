// Performance reports on the running stack: a synced sandbox workspace's weekly report as Markdown, CSV and HTML;
// the HTML rendered in headless Chromium has its charts (inline SVG, non-empty, laid out); and a scheduled
// delivery (the Temporal Schedule, triggered now) reaches a loopback webhook receiver with a valid signature.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import { signatureMatches } from '../../db/webhooks.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { addWebhook } from '../../services/webhooks/webhooks.js';
import { apiContext, apiFor, call, expectProblem } from './api-harness.js';
import { isolatedSandbox, memberContext, memberKey, startInProcessWorker, waitFor } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
let ctx: AppContext;
let app: ApiApp;
let worker: Awaited<ReturnType<typeof startInProcessWorker>>;
let viewer: string;
let analyst: string;
let workspaceId: string;
let secret: string;
let server: Server;
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  ctx = await apiContext();
  worker = await startInProcessWorker(ctx);
  app = apiFor(ctx);
  const s = await isolatedSandbox(ctx);
  const tag = s.workspace.slice(3);
  const admin = await memberContext(ctx, s.workspace, `ada-${tag}`, 'admin');
  workspaceId = admin.actor.workspaceId;
  await (await startSync(admin, { from: '2026-05-03', to: '2026-05-31' })).handle.result();
  viewer = await memberKey(ctx, s.workspace, `vic-${tag}`, 'viewer');
  analyst = await memberKey(ctx, s.workspace, `ana-${tag}`, 'analyst');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hook = await addWebhook(admin, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`, events: ['report'] });
  secret = hook.secret;
}, 180_000);
afterAll(async () => {
  server?.close();
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

describe('performance report', () => {
  it('renders Markdown and CSV with the period, platforms and campaigns', async () => {
    const md = await call(app, 'GET', '/api/v1/reports/performance?days=7', { key: viewer });
    expect(md.status, md.text).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.text).toMatch(/Period 2026-05-25 to 2026-05-31 \(7 days\), compared with 2026-05-18 to 2026-05-24/);
    for (const p of ['google_ads', 'meta', 'tiktok', 'linkedin']) expect(md.text).toContain(`| ${p} |`);
    expect(md.text).toMatch(/## Top campaigns by ROAS/);
    expect(md.text).toMatch(/## Last optimization\n_No optimization has run/);
    const csv = await call(app, 'GET', '/api/v1/reports/performance?days=7&format=csv', { key: viewer });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('section,name,platform,id,spend,revenue,conversions,roas,cpa,spend_change_pct,revenue_change_pct,roas_change_pct,note');
    expect(lines.filter((l) => l.startsWith('platform,')).length).toBe(5);
    expect(lines.filter((l) => l.startsWith('top_campaign,')).length).toBe(5);
    const json = await call(app, 'GET', '/api/v1/reports/performance?format=json', { key: viewer });
    expect(json.body.totals.spend).toMatch(/^\d+\.\d{2}$/);
    expectProblem(await call(app, 'GET', '/api/v1/reports/performance?days=0', { key: viewer }), 400, 'INVALID_INPUT', /1 to 92 days/);
  });

  it.skipIf(!existsSync(CHROMIUM))('HTML renders in headless Chromium with its charts (skipped without /usr/bin/chromium)', async () => {
    const html = await call(app, 'GET', '/api/v1/reports/performance?format=html', { key: viewer });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mbo-report-')), 'report.html');
    writeFileSync(file, html.text);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--headless'] });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);
      const charts = await page.$$eval('figure.chart svg', (svgs) =>
        svgs.map((s) => ({
          marks: s.querySelectorAll('path, rect, line').length,
          width: s.getBoundingClientRect().width,
          height: s.getBoundingClientRect().height,
        })),
      );
      console.log('charts in Chromium:', charts);
      expect(charts).toHaveLength(2);
      for (const c of charts) {
        expect(c.marks).toBeGreaterThan(10);
        expect(c.width).toBeGreaterThan(100);
        expect(c.height).toBeGreaterThan(100);
      }
      expect(await page.textContent('h1')).toMatch(/MBO performance report/);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('a scheduled delivery reaches the webhook with a valid signature', async () => {
    expectProblem(await call(app, 'PUT', '/api/v1/reports/schedule', { key: viewer, body: {} }), 403, 'FORBIDDEN');
    const set = await call(app, 'PUT', '/api/v1/reports/schedule', { key: analyst, body: { cron: '0 8 * * 1', days: 7 } });
    expect(set.status, set.text).toBe(200);
    const got = await call(app, 'GET', '/api/v1/reports/schedule', { key: viewer });
    expect(got.body).toMatchObject({ cron: '0 8 * * 1', timeZone: 'UTC', days: 7 });
    expect(got.body.nextRuns.length).toBeGreaterThan(0);
    // Run the schedule's action now (what Monday 08:00 would do).
    await (await ctx.temporal()).schedule.getHandle(set.body.scheduleId).trigger();
    const hit = await waitFor('the report at the webhook', async () => received[0], 60_000);
    const ts = Number(hit.headers['x-mbo-timestamp']);
    expect(signatureMatches(secret, ts, hit.body, String(hit.headers['x-mbo-signature']))).toBe(true);
    expect(signatureMatches('wrong-secret', ts, hit.body, String(hit.headers['x-mbo-signature']))).toBe(false);
    const payload = JSON.parse(hit.body);
    expect(payload).toMatchObject({ event: 'report', period: { from: '2026-05-25', to: '2026-05-31', days: 7 } });
    expect(payload.html).toMatch(/<svg/);
    expect(payload.csv).toMatch(/^section,name/);
    expect(payload.text).toMatch(/# MBO performance report/);
    const del = await call(app, 'DELETE', '/api/v1/reports/schedule', { key: analyst });
    expect(del.body).toEqual({ removed: true });
    expectProblem(await call(app, 'GET', '/api/v1/reports/schedule', { key: viewer }), 404, 'NOT_FOUND');
    void workspaceId;
  });
});
