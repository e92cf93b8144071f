// The web app's forms end to end, in headless Chromium against the API process's app (real Postgres, Temporal and
// an in-process worker on a synced sandbox workspace, web-harness.ts): create a rule with the condition builder,
// dry-run it (nothing changes), edit and disable it; acknowledge and resolve alerts with a note; change the
// guardrail policy; create an API key (shown once) and revoke it; add a member with a web password, change their
// role, and they log in with it; add, test and remove a webhook; set a notification channel; switch workspace (the
// role shown changes with it); a viewer sees no admin controls and forged posts are refused by the use cases.
// Every page is checked for console errors and with axe-core, and screenshotted to test/e2e/artifacts/web/.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../services/auth/authenticate.js';
import { checkPage, logInAs, PASSWORD, skipReason, webWorld, type Session, type WebWorld } from './web-harness.js';

const why = skipReason();
if (why) console.warn(`web settings e2e skipped: ${why}`);

/** A local receiver for webhook deliveries. */
async function receiver(): Promise<{ url: string; got: { headers: IncomingHttpHeaders; body: string }[]; server: Server }> {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server };
}

/**
 * A refusal the test provokes on purpose answers with its status (400, 409, …), and Chromium logs every failed
 * fetch as a console error: take exactly that one off the session's list, so any other error still fails the page.
 */
function expectRefusalLogged(s: Session, status: number): void {
  const i = s.errors.findIndex((e) => e.includes(`status of ${status}`));
  expect(i, `the ${status} refusal is the only console error`).toBeGreaterThanOrEqual(0);
  s.errors.splice(i, 1);
}

