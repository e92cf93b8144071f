// Every route of the API on the real Postgres and Temporal dev server (in-process app and worker): its success
// and its documented error answers — a change request approved through the API and applied on the sandbox,
// rejected, followed as server-sent events; Idempotency-Key; web sessions with CSRF; signed inbound decisions;
// rate limits; health and readiness.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiSuite, apiWorld, type ApiWorld, call, expectProblem, scaled, signed, statusIs, userOf } from './api-harness.js';
import { waitFor } from './harness.js';

const suite = apiSuite();
let ctx: AppContext;
let app: ApiApp;
let w: ApiWorld;
beforeAll(() => void ({ ctx, app, w } = suite));

const budgetRequest = (campaign: { externalId: string; dailyBudget: string }, factor = 1.1, reason = 'api test') => ({
  reason,
  items: [{ kind: 'budget', campaign: campaign.externalId, toBudget: scaled(campaign.dailyBudget, factor) }],
});

describe('health and documents', () => {
  it('/healthz answers; /readyz is ready with a worker polling the task queue, and says why not without one', async () => {
    expect((await call(app, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await waitFor('ready', async () => {
      const r = await call(app, 'GET', '/readyz');
      return r.status === 200 && r;
    });
    expect(ready.body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['temporal', true],
      ['worker', true],
    ]);
    const idle = await apiContext(); // its own task queue: nobody polls it
    try {
      const r = await call(apiFor(idle), 'GET', '/readyz');
      expect(r.status).toBe(503);
      expect(r.body.ready).toBe(false);
      expect(r.body.checks.find((c: { name: string }) => c.name === 'worker')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/no worker is polling/),
      });
    } finally {
      await idle.close();
    }
  });

  it('serves the OpenAPI 3.1 document and the docs page without a credential; everything else needs one', async () => {
    const doc = await call(app, 'GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/change-requests');
    expect((await call(app, 'GET', '/api/v1/docs')).status).toBe(200);
    expectProblem(await call(app, 'GET', '/api/v1/me'), 401, 'UNAUTHENTICATED', /API key|session/);
    expectProblem(await call(app, 'GET', '/api/v1/me', { key: 'mbo_00000000_nope' }), 401, 'UNAUTHENTICATED');
    expectProblem(await call(app, 'GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'UNAUTHENTICATED', /Bearer/);
    expectProblem(await call(app, 'GET', '/api/v1/nothing-here', { key: w.keys.viewer }), 404, 'NOT_FOUND', /no route/);
    const me = await call(app, 'GET', '/api/v1/me', { key: w.keys.approver });
    expect(me.body).toMatchObject({
      userId: userOf(w, 'approver'),
      workspace: w.workspace,
      role: 'approver',
      roles: ['viewer', 'analyst', 'approver'],
      source: 'api',
    });
    expect(me.headers.get('x-request-id')).toBeTruthy();
    const mine = await call(app, 'GET', '/api/v1/me/workspaces', { key: w.keys.approver });
    expect(mine.body).toContainEqual({ slug: w.workspace, name: expect.any(String), role: 'approver', current: true });
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('change requests', () => {
  it('create → pending → approved by another approver → APPLIED on the sandbox, exactly once, audited; the event stream ends at APPLIED', async () => {
    const c = w.campaigns[0]!;
    const before = await w.sandbox.mutationCount(c.accountExternalId, c.externalId);
    const created = await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1.2, 'shift to winners') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'EVALUATING', requestedBy: userOf(w, 'analyst'), source: 'api', reason: 'shift to winners' });
    const id = created.body.id as string;
    await statusIs(ctx, id, 'PENDING_APPROVAL');
    const shown = await call(app, 'GET', `/api/v1/change-requests/${id}`, { key: w.keys.viewer });
    expect(shown.body).toMatchObject({ id, status: 'PENDING_APPROVAL', items: [{ kind: 'budget', fromBudget: expect.any(String) }] });
    expect(Number(shown.body.items[0].toBudget)).toBe(Number(scaled(c.dailyBudget, 1.2)));
    expect(shown.body.guardrails).toBeTruthy();
    // Until when it waits: the workflow's approval timer, written when it became pending (hours from now).
    expect(Date.parse(shown.body.expiresAt) - Date.now()).toBeGreaterThan(3_600_000);

    // Follow the stream: its first event (pending) arrives before the decision, its last is the settled status.
    const res = await app.request(`/api/v1/change-requests/${id}/events?timeoutSeconds=60`, { headers: { authorization: `Bearer ${w.keys.viewer}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/^data: /m.test(text)) text += (await reader.read()).value ?? '';
    const decided = await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.approver, body: { approve: true, note: 'ok' } });
    expect(decided.status).toBe(200);
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
    const statuses = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).status);
    expect(statuses[0]).toBe('PENDING_APPROVAL');
    expect(statuses.at(-1)).toBe('APPLIED');

    expect(await w.sandbox.mutationCount(c.accountExternalId, c.externalId)).toBe(before + 1);
    const audit = await call(app, 'GET', `/api/v1/audit-events?entityId=${id}&limit=50`, { key: w.keys.viewer });
    expect(audit.body.items.map((e: { action: string }) => e.action).reverse()).toEqual([
      'change_request.created',
      'change_request.pending_approval',
      'change_request.approved',
      'change_request.applying',
      'change_request.applied',
    ]);
    expect(audit.body.items.find((e: { action: string }) => e.action === 'change_request.approved').actor).toBe(userOf(w, 'approver'));
    // Decided once: a second decision conflicts; an unknown request is not found.
    expectProblem(
      await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.approver2, body: { approve: true } }),
      409,
      'CONFLICT',
      /applied/,
    );
    expectProblem(
      await call(app, 'POST', `/api/v1/change-requests/00000000-0000-4000-8000-000000000000/decision`, { key: w.keys.approver, body: { approve: true } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await call(app, 'GET', '/api/v1/change-requests/00000000-0000-4000-8000-000000000000', { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'GET', '/api/v1/change-requests/00000000-0000-4000-8000-000000000000/events', { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'GET', '/api/v1/change-requests/not-a-uuid', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /id/);
  });

  it('reject: nothing reaches the platform; lists filter by status', async () => {
    const c = w.campaigns[1]!;
    const before = await w.sandbox.mutationCount(c.accountExternalId);
    const created = await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 0.9) });
    const id = created.body.id as string;
    await statusIs(ctx, id, 'PENDING_APPROVAL');
    const r = await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.approver2, body: { approve: false, note: 'not now' } });
    expect(r.status).toBe(200);
    await statusIs(ctx, id, 'REJECTED');
    const events = await call(app, 'GET', `/api/v1/change-requests/${id}/events`, { key: w.keys.viewer });
    expect([...events.text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).status)).toEqual(['REJECTED']);
    expect(await w.sandbox.mutationCount(c.accountExternalId)).toBe(before);
    const rejected = await call(app, 'GET', '/api/v1/change-requests?status=REJECTED', { key: w.keys.viewer });
    expect(rejected.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(rejected.body.items.every((i: { status: string }) => i.status === 'REJECTED')).toBe(true);
    const paged = await call(app, 'GET', '/api/v1/change-requests?limit=1', { key: w.keys.viewer });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.nextCursor).toBeTruthy();
    const next = await call(app, 'GET', `/api/v1/change-requests?limit=1&cursor=${paged.body.nextCursor}`, { key: w.keys.viewer });
    expect(next.body.items[0].id).not.toBe(paged.body.items[0].id);
  });

  it('create refuses unknown campaigns (404) and a budget equal to the current one (422)', async () => {
    const c = w.campaigns[2]!;
    expectProblem(
      await call(app, 'POST', '/api/v1/change-requests', {
        key: w.keys.analyst,
        body: { reason: 'x', items: [{ kind: 'pause', campaign: 'no-such-campaign' }] },
      }),
      404,
      'NOT_FOUND',
      /no-such-campaign/,
    );
    expectProblem(
      await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1) }),
      422,
      'VALIDATION',
      /already has a daily budget/,
    );
  });

  it('Idempotency-Key: the same key and body answer the same request (replayed), another body is refused', async () => {
    const c = w.campaigns[3]!;
    const count = () => ctx.prisma.changeRequest.count({ where: { workspaceId: w.workspaceId } });
    const before = await count();
    const headers = { 'idempotency-key': `idem-${w.workspace}` };
    const first = await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1.05), headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1.05), headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await count()).toBe(before + 1);
    expectProblem(
      await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1.07), headers }),
      422,
      'VALIDATION',
      /Idempotency-Key.*different/,
    );
    expectProblem(
      await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, 1.07), headers: { 'idempotency-key': 'short' } }),
      400,
      'INVALID_INPUT',
      /Idempotency-Key/,
    );
    expect(await count()).toBe(before + 1);
    await statusIs(ctx, first.body.id, 'PENDING_APPROVAL');
    await call(app, 'POST', `/api/v1/change-requests/${first.body.id}/decision`, { key: w.keys.approver, body: { approve: false } });
  });
});

describe('web sessions', () => {
  it('log in → cookie and CSRF token; an unsafe request without the token is 403, with it succeeds; log out ends it', async () => {
    const user = userOf(w, 'analyst');
    const password = 'correct horse battery staple';
    const set = await call(app, 'PUT', `/api/v1/members/${user}`, { key: w.keys.admin, body: { role: 'analyst', password } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ userId: user, role: 'analyst', canLogIn: true });
    expectProblem(
      await call(app, 'POST', '/api/v1/auth/login', { body: { user, password: 'wrong password!!' } }),
      401,
      'UNAUTHENTICATED',
      /wrong user or password/,
    );
    expectProblem(await call(app, 'POST', '/api/v1/auth/login', { body: { user } }), 400, 'INVALID_INPUT', /password/);
    const login = await call(app, 'POST', '/api/v1/auth/login', { body: { user, password, workspace: w.workspace } });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^mbo_session=[^;]+;.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(';')[0]!;
    const csrf = login.body.csrfToken as string;
    expect(login.body.actor).toMatchObject({ userId: user, workspace: w.workspace, role: 'analyst', source: 'web' });

    expect((await call(app, 'GET', '/api/v1/me', { headers: { cookie } })).body.source).toBe('web');
    const rule = { name: `session rule ${w.workspace}`, when: 'spend(7d) > 100', then: 'alert' };
    expectProblem(await call(app, 'POST', '/api/v1/rules', { body: rule, headers: { cookie } }), 403, 'FORBIDDEN', /x-csrf-token/);
    expectProblem(await call(app, 'POST', '/api/v1/rules', { body: rule, headers: { cookie, 'x-csrf-token': 'forged' } }), 403, 'FORBIDDEN', /x-csrf-token/);
    expect(await ctx.prisma.rule.count({ where: { workspaceId: w.workspaceId, name: rule.name } })).toBe(0);
    const made = await call(app, 'POST', '/api/v1/rules', { body: rule, headers: { cookie, 'x-csrf-token': csrf } });
    expect(made.status).toBe(201);
    expect(made.body.createdBy).toBe(user);

    expect((await call(app, 'POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(204);
    expectProblem(await call(app, 'GET', '/api/v1/me', { headers: { cookie } }), 401, 'UNAUTHENTICATED', /session has ended/);
  });
});

describe('signed inbound decisions', () => {
  it('a signed decision from a linked chat user decides; replay 409, wrong signature 401, stale 401, stranger 403', async () => {
    const secret = await call(app, 'POST', '/api/v1/webhooks/inbound-secret', { key: w.keys.admin });
    expect(secret.status).toBe(201);
    expect(secret.body.secret).toMatch(/^whsec_/);
    const link = await call(app, 'PUT', '/api/v1/chat-identities', {
      key: w.keys.admin,
      body: { channel: 'slack', externalId: `U-${w.workspace}`, userId: userOf(w, 'approver') },
    });
    expect(link.status).toBe(200);
    expectProblem(
      await call(app, 'PUT', '/api/v1/chat-identities', { key: w.keys.admin, body: { channel: 'slack', externalId: 'U-x', userId: 'nobody-here' } }),
      404,
      'NOT_FOUND',
      /not a member/,
    );

    const c = w.campaigns[4]!;
    const mk = async (factor: number) => {
      const r = await call(app, 'POST', '/api/v1/change-requests', { key: w.keys.analyst, body: budgetRequest(c, factor) });
      await statusIs(ctx, r.body.id, 'PENDING_APPROVAL');
      return r.body.id as string;
    };
    const url = `/api/v1/webhooks/decisions/${w.workspace}`;
    const post = (raw: string, headers: Record<string, string>) => call(app, 'POST', url, { raw, headers });
    const decision = (requestId: string, user = `U-${w.workspace}`) =>
      JSON.stringify({ requestId, decision: 'reject', channel: 'slack', user, note: 'from chat' });

    const id = await mk(1.15);
    const raw = decision(id);
    const headers = signed(secret.body.secret, raw);
    const ok = await post(raw, headers);
    expect(ok.status, ok.text).toBe(200);
    await statusIs(ctx, id, 'REJECTED');
    expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).decidedBy).toBe(userOf(w, 'approver'));
    expectProblem(await post(raw, headers), 409, 'CONFLICT', /replay/);

    const other = await mk(1.16);
    const raw2 = decision(other);
    expectProblem(await post(raw2, signed('whsec_wrong', raw2)), 401, 'UNAUTHENTICATED', /bad signature/);
    expectProblem(await post(raw2, signed(secret.body.secret, raw2, Math.floor(Date.now() / 1000) - 600)), 401, 'UNAUTHENTICATED', /older than 5 minutes/);
    expectProblem(await post(raw2, { 'content-type': 'application/json' }), 401, 'UNAUTHENTICATED', /required/);
    const stranger = decision(other, 'U-stranger');
    expectProblem(await post(stranger, signed(secret.body.secret, stranger)), 403, 'FORBIDDEN', /not linked/);
    expectProblem(
      await call(app, 'POST', '/api/v1/webhooks/decisions/no-such-ws', { raw: raw2, headers: signed(secret.body.secret, raw2) }),
      401,
      'UNAUTHENTICATED',
    );
    expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: other } })).status).toBe('PENDING_APPROVAL');
    await call(app, 'POST', `/api/v1/change-requests/${other}/decision`, { key: w.keys.approver, body: { approve: false } });
  });
});

describe('rate limits', () => {
  it('a key over its limit gets 429 with Retry-After, as problem+json', async () => {
    const small = apiFor(ctx, 3);
    for (let i = 0; i < 3; i++) expect((await call(small, 'GET', '/api/v1/me', { key: w.keys.viewer })).status).toBe(200);
    const r = await call(small, 'GET', '/api/v1/me', { key: w.keys.viewer });
    expectProblem(r, 429, 'RATE_LIMITED', /3 requests a minute/);
    expect(r.headers.get('retry-after')).toBe('60');
  });
});

describe('workspace data', () => {
  it('status, accounts, campaigns (filters and pages), metrics by day and week, per-platform totals', async () => {
    const status = await call(app, 'GET', '/api/v1/status', { key: w.keys.viewer });
    expect(status.status).toBe(200);
    expect(status.body).toHaveLength(4);
    const accounts = await call(app, 'GET', '/api/v1/accounts', { key: w.keys.viewer });
    expect(accounts.body.map((a: { externalId: string }) => a.externalId).sort()).toEqual(w.accounts.map((a) => a.externalId).sort());
    expect(accounts.text).not.toMatch(/credential/i);

    const all = await call(app, 'GET', '/api/v1/campaigns?limit=500', { key: w.keys.viewer });
    expect(all.body.items).toHaveLength(20);
    const google = await call(app, 'GET', '/api/v1/campaigns?platform=google_ads&limit=3', { key: w.keys.viewer });
    expect(google.body.items).toHaveLength(3);
    expect(google.body.items.every((c: { platform: string }) => c.platform === 'google_ads')).toBe(true);
    const rest = await call(app, 'GET', `/api/v1/campaigns?platform=google_ads&limit=3&cursor=${google.body.nextCursor}`, { key: w.keys.viewer });
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
    const byAccount = await call(app, 'GET', `/api/v1/campaigns?account=${w.campaigns[0]!.accountExternalId}`, { key: w.keys.viewer });
    expect(byAccount.body.items).toHaveLength(5);
    const byName = await call(app, 'GET', `/api/v1/campaigns?name=${encodeURIComponent(google.body.items[0].name)}`, { key: w.keys.viewer });
    expect(byName.body.items.map((c: { id: string }) => c.id)).toContain(google.body.items[0].id);
    expectProblem(await call(app, 'GET', '/api/v1/campaigns?account=nope', { key: w.keys.viewer }), 404, 'NOT_FOUND', /account/);
    expectProblem(await call(app, 'GET', '/api/v1/campaigns?platform=myspace', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /platform/);
    expectProblem(await call(app, 'GET', '/api/v1/campaigns?cursor=garbage', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /cursor/);

    const c = w.campaigns[0]!;
    const days = await call(app, 'GET', `/api/v1/campaigns/${c.externalId}/metrics?from=2026-05-25&to=2026-05-31`, { key: w.keys.viewer });
    expect(days.status).toBe(200);
    expect(days.body.points).toHaveLength(7);
    const weeks = await call(app, 'GET', `/api/v1/campaigns/${c.id}/metrics?from=2026-05-25&to=2026-05-31&granularity=week`, { key: w.keys.viewer });
    expect(weeks.body.points.length).toBeLessThanOrEqual(2);
    expectProblem(await call(app, 'GET', `/api/v1/campaigns/nope/metrics`, { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(
      await call(app, 'GET', `/api/v1/campaigns/${c.id}/metrics?from=2026-06-01&to=2026-05-01`, { key: w.keys.viewer }),
      400,
      'INVALID_INPUT',
      /from/,
    );

    const totals = await call(app, 'GET', '/api/v1/metrics/platforms', { key: w.keys.viewer });
    expect(totals.status).toBe(200);
    expect(totals.body.platforms.length).toBe(4);
    expectProblem(await call(app, 'GET', '/api/v1/metrics/platforms?from=2020-01-01&to=2026-01-01', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /two years/);
  });

  it('syncs and optimization runs: start (202) and list; unknown accounts and runs are 404', async () => {
    const sync = await call(app, 'POST', '/api/v1/syncs', {
      key: w.keys.analyst,
      body: { accounts: [w.campaigns[0]!.accountExternalId], from: '2026-05-30', to: '2026-05-31' },
    });
    expect(sync.status).toBe(202);
    expect(sync.body.workflowId).toMatch(/^sync-/);
    await (await ctx.temporal()).workflow.getHandle(sync.body.workflowId).result();
    const runs = await call(app, 'GET', `/api/v1/syncs?account=${w.campaigns[0]!.accountExternalId}`, { key: w.keys.viewer });
    expect(runs.body.items.length).toBeGreaterThanOrEqual(2);
    expectProblem(await call(app, 'POST', '/api/v1/syncs', { key: w.keys.analyst, body: { accounts: ['nope'] } }), 404, 'NOT_FOUND', /nope/);
    expectProblem(
      await call(app, 'POST', '/api/v1/syncs', { key: w.keys.analyst, body: { from: '2100-01-01', to: '2100-01-02' } }),
      422,
      'VALIDATION',
      /future/,
    );
    expectProblem(await call(app, 'GET', '/api/v1/syncs?account=nope', { key: w.keys.viewer }), 404, 'NOT_FOUND');

    const opt = await call(app, 'POST', '/api/v1/optimization-runs', {
      key: w.keys.analyst,
      body: { account: w.campaigns[0]!.accountExternalId, dryRun: true, sync: false },
    });
    expect(opt.status, opt.text).toBe(202);
    await (await ctx.temporal()).workflow.getHandle(opt.body.workflowId).result();
    const list = await call(app, 'GET', '/api/v1/optimization-runs', { key: w.keys.viewer });
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    const one = await call(app, 'GET', `/api/v1/optimization-runs/${list.body.items[0].id}`, { key: w.keys.viewer });
    expect(one.status).toBe(200);
    expect(one.body.result).toBeTruthy();
    expectProblem(await call(app, 'GET', '/api/v1/optimization-runs/00000000-0000-4000-8000-000000000000', { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'POST', '/api/v1/optimization-runs', { key: w.keys.analyst, body: { account: 'nope' } }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'GET', '/api/v1/optimization-runs?account=nope', { key: w.keys.viewer }), 404, 'NOT_FOUND');
  });

  it('optimization schedules: daily at an hour of the account’s time zone, replaced in place, stopped; bad input refused', async () => {
    const account = w.campaigns[0]!.accountExternalId;
    const set = await call(app, 'PUT', '/api/v1/optimization-schedules', { key: w.keys.analyst, body: { account, hour: 6, objective: 'profit', margin: 0.4 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ hour: 6, objective: 'profit', dryRun: false });
    const handle = (await ctx.temporal()).schedule.getHandle(set.body.scheduleId);
    const first = await handle.describe();
    expect(first.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }] });
    expect(first.spec.timezone).toBe(set.body.timeZone);
    const again = await call(app, 'PUT', '/api/v1/optimization-schedules', { key: w.keys.analyst, body: { account, hour: 7 } });
    expect(again.body.scheduleId).toBe(set.body.scheduleId); // one schedule per account
    expect((await handle.describe()).spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }] });
    const audit = await ctx.prisma.auditEvent.findMany({ where: { action: 'optimization.scheduled', entityId: set.body.scheduleId } });
    expect(audit).toHaveLength(2);

    expectProblem(
      await call(app, 'PUT', '/api/v1/optimization-schedules', { key: w.keys.analyst, body: { account, hour: 24 } }),
      400,
      'INVALID_INPUT',
      /0 to 23/,
    );
    expectProblem(await call(app, 'PUT', '/api/v1/optimization-schedules', { key: w.keys.analyst, body: { account: 'nope', hour: 6 } }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'PUT', '/api/v1/optimization-schedules', { key: w.keys.viewer, body: { account, hour: 6 } }), 403, 'FORBIDDEN');

    expect((await call(app, 'DELETE', `/api/v1/optimization-schedules/${account}`, { key: w.keys.analyst })).body).toEqual({ removed: true });
    expect((await call(app, 'DELETE', `/api/v1/optimization-schedules/${account}`, { key: w.keys.analyst })).body).toEqual({ removed: false });
  });

  it('rules: add, duplicate 409, invalid 422, read, change, switch off, dry run, delete', async () => {
    const name = `cpa guard ${w.workspace}`;
    const add = await call(app, 'POST', '/api/v1/rules', {
      key: w.keys.analyst,
      body: { name, when: 'cpa(7d) > 50 and spend(7d) > 200', then: 'budget -20%', platforms: ['google_ads'] },
    });
    expect(add.status, add.text).toBe(201);
    const id = add.body.id as string;
    expectProblem(
      await call(app, 'POST', '/api/v1/rules', { key: w.keys.analyst, body: { name, when: 'spend(7d) > 1', then: 'alert' } }),
      409,
      'CONFLICT',
      /already exists/,
    );
    expectProblem(
      await call(app, 'POST', '/api/v1/rules', { key: w.keys.analyst, body: { name: `${name} 2`, when: 'wobble(7d) > 1', then: 'alert' } }),
      422,
      'VALIDATION',
    );
    expect((await call(app, 'GET', `/api/v1/rules/${encodeURIComponent(name)}`, { key: w.keys.viewer })).body.id).toBe(id);
    const changed = await call(app, 'PATCH', `/api/v1/rules/${id}`, { key: w.keys.analyst, body: { then: 'alert', enabled: false } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ then: 'alert', enabled: false, updatedBy: userOf(w, 'analyst') });
    expect((await call(app, 'GET', '/api/v1/rules', { key: w.keys.viewer })).body.map((r: { id: string }) => r.id)).toContain(id);
    const dry = await call(app, 'POST', '/api/v1/rules/dry-run', { key: w.keys.viewer, body: {} });
    expect(dry.status, dry.text).toBe(200);
    expectProblem(await call(app, 'POST', '/api/v1/rules/dry-run', { key: w.keys.viewer, body: { rule: 'nope' } }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'PATCH', `/api/v1/rules/nope`, { key: w.keys.analyst, body: { then: 'alert' } }), 404, 'NOT_FOUND');
    expect((await call(app, 'DELETE', `/api/v1/rules/${id}`, { key: w.keys.analyst })).status).toBe(204);
    expectProblem(await call(app, 'GET', `/api/v1/rules/${id}`, { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'DELETE', `/api/v1/rules/${id}`, { key: w.keys.analyst }), 404, 'NOT_FOUND');
  });

  it('alerts: list and acknowledge; unknown 404', async () => {
    const a = await ctx.prisma.alert.create({
      data: {
        workspaceId: w.workspaceId,
        kind: 'test',
        severity: 'warning',
        message: 'spend spike',
        dedupKey: `test-${w.workspace}`,
        entityType: 'campaign',
        entityId: w.campaigns[0]!.id,
      },
    });
    const list = await call(app, 'GET', '/api/v1/alerts?unacknowledged=true&severity=warning', { key: w.keys.viewer });
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
    const ack = await call(app, 'POST', `/api/v1/alerts/${a.id}/acknowledge`, { key: w.keys.analyst });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ acknowledgedBy: userOf(w, 'analyst') });
    const after = await call(app, 'GET', '/api/v1/alerts?unacknowledged=true', { key: w.keys.viewer });
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
    expectProblem(await call(app, 'POST', '/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge', { key: w.keys.analyst }), 404, 'NOT_FOUND');
    // Resolved with a note on how; a second resolve is a conflict, a note is required, a viewer may not.
    expectProblem(
      await call(app, 'POST', `/api/v1/alerts/${a.id}/resolve`, { key: w.keys.analyst, body: { note: '' } }),
      400,
      'INVALID_INPUT',
      /how it was resolved/,
    );
    expectProblem(await call(app, 'POST', `/api/v1/alerts/${a.id}/resolve`, { key: w.keys.viewer, body: { note: 'x' } }), 403, 'FORBIDDEN');
    const resolved = await call(app, 'POST', `/api/v1/alerts/${a.id}/resolve`, { key: w.keys.analyst, body: { note: 'tag restored' } });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toMatchObject({ resolvedBy: userOf(w, 'analyst'), note: 'tag restored' });
    expectProblem(await call(app, 'POST', `/api/v1/alerts/${a.id}/resolve`, { key: w.keys.analyst, body: { note: 'again' } }), 409, 'CONFLICT');
  });

  it('guardrails: effective policy with origins; set (admin) and an unchanged set is 409; unknown account 404', async () => {
    const got = await call(app, 'GET', '/api/v1/guardrails', { key: w.keys.viewer });
    expect(got.body.policy.fourEyes).toBe(true);
    expect(got.body.origin.fourEyes).toBe('default');
    const account = w.campaigns[0]!.accountExternalId;
    const set = await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin, body: { account, changes: { maxChangePct: 0.8 } } });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ policy: { maxChangePct: 0.8 }, origin: { maxChangePct: 'account' } });
    expectProblem(
      await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin, body: { account, changes: { maxChangePct: 0.8 } } }),
      409,
      'CONFLICT',
      /nothing changed/,
    );
    expectProblem(
      await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin, body: { account: 'nope', changes: { maxChangePct: 0.8 } } }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await call(app, 'GET', '/api/v1/guardrails?account=nope', { key: w.keys.viewer }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin, body: { changes: {} } }), 400, 'INVALID_INPUT', /nothing to change/);
  });
});

describe('identity', () => {
  it('members: list, add, change a role, never the last admin (409), remove; unknown 404', async () => {
    const list = await call(app, 'GET', '/api/v1/members', { key: w.keys.viewer });
    expect(list.body.map((m: { userId: string }) => m.userId)).toContain(userOf(w, 'admin'));
    const newbie = `newbie-${w.workspace.slice(3)}`;
    expect((await call(app, 'PUT', `/api/v1/members/${newbie}`, { key: w.keys.admin, body: { role: 'viewer', displayName: 'New Bie' } })).body).toMatchObject({
      userId: newbie,
      role: 'viewer',
    });
    expect((await call(app, 'PUT', `/api/v1/members/${newbie}`, { key: w.keys.admin, body: { role: 'admin' } })).body.role).toBe('admin');
    expect((await call(app, 'DELETE', `/api/v1/members/${newbie}`, { key: w.keys.admin })).status).toBe(204);
    expectProblem(await call(app, 'DELETE', `/api/v1/members/${newbie}`, { key: w.keys.admin }), 404, 'NOT_FOUND');
    expect((await ctx.prisma.auditEvent.findMany({ where: { workspaceId: w.workspaceId, entityId: newbie } })).map((e) => e.action)).toEqual([
      'member.added',
      'member.role_changed',
      'member.removed',
    ]);
    // A workspace with one admin cannot lose it.
    const solo = await apiWorld(ctx, { sync: false });
    expect((await call(app, 'DELETE', `/api/v1/members/${userOf(solo, 'admin2')}`, { key: solo.keys.admin })).status).toBe(204);
    expectProblem(await call(app, 'DELETE', `/api/v1/members/${userOf(solo, 'admin')}`, { key: solo.keys.admin }), 409, 'CONFLICT', /last admin/);
    expectProblem(
      await call(app, 'PUT', `/api/v1/members/${userOf(solo, 'admin')}`, { key: solo.keys.admin, body: { role: 'viewer' } }),
      409,
      'CONFLICT',
      /last admin/,
    );
  });

  it('API keys: create (shown once), list without secrets, revoke (then 401); unknown 404', async () => {
    const made = await call(app, 'POST', '/api/v1/api-keys', { key: w.keys.admin, body: { name: 'CI', userId: userOf(w, 'viewer'), expiresInDays: 30 } });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^mbo_[0-9a-f]{8}_/);
    expect((await call(app, 'GET', '/api/v1/me', { key: made.body.key })).body.userId).toBe(userOf(w, 'viewer'));
    const list = await call(app, 'GET', '/api/v1/api-keys', { key: w.keys.admin });
    expect(list.body.map((k: { prefix: string }) => k.prefix)).toContain(made.body.prefix);
    expect(list.text).not.toContain(made.body.key);
    expect(list.text).not.toMatch(/secretHash|secret_hash/);
    const revoked = await call(app, 'DELETE', `/api/v1/api-keys/${made.body.prefix}`, { key: w.keys.admin });
    expect(revoked.body.revokedAt).toBeTruthy();
    expectProblem(await call(app, 'GET', '/api/v1/me', { key: made.body.key }), 401, 'UNAUTHENTICATED', /revoked/);
    expectProblem(await call(app, 'DELETE', '/api/v1/api-keys/mbo_00000000', { key: w.keys.admin }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'POST', '/api/v1/api-keys', { key: w.keys.admin, body: { name: 'x', userId: 'not-a-member' } }), 404, 'NOT_FOUND');
  });

  it('own password: set, then the current one is needed', async () => {
    expect((await call(app, 'PUT', '/api/v1/me/password', { key: w.keys.viewer, body: { newPassword: 'a long enough password' } })).status).toBe(204);
    expectProblem(
      await call(app, 'PUT', '/api/v1/me/password', { key: w.keys.viewer, body: { newPassword: 'another long password' } }),
      403,
      'FORBIDDEN',
      /current password/,
    );
    expect(
      (
        await call(app, 'PUT', '/api/v1/me/password', {
          key: w.keys.viewer,
          body: { currentPassword: 'a long enough password', newPassword: 'another long password' },
        })
      ).status,
    ).toBe(204);
    expectProblem(await call(app, 'PUT', '/api/v1/me/password', { key: w.keys.viewer, body: { newPassword: 'short' } }), 400, 'INVALID_INPUT', /12 characters/);
  });

  it('outbound webhooks: add (secret once), list without it, remove; unknown 404', async () => {
    const add = await call(app, 'POST', '/api/v1/webhooks', { key: w.keys.admin, body: { url: 'http://127.0.0.1:9/hooks/mbo', events: ['alert'] } });
    expect(add.status).toBe(201);
    expect(add.body.secret).toMatch(/^whsec_/);
    const list = await call(app, 'GET', '/api/v1/webhooks', { key: w.keys.admin });
    expect(list.body.map((h: { id: string }) => h.id)).toContain(add.body.id);
    expect(list.text).not.toContain(add.body.secret);
    // A test message to a port where nothing listens: not delivered, and said so (no 5xx).
    const tested = await call(app, 'POST', `/api/v1/webhooks/${add.body.id}/test`, { key: w.keys.admin });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({ delivered: false });
    expectProblem(await call(app, 'POST', `/api/v1/webhooks/${add.body.id}/test`, { key: w.keys.analyst }), 403, 'FORBIDDEN');
    expect((await call(app, 'DELETE', `/api/v1/webhooks/${add.body.id}`, { key: w.keys.admin })).status).toBe(204);
    expectProblem(await call(app, 'DELETE', `/api/v1/webhooks/${add.body.id}`, { key: w.keys.admin }), 404, 'NOT_FOUND');
    expectProblem(await call(app, 'POST', '/api/v1/webhooks', { key: w.keys.admin, body: { url: 'ftp://x.example.com' } }), 400, 'INVALID_INPUT', /url/);
  });
});
