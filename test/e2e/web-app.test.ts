// The web app end to end, in headless Chromium against the API process's app with real Postgres, Temporal and an
// in-process worker on a synced sandbox workspace: log in; the overview shows four platforms; run an
// optimization and request approval; a second user approves and sees it applied and audited; the reject path;
// a viewer has no approve button and a forged form post is refused; the inbox at 390 px. Every page is checked
// for console errors and with axe-core, and screenshotted to test/e2e/artifacts/web/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChange } from '../../services/change-requests/request-change.js';
import { scaled, statusIs, userOf } from './api-harness.js';
import { memberContext } from './harness.js';
import { ARTIFACTS, checkPage, logInAs, skipReason, webWorld, type Session, type WebWorld } from './web-harness.js';

const why = skipReason();
if (why) console.warn(`web e2e skipped: ${why}`);

describe.skipIf(!!why)('web app', () => {
  let ww: WebWorld;
  let analyst: Session;
  let approver: Session;
  let requestId: string;

  beforeAll(async () => {
    ww = await webWorld();
    analyst = await logInAs(ww, 'analyst');
  }, 600_000);
  afterAll(async () => {
    await ww?.stop();
  });

  it('logs in and shows the overview with data for four platforms', async () => {
    const { page } = analyst;
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByTestId('platform-row').count()).toBe(4);
    await expect.poll(() => page.getByTestId('platform-count').textContent()).toBe('4');
    await checkPage(analyst, 'overview');
  });

  it('runs a workspace optimization and requests approval of its plan', async () => {
    const { page } = analyst;
    await page.getByRole('link', { name: 'Optimize' }).click();
    await page.waitForURL('**/optimize');
    await checkPage(analyst, 'optimize');
    await page.getByRole('link', { name: /Optimize the whole workspace/ }).click();
    await page.waitForURL('**/optimize/workspace');
    await page.getByLabel('Sync the accounts first').check(); // their whole history, not just the world's week
    await page.getByRole('button', { name: 'Plan the workspace' }).click();
    await page.waitForURL(/\/optimize\/workspace\?plan=/, { timeout: 150_000 });
    await expect.poll(() => page.getByTestId('plan-row').count()).toBeGreaterThan(0);
    await checkPage(analyst, 'optimize-plan');
    await page.getByRole('button', { name: /Request approval/ }).click();
    await page.waitForURL('**/approvals', { timeout: 120_000 });
    const card = page.getByTestId('pending-request').first();
    requestId = (await card.getAttribute('data-request-id'))!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await statusIs(ww.ctx, requestId, 'PENDING_APPROVAL');
    await page.reload();
    // The analyst asked; an analyst cannot decide: no button.
    await expect.poll(() => page.getByTestId('pending-request').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await checkPage(analyst, 'approvals-analyst');
  });

  it('a second user approves: the change is applied live and audited', async () => {
    approver = await logInAs(ww, 'approver');
    const { page } = approver;
    await page.goto('/approvals');
    const card = page.locator(`[data-testid=pending-request][data-request-id="${requestId}"]`);
    await expect.poll(() => card.getByTestId('diff').count()).toBeGreaterThan(0);
    expect(await card.textContent()).toContain(userOf(ww.w, 'analyst'));
    expect(await card.getByRole('link', { name: 'Workflow in Temporal UI' }).getAttribute('href')).toContain(requestId);
    await checkPage(approver, 'approvals');
    await card.getByLabel('Comment').fill('looks right');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-result').textContent()).toContain('approved');
    // Live: the recent list follows the request over server-sent events until it is applied.
    await expect.poll(() => page.getByTestId(`status-${requestId}`).first().textContent(), { timeout: 60_000 }).toBe('APPLIED');
    await page.goto('/audit?action=change_request.');
    await expect.poll(() => page.getByTestId('audit-row').filter({ hasText: 'change_request.approved' }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('audit-row').filter({ hasText: 'change_request.approved' }).first().textContent()).toContain(userOf(ww.w, 'approver'));
    await checkPage(approver, 'audit');
  });

  it('the reject path', async () => {
    const ana = await memberContext(ww.ctx, ww.w.workspace, userOf(ww.w, 'analyst'), 'analyst', 'web');
    const c = ww.w.campaigns[1]!;
    const r = await requestChange(ana, {
      reason: 'web test: reject me',
      items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.05) }],
    });
    await statusIs(ww.ctx, r.id, 'PENDING_APPROVAL');
    const { page } = approver;
    await page.goto('/approvals');
    const card = page.locator(`[data-testid=pending-request][data-request-id="${r.id}"]`);
    await card.getByLabel('Comment').fill('not now');
    await card.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-result').textContent()).toContain('rejected');
    await statusIs(ww.ctx, r.id, 'REJECTED');
    const row = await ww.ctx.prisma.changeRequest.findUnique({ where: { id: r.id } });
    expect({ by: row?.decidedBy, note: row?.decisionNote }).toEqual({ by: userOf(ww.w, 'approver'), note: 'not now' });
  });

  it('a viewer sees no approve button, and a forged form post is refused by the use case', async () => {
    const ana = await memberContext(ww.ctx, ww.w.workspace, userOf(ww.w, 'analyst'), 'analyst', 'web');
    const c = ww.w.campaigns[2]!;
    const r = await requestChange(ana, {
      reason: 'web test: viewer',
      items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.05) }],
    });
    await statusIs(ww.ctx, r.id, 'PENDING_APPROVAL');
    const viewer = await logInAs(ww, 'viewer');
    const { page, context } = viewer;
    await page.goto('/approvals');
    await expect.poll(() => page.locator(`[data-request-id="${r.id}"]`).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await page.getByTestId('read-only').count()).toBe(1);
    await checkPage(viewer, 'approvals-viewer');
    const csrf = (await context.cookies()).find((k) => k.name === 'mbo_csrf')!.value;
    // With the viewer's own valid CSRF token: the use case refuses (403), nothing decided.
    const forged = await page.request.post('/approvals', { form: { csrf, ids: r.id, intent: 'approve', note: 'forged' } });
    expect(forged.status()).toBe(403);
    // Without a CSRF token: refused before any use case runs.
    const noCsrf = await page.request.post('/approvals', { form: { ids: r.id, intent: 'approve' } });
    expect(noCsrf.status()).toBe(403);
    expect((await ww.ctx.prisma.changeRequest.findUnique({ where: { id: r.id } }))?.status).toBe('PENDING_APPROVAL');
    const refused = await ww.ctx.prisma.auditEvent.findFirst({ where: { entityId: r.id, action: 'change_request.decision_refused' } });
    expect(refused?.actor).toBe(userOf(ww.w, 'viewer'));
    await viewer.context.close();
  });

  it('the inbox works at 390 px: approve and reject buttons visible within the screen', async () => {
    const phone = await logInAs(ww, 'approver2', { width: 390, height: 844 });
    const { page } = phone;
    await page.goto('/approvals');
    const card = page.getByTestId('pending-request').first();
    const approve = card.getByRole('button', { name: 'Approve', exact: true });
    const reject = card.getByRole('button', { name: 'Reject', exact: true });
    for (const b of [approve, reject]) {
      const box = (await b.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.height).toBeGreaterThanOrEqual(40);
    }
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    await checkPage(phone, 'approvals-390px');
    await page.screenshot({ path: path.join(ARTIFACTS, 'approvals-390px-screen.png') }); // what a phone shows first
    const manifest = await page.request.get('/manifest.webmanifest');
    expect(manifest.status()).toBe(200);
    expect((await manifest.json()).icons.map((i: { sizes: string }) => i.sizes)).toEqual(['192x192', '512x512']);
    await phone.context.close();
  });

  it('every other page renders without console errors or serious accessibility problems', async () => {
    const admin = await logInAs(ww, 'admin');
    const { page } = admin;
    for (const [route, name] of [
      ['/campaigns', 'campaigns'],
      ['/attribution', 'attribution'],
      ['/reports', 'reports'],
      ['/rules', 'rules'],
      ['/alerts', 'alerts'],
      ['/settings', 'settings'],
    ] as const) {
      await page.goto(route);
      await checkPage(admin, name);
    }
    await page.goto('/campaigns');
    await expect.poll(() => page.getByTestId('campaign-row').count()).toBeGreaterThan(3);
    await page.getByTestId('campaign-row').first().getByRole('link').click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    await checkPage(admin, 'campaign');
    const anon = await ww.browser.newPage();
    await anon.goto(`${ww.url}/approvals`);
    expect(new URL(anon.url()).pathname).toBe('/login');
    await anon.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
    await anon.close();
    await admin.context.close();
  });
});