describe.skipIf(!!why)('web app forms: rules, alerts, settings, workspace switcher', () => {
  let ww: WebWorld;
  let analyst: Session;
  let admin: Session;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const tag = () => ww.w.workspace.slice(3);

  beforeAll(async () => {
    ww = await webWorld();
    hook = await receiver();
    analyst = await logInAs(ww, 'analyst');
    admin = await logInAs(ww, 'admin');
  }, 600_000);
  afterAll(async () => {
    await new Promise((r) => hook?.server.close(r));
    await ww?.stop();
  });

  it('creates a rule with the condition builder, dry-runs it (nothing changes), edits and disables it', async () => {
    const { page } = analyst;
    const name = `Web spend check ${tag()}`;
    await page.goto('/rules');
    await checkPage(analyst, 'rules');
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.waitForURL('**/rules/new');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Metric 1').selectOption('spend');
    await page.getByLabel('Window 1 (days)').fill('7');
    await page.getByLabel('Comparison 1').selectOption('>');
    await page.getByLabel('Value 1').fill('0');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Metric 2').selectOption('roas');
    await page.getByLabel('Window 2 (days)').fill('7');
    await page.getByLabel('Comparison 2').selectOption('>=');
    await page.getByLabel('Value 2').fill('0');
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'budget ±N%' });
    await page.getByLabel(/^Amount/).fill('-10');
    await page.getByLabel('Google Ads').check();
    await expect.poll(() => page.getByTestId('rule-preview').textContent()).toBe('when spend(7d) > 0 and roas(7d) >= 0 → budget -10%');
    await checkPage(analyst, 'rule-new');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/rules\?saved=/);
    const stored = await ww.ctx.prisma.rule.findFirstOrThrow({ where: { workspaceId: ww.w.workspaceId, name } });
    expect([stored.condition, stored.action]).toEqual(['spend(7d) > 0 and roas(7d) >= 0', 'budget -10%']);
    expect((stored.definition as { scope: { platforms?: string[] } }).scope.platforms).toEqual(['google_ads']);

    // Dry run: what it would do now — firings with reasons — and nothing is requested.
    const before = await ww.ctx.prisma.changeRequest.count({ where: { workspaceId: ww.w.workspaceId } });
    await page.getByRole('button', { name: `Dry run ${name}` }).click();
    await expect.poll(() => page.getByTestId('dry-run').count()).toBe(1);
    await expect.poll(() => page.getByTestId('dry-run-firing').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('dry-run-firing').first().textContent()).toMatch(/SPEND over 7 days = [\d.]+ > 0/);
    expect(await page.getByTestId('form-result').textContent()).toMatch(/would be acted on now; nothing was changed/);
    expect(await ww.ctx.prisma.changeRequest.count({ where: { workspaceId: ww.w.workspaceId } })).toBe(before);
    expect(await ww.ctx.prisma.ruleFiring.count({ where: { ruleId: stored.id } })).toBe(0);
    await checkPage(analyst, 'rules-dry-run');

    // Edit: the builder opens with the stored rows; change the first value and the action.
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`**/rules/${stored.id}`);
    expect(await page.getByLabel('Value 2').inputValue()).toBe('0');
    await page.getByLabel('Value 1').fill('1.5');
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'alert' });
    await checkPage(analyst, 'rule-edit');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(/\/rules\?saved=/);
    const edited = await ww.ctx.prisma.rule.findUniqueOrThrow({ where: { id: stored.id } });
    expect([edited.condition, edited.action, edited.updatedBy]).toEqual(['spend(7d) > 1.5 and roas(7d) >= 0', 'alert', ww.user('analyst')]);

    // A bad value is refused with core's words, and nothing is saved.
    await page.goto('/rules/new');
    await page.getByLabel('Name', { exact: true }).fill(`${name} bad`);
    await page.getByLabel('Window 1 (days)').fill('365');
    await page.getByLabel('Value 1').fill('1');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect.poll(() => page.getByText('windows are 1 to 90 days').count()).toBeGreaterThan(0);
    expect(await ww.ctx.prisma.rule.count({ where: { workspaceId: ww.w.workspaceId, name: `${name} bad` } })).toBe(0);

    await page.goto('/rules');
    await page.getByRole('button', { name: `Disable ${name}` }).click();
    await expect.poll(() => page.locator(`[data-testid=rule-row][data-rule="${name}"]`).textContent()).toContain('disabled');
    expect((await ww.ctx.prisma.rule.findUniqueOrThrow({ where: { id: stored.id } })).enabled).toBe(false);

    // The action picker is built from the rules schema, so the bid-target forms are there too: a rule that raises
    // the bid target, dry-run (each campaign's target from → to, or why not), then deleted.
    const bidName = `Web bid nudge ${tag()}`;
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.waitForURL('**/rules/new');
    await page.getByLabel('Name', { exact: true }).fill(bidName);
    await page.getByLabel('Metric 1').selectOption('conversions');
    await page.getByLabel('Value 1').fill('0');
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'bid ±N%' });
    await page.getByLabel(/^Amount/).fill('10');
    await expect.poll(() => page.getByTestId('rule-preview').textContent()).toBe('when conversions(7d) > 0 → bid +10%');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/rules\?saved=/);
    const bid = await ww.ctx.prisma.rule.findFirstOrThrow({ where: { workspaceId: ww.w.workspaceId, name: bidName } });
    expect(bid.action).toBe('bid +10%');
    await page.getByRole('button', { name: `Dry run ${bidName}` }).click();
    await expect.poll(() => page.getByTestId('dry-run-firing').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('dry-run').textContent()).toMatch(/bid target: [A-Za-z ]+ [\d.]+ → [\d.]+|skipped/);
    await checkPage(analyst, 'rules-dry-run-bid');
    await page.getByRole('button', { name: `Delete ${bidName}` }).click();
    await expect.poll(() => page.locator(`[data-testid=rule-row][data-rule="${bidName}"]`).count()).toBe(0);
    expect((await ww.ctx.prisma.rule.findUniqueOrThrow({ where: { id: bid.id } })).deletedAt).not.toBeNull();
    expect(analyst.errors).toEqual([]);
  });

  it('acknowledges an alert and resolves another with a note', async () => {
    const mk = (n: number) =>
      ww.ctx.prisma.alert.create({
        data: {
          workspaceId: ww.w.workspaceId,
          kind: 'spend_spike',
          severity: n === 1 ? 'critical' : 'warning',
          dedupKey: `web-test-${n}-${tag()}`,
          entityType: 'campaign',
          entityId: ww.w.campaigns[0]!.id,
          message: `Spend jumped on campaign ${n} (web test)`,
        },
      });
    const [a1, a2] = [await mk(1), await mk(2)];
    const { page } = analyst;
    await page.goto('/alerts?open=1');
    await checkPage(analyst, 'alerts');
    const card1 = page.locator(`[data-alert-id="${a1.id}"]`);
    await card1.getByLabel('Note').fill('looking into the bid strategy');
    await card1.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toBe('Alert acknowledged.');
    const card2 = page.locator(`[data-alert-id="${a2.id}"]`);
    // Resolving needs a note: refused without one.
    await card2.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toMatch(/a note is required/);
    expectRefusalLogged(analyst, 400);
    await card2.getByLabel('Note').fill('budget cap restored');
    await card2.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toBe('Alert resolved.');
    const [r1, r2] = await Promise.all([a1, a2].map((a) => ww.ctx.prisma.alert.findUniqueOrThrow({ where: { id: a.id } })));
    expect([r1!.acknowledgedBy, r1!.note, r1!.resolvedAt]).toEqual([ww.user('analyst'), 'looking into the bid strategy', null]);
    expect([r2!.resolvedBy, r2!.acknowledgedBy, r2!.note]).toEqual([ww.user('analyst'), ww.user('analyst'), 'budget cap restored']);
    await page.goto('/alerts');
    await expect.poll(() => page.locator(`[data-alert-id="${a2.id}"]`).getByTestId('alert-state').textContent()).toContain('resolved by');
    await checkPage(analyst, 'alerts-acted');
    const audit = await ww.ctx.prisma.auditEvent.findFirst({ where: { entityId: a2.id, action: 'alert.resolved' } });
    expect(audit?.actor).toBe(ww.user('analyst'));
  });

  it('an admin changes the guardrail policy', async () => {
    const { page } = admin;
    await page.goto('/settings');
    await checkPage(admin, 'settings-general');
    await page.getByLabel(/Largest change per request/).fill('0.3');
    await page.getByLabel(/Daily spend cap/).fill('5000');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toMatch(/Guardrail policy saved \(maxChangePct, dailySpendCap\)/);
    const setting = await ww.ctx.prisma.guardrailSetting.findFirstOrThrow({ where: { workspaceId: ww.w.workspaceId, accountId: null } });
    expect(setting.policy).toMatchObject({ maxChangePct: 0.3, dailySpendCap: '5000' });
    await expect.poll(() => page.locator('[data-testid=policy-row][data-setting=maxChangePct]').textContent()).toBe('maxChangePct0.3workspace');
    // Saving the same again changes nothing and says so.
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toMatch(/nothing to change/);
    expectRefusalLogged(admin, 409);
    await checkPage(admin, 'settings-guardrails-saved');
  });

  it('an admin creates an API key (shown once) and revokes it', async () => {
    const { page } = admin;
    await page.goto('/settings/keys');
    await checkPage(admin, 'settings-keys');
    await page.getByLabel('What it is for').fill('web test key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByTestId('new-key').count()).toBe(1);
    const key = await page.getByTestId('new-key').inputValue();
    expect(key).toMatch(/^mbo_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const prefix = key.slice(0, 12);
    expect((await authenticateApiKey(ww.ctx, key, 'api')).userId).toBe(ww.user('admin'));
    await checkPage(admin, 'settings-key-created');
    // Shown once: a reload does not show it again, anywhere on the page.
    await page.reload();
    expect(await page.getByTestId('new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(key.slice(13));
    await page.getByRole('button', { name: `Revoke ${prefix}` }).click();
    await expect.poll(() => page.locator(`[data-testid=key-row][data-prefix="${prefix}"]`).getByTestId('key-state').textContent()).toBe('revoked');
    await expect(authenticateApiKey(ww.ctx, key, 'api')).rejects.toThrow(/revoked/);
  });

  it('an admin adds a member with a web password and changes their role; they log in with it', async () => {
    const { page } = admin;
    const newbie = `newbie-${tag()}`;
    await page.goto('/settings/members');
    await checkPage(admin, 'settings-members');
    await page.getByLabel('User id').fill(newbie);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByLabel(/^Web password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toContain(`${newbie} is a viewer and can log in`);
    // The form starts empty again: no password left in a field.
    await expect.poll(() => page.getByLabel(/^Web password/).inputValue()).toBe('');
    const row = page.locator(`[data-testid=member-row][data-user="${newbie}"]`);
    await row.getByLabel(`Role of ${newbie}`, { exact: true }).selectOption('analyst');
    await row.getByRole('button', { name: `Save role of ${newbie}` }).click();
    await expect.poll(() => row.getByTestId('member-role').textContent()).toBe('analyst');
    const m = await ww.ctx.prisma.member.findFirstOrThrow({ where: { workspaceId: ww.w.workspaceId, userId: newbie } });
    expect(m.role).toBe('analyst');
    expect(await ww.ctx.prisma.auditEvent.count({ where: { entityId: newbie, action: { in: ['member.added', 'member.role_changed'] } } })).toBe(2);
    await checkPage(admin, 'settings-members-changed');

    const context = await ww.browser.newContext({ baseURL: ww.url });
    const p = await context.newPage();
    await p.goto('/login');
    await p.getByLabel('User or e-mail').fill(newbie);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
    expect(await p.getByTestId('role').textContent()).toBe('analyst');
    await context.close();
  });

  it('an admin adds a webhook, tests it (a signed message arrives) and removes it; sets a notification channel', async () => {
    const { page } = admin;
    await page.goto('/settings/webhooks');
    await checkPage(admin, 'settings-webhooks');
    const url = `${hook.url}/hook`;
    await page.getByLabel(/^URL/).fill(url);
    await page.getByLabel('approval.requested').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => page.getByTestId('new-secret').count()).toBe(1);
    expect(await page.getByTestId('new-secret').inputValue()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: `Test ${url}` }).click();
    await expect.poll(() => page.getByTestId('form-result').textContent()).toBe('The test message was delivered.');
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.headers['x-mbo-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(JSON.parse(hook.got[0]!.body)).toMatchObject({ event: 'test', workspace: ww.w.workspace });
    await checkPage(admin, 'settings-webhook-tested');
    await page.getByRole('button', { name: `Remove ${url}` }).click();
    await expect.poll(() => page.getByTestId('webhook-row').count()).toBe(0);
    expect(await ww.ctx.prisma.workspaceWebhook.count({ where: { workspaceId: ww.w.workspaceId } })).toBe(0);

    await page.goto('/settings/notifications');
    await page.getByLabel('Kind').selectOption('slack');
    await page.getByLabel(/^Address/).fill(`${hook.url}/slack/T000/B000/XXXX`);
    await page.getByRole('button', { name: 'Save channel' }).click();
    await expect.poll(() => page.getByTestId('channel-row').count()).toBe(1);
    // The address is a secret: only a hint is shown.
    expect(await page.getByTestId('channel-row').textContent()).not.toContain('/slack/T000/B000/XXXX');
    await checkPage(admin, 'settings-notifications');
  });

  it('switches workspace: the data and the role shown change with it', async () => {
    const other = await ww.ctx.prisma.workspace.create({ data: { slug: `ws2-${tag()}`, name: `Second ${tag()}` } });
    await ww.ctx.prisma.member.create({ data: { workspaceId: other.id, userId: ww.user('admin'), role: 'viewer' } });
    const { page } = admin;
    await page.goto('/settings/members');
    expect(await page.getByTestId('role').textContent()).toBe('admin');
    await page.getByLabel('Workspace', { exact: true }).selectOption(other.slug);
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('viewer');
    expect(await page.getByTestId('workspace').textContent()).toContain(other.slug);
    // A viewer there: one member (yourself), no admin controls.
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await checkPage(admin, 'workspace-switched');
    const audit = await ww.ctx.prisma.auditEvent.findFirst({ where: { workspaceId: other.id, action: 'session.workspace_switched' } });
    expect(audit?.actor).toBe(ww.user('admin'));
    // A workspace one does not belong to is refused, and the session stays where it was.
    const csrf = (await admin.context.cookies()).find((k) => k.name === 'mbo_csrf')!.value;
    const foreign = await page.request.post('/workspace', {
      form: { csrf, workspace: ww.w.workspace.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      maxRedirects: 0,
    });
    expect(foreign.status()).toBe(403);
    await page.reload();
    expect(await page.getByTestId('role').textContent()).toBe('viewer');
    await page.getByLabel('Workspace', { exact: true }).selectOption(ww.w.workspace);
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('admin');
    expect(admin.errors).toEqual([]);
  });

  it('the forms fit a phone: no page wider than 390 px', async () => {
    const phone = await logInAs(ww, 'admin', { width: 390, height: 844 });
    const { page } = phone;
    for (const [route, name] of [
      ['/rules/new', 'phone-rule-new'],
      ['/alerts', 'phone-alerts'],
      ['/settings', 'phone-settings'],
      ['/settings/members', 'phone-settings-members'],
      ['/settings/keys', 'phone-settings-keys'],
    ] as const) {
      await page.goto(route);
      expect(
        await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
        `width of ${route}`,
      ).toBeLessThanOrEqual(390);
      await checkPage(phone, name);
    }
    await phone.context.close();
  });

  it('a viewer sees no admin or analyst controls, and forged posts are refused by the use cases', async () => {
    const viewer = await logInAs(ww, 'viewer');
    const { page, context } = viewer;
    await page.goto('/settings');
    expect(await page.getByRole('button', { name: 'Save policy' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await checkPage(viewer, 'settings-viewer');
    await page.goto('/settings/members');
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Save role/ }).count()).toBe(0);
    await page.goto('/settings/keys');
    expect(await page.getByTestId('read-only').textContent()).toMatch(/Only admins/);
    await page.goto('/rules');
    expect(await page.getByRole('link', { name: 'New rule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Disable|Enable|Delete) / }).count()).toBe(0);
    await checkPage(viewer, 'rules-viewer');
    await page.goto('/alerts');
    expect(await page.getByRole('button', { name: /Acknowledge|Resolve/ }).count()).toBe(0);
    await checkPage(viewer, 'alerts-viewer');

    // With the viewer's own valid CSRF token every use case refuses (403), and nothing changes.
    const csrf = (await context.cookies()).find((k) => k.name === 'mbo_csrf')!.value;
    const post = (path: string, form: Record<string, string>) => page.request.post(path, { form: { csrf, ...form }, maxRedirects: 0 });
    const policyBefore = await ww.ctx.prisma.guardrailSetting.findFirst({ where: { workspaceId: ww.w.workspaceId, accountId: null } });
    expect((await post('/settings?index', { maxChangePct: '0.9' })).status()).toBe(403);
    expect((await post('/settings/keys', { intent: 'create', name: 'forged' })).status()).toBe(403);
    expect((await post('/settings/members', { intent: 'role', userId: ww.user('viewer'), role: 'admin' })).status()).toBe(403);
    expect((await post('/settings/webhooks', { intent: 'add', url: 'https://example.com/x', events: 'alert' })).status()).toBe(403);
    expect(
      (
        await post('/rules/new', {
          name: 'forged',
          mode: 'builder',
          'conditions[0].metric': 'spend',
          'conditions[0].days': '7',
          'conditions[0].op': '>',
          'conditions[0].value': '0',
          action: 'pause',
        })
      ).status(),
    ).toBe(403);
    const alert = await ww.ctx.prisma.alert.create({
      data: {
        workspaceId: ww.w.workspaceId,
        kind: 'x',
        severity: 'info',
        dedupKey: `forged-${tag()}`,
        entityType: 'workspace',
        entityId: ww.w.workspaceId,
        message: 'x',
      },
    });
    expect((await post('/alerts', { intent: 'acknowledge', alertId: alert.id })).status()).toBe(403);
    // Without a CSRF token: refused before any use case runs.
    expect((await page.request.post('/settings/keys', { form: { intent: 'create', name: 'forged' } })).status()).toBe(403);

    expect(await ww.ctx.prisma.apiKey.count({ where: { workspaceId: ww.w.workspaceId, name: 'forged' } })).toBe(0);
    expect(await ww.ctx.prisma.rule.count({ where: { workspaceId: ww.w.workspaceId, name: 'forged' } })).toBe(0);
    expect(await ww.ctx.prisma.workspaceWebhook.count({ where: { workspaceId: ww.w.workspaceId } })).toBe(0);
    expect((await ww.ctx.prisma.member.findFirstOrThrow({ where: { workspaceId: ww.w.workspaceId, userId: ww.user('viewer') } })).role).toBe('viewer');
    expect((await ww.ctx.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).acknowledgedAt).toBeNull();
    expect(await ww.ctx.prisma.guardrailSetting.findFirst({ where: { workspaceId: ww.w.workspaceId, accountId: null } })).toEqual(policyBefore);
    await context.close();
  });
});
