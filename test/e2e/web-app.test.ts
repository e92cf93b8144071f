// The web app end to end, in headless Chromium against the API process's app with real Postgres, Temporal and an
// in-process worker on a synced sandbox workspace: log in; the overview shows four platforms; run an
// optimization and request approval; a second user approves and sees it applied and audited; the reject path;
// a viewer has no approve button and a forged form post is refused; the inbox at 390 px; an account plan explained
// (the optimizer's own words without ANTHROPIC_API_KEY, labelled); the overview's anomalies and the last plan's
// predicted vs realised outcome; a campaign's response curve with its band and today's and the recommended budget.
// Every page is checked for console errors and with axe-core, and screenshotted to test/e2e/artifacts/web/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChange } from '../../services/change-requests/request-change.js';
import { scaled, statusIs, userOf } from './api-harness.js';
import { memberContext } from './harness.js';
import { anonymous, ARTIFACTS, checkPage, logInAs, skipReason, webWorld, type Session, type WebWorld } from './web-harness.js';

const why = skipReason();
if (why) console.warn(`web e2e skipped: ${why}`);

describe.skipIf(!!why)('web app', () => {
  let ww: WebWorld;
  let analyst: Session;
  let approver: Session;
  let requestId: string;
  let approvedCampaign: string | undefined;

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
    // Spend, revenue, ROAS and CPA per day, a line per platform.
    expect(await page.getByTestId('platform-charts').locator('figure').count()).toBe(4);
    await expect.poll(() => page.getByTestId('platform-charts').locator('.recharts-line-curve').count()).toBeGreaterThanOrEqual(16);
    // Anomalies and alerts are listed (and marked on the charts) whether or not the sandbox's days have any.
    expect(await page.getByTestId('anomalies').textContent()).toMatch(/Anomalies in these 14 days \(\d+\)/);
    await checkPage(analyst, 'overview');
    // Another period: the comparison and the charts follow it.
    await page.getByRole('link', { name: '14 days' }).click();
    await page.waitForURL('**/?days=14');
    await expect
      .poll(() => page.getByTestId('period-comparison').textContent())
      .toMatch(/Last 14 days \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\) against the 14 before/);
    await expect.poll(() => page.getByTestId('anomalies').textContent()).toMatch(/Anomalies in these 28 days/);
    await expect.poll(() => page.getByTestId('platform-row').count()).toBe(4);
  });

  it('runs a workspace optimization, has its plan explained and requests approval of it', async () => {
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
    // Expected impact with its interval per line, and the reasons.
    expect(await page.getByTestId('plan-row').first().textContent()).toMatch(/\d\.\d\d \(\d[\d,.]*–\d[\d,.]*\)/);
    await checkPage(analyst, 'optimize-plan');
    // The plan explained before it is requested: Claude with a key, else MBO's own words, labelled.
    const plan = page.getByTestId('workspace-plan');
    await plan.getByRole('button', { name: 'Explain this plan' }).click();
    await page.waitForURL(/&explain=/, { timeout: 120_000 });
    const kind = (await plan.getByTestId('explanation-kind').textContent())!;
    if (ww.ctx.config.ai.apiKey) expect(kind).toMatch(/^AI explanation/);
    else {
      expect(kind).toBe("MBO's own explanation (AI off: no ANTHROPIC_API_KEY)");
      expect(await plan.getByTestId('explanation-text').textContent()).toContain('ANTHROPIC_API_KEY is not set');
    }
    await checkPage(analyst, 'optimize-plan-explained');
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
    // The plan's expected impact for this account: per day with its 90% interval, and per campaign.
    expect(await card.getByTestId('expected-impact').textContent()).toMatch(/90%: [\d,.]+–[\d,.]+.*workspace plan/);
    expect(await card.getByTestId('item-expected').count()).toBe(await card.getByTestId('diff').count());
    expect(await card.textContent()).toMatch(/Guardrails: (passed|violated)/);
    expect(await card.getByRole('link', { name: 'Workflow in Temporal UI' }).getAttribute('href')).toContain(requestId);
    await checkPage(approver, 'approvals');
    approvedCampaign = (await ww.ctx.prisma.changeItem.findFirst({ where: { requestId } }))?.campaignId;
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

  it("explains an account plan: the optimizer's own words without an ANTHROPIC_API_KEY, labelled as such", async () => {
    const { page } = analyst;
    await page.goto('/optimize');
    await page.getByRole('button', { name: 'Run optimization' }).click(); // the first account, synced by the plan above
    await page.waitForURL(/\/optimize\?run=/, { timeout: 120_000 });
    const plan = page.getByTestId('plan');
    await plan.getByRole('button', { name: 'Explain this plan' }).click();
    await page.waitForURL(/&explain=/, { timeout: 120_000 });
    const kind = (await plan.getByTestId('explanation-kind').textContent())!;
    const text = (await plan.getByTestId('explanation-text').textContent())!;
    if (ww.ctx.config.ai.apiKey) expect(kind).toMatch(/^AI explanation/);
    else {
      expect(kind).toBe("MBO's own explanation (AI off: no ANTHROPIC_API_KEY)");
      expect(text).toContain('ANTHROPIC_API_KEY is not set');
      expect(text).toMatch(/per day|budget/); // the optimizer's summary and one line per campaign
    }
    await checkPage(analyst, 'optimize-explained');
  });

  it('the overview shows the last plan: predicted uplift with its interval next to the realised outcome', async () => {
    const { page } = analyst;
    await page.goto('/');
    const o = page.getByTestId('plan-outcome');
    await expect.poll(() => o.count()).toBe(1);
    expect(await o.getByTestId('predicted-uplift').textContent()).toMatch(/^[+-]\d+\.\d%$/);
    expect(await o.textContent()).toMatch(/90%: [\d,.]+–[\d,.]+/);
    // Applied just now: the realised outcome waits for synced days after the apply date (or shows them).
    expect(await o.getByTestId('realised').textContent()).toMatch(/Applied on \d{4}-\d\d-\d\d; waiting|per day over \d+ day/);
    expect(await page.getByTestId('uplift-tile').textContent()).toMatch(/%.*→/);
    await checkPage(analyst, 'overview-after-plan'); // docs/web-overview.png, the README's picture
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

  it('shows a bid-target change in the inbox as its kind, from → to and the change', async () => {
    const ana = await memberContext(ww.ctx, ww.w.workspace, userOf(ww.w, 'analyst'), 'analyst', 'web');
    const c = ww.w.campaigns[0]!; // sandbox: a Google account's first campaign bids with a target CPA
    const r = await requestChange(ana, { reason: 'web test: bid', items: [{ kind: 'bid', campaign: c.externalId, byPct: 10 }] });
    await statusIs(ww.ctx, r.id, 'PENDING_APPROVAL');
    const { page } = approver;
    await page.goto('/approvals');
    const diff = page.locator(`[data-testid=pending-request][data-request-id="${r.id}"]`).getByTestId('diff');
    await expect.poll(() => diff.textContent()).toMatch(/^target CPA [\d,]+\.\d\d → [\d,]+\.\d\d \w{3} \+10\.0%$/);
    await checkPage(approver, 'approvals-bid');
  }); // the next test rejects it with another

  it('approves or rejects several requests at once, with one comment', async () => {
    const { page } = approver;
    await page.goto('/approvals');
    const cards = page.getByTestId('pending-request');
    await expect.poll(() => cards.count()).toBeGreaterThan(2);
    const ids = [(await cards.nth(0).getAttribute('data-request-id'))!, (await cards.nth(1).getAttribute('data-request-id'))!];
    for (const id of ids) await page.getByLabel(`select request ${id.slice(0, 8)}`).check();
    await page.getByLabel('Comment for the selected requests').fill('not this week');
    await page.getByRole('button', { name: 'Reject selected' }).click();
    await expect.poll(() => page.getByTestId('decision-result').textContent()).toMatch(/rejected.*rejected/s);
    for (const id of ids) {
      await statusIs(ww.ctx, id, 'REJECTED');
      expect((await ww.ctx.prisma.changeRequest.findUnique({ where: { id } }))?.decisionNote).toBe('not this week');
    }
    await checkPage(approver, 'approvals-bulk');
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
    // A campaign the approved plan moved: its response curve with the band, today's and the recommended budget.
    const t0 = Date.now();
    await page.goto(`/campaigns/${approvedCampaign ?? ww.w.campaigns[0]!.id}`);
    console.log(`campaign page with its response curve: ${Date.now() - t0} ms`);
    const curve = page.getByTestId('response-curve');
    await expect.poll(() => curve.locator('.recharts-area-area').count()).toBe(1); // the uncertainty band
    expect(await curve.locator('.recharts-line-curve').count()).toBeGreaterThan(0); // the expected value
    // Today's and the recommended budget (one line once the approved plan made them the same).
    expect(await curve.locator('.recharts-reference-line').count()).toBeGreaterThanOrEqual(1);
    expect(await curve.textContent()).toMatch(/today.*recommended|recommended.*today/);
    const summary = (await page.getByTestId('curve-summary').textContent())!;
    expect(summary).toMatch(/Today: [\d,.]+ \w+ a day\s*expected revenue [\d,.]+ \([\d,.]+–[\d,.]+\), 90% interval/);
    expect(summary).toMatch(/Recommended: [\d,.]+ \w+ a day/);
    expect(await page.getByTestId('curve-row').count()).toBeGreaterThanOrEqual(9);
    await page.getByRole('button', { name: 'Conversions' }).click();
    expect(await page.getByTestId('curve-summary').textContent()).toContain('expected conversions');
    await checkPage(admin, 'campaign-curve');
    // A move the plan asked for that was not applied (not on Google Ads, whose account run came later): today's and
    // the recommended budget are two marks, the recommended one the plan's.
    const items = await ww.ctx.prisma.changeItem.findMany({
      where: { request: { workspaceId: ww.w.workspaceId, source: 'optimizer', status: { not: 'APPLIED' } }, kind: 'budget' },
    });
    const campaigns = await ww.ctx.prisma.campaign.findMany({ where: { id: { in: items.map((i) => i.campaignId) } }, include: { account: true } });
    const notApplied = items.find((i) => campaigns.find((c) => c.id === i.campaignId)?.account.platform !== 'google_ads');
    if (notApplied) {
      await page.goto(`/campaigns/${notApplied.campaignId}`);
      await expect.poll(() => curve.locator('.recharts-reference-line').count()).toBe(2);
      expect(await curve.textContent()).toMatch(/today/);
      expect(await curve.textContent()).toMatch(/recommended/);
      expect(await page.getByTestId('curve-summary').textContent()).toContain(
        `Recommended: ${Number(notApplied.toBudget).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      );
      await checkPage(admin, 'campaign-curve-recommended');
    }
    const anon = await anonymous(ww);
    await anon.page.goto('/approvals');
    expect(new URL(anon.page.url()).pathname).toBe('/login');
    await checkPage(anon, 'login');
    await anon.context.close();
    await admin.context.close();
  });
});
